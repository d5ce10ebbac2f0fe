// Adding and stripping `cat -n` style line-number prefixes.
#include "edit/line_numbers.hpp"

#include <cstdio>
#include <optional>
#include <vector>

namespace ds::edit {
namespace {

constexpr size_t kWidth = 6;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses a right-aligned number filling `field` exactly (spaces then at least
// one digit), or a longer run of digits for numbers of 7+ digits.
std::optional<size_t> parse_field(std::string_view field) {
  size_t i = 0;
  if (field.size() == kWidth) {
    while (i < field.size() && field[i] == ' ') ++i;
  } else if (field.size() < kWidth) {
    return std::nullopt;
  }
  if (i == field.size()) return std::nullopt;
  size_t n = 0;
  for (; i < field.size(); ++i) {
    if (!is_digit(field[i])) return std::nullopt;
    n = n * 10 + static_cast<size_t>(field[i] - '0');
  }
  return n;
}

}  // namespace

std::string number_line(size_t n, std::string_view line) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%6zu\t", n);
  std::string out(buf);
  out.append(line);
  return out;
}

size_t line_number_prefix(std::string_view line, size_t& number) {
  size_t tab = line.find('\t');
  if (tab == std::string_view::npos || tab > 20) return 0;
  auto n = parse_field(line.substr(0, tab));
  if (!n) return 0;
  number = *n;
  return tab + 1;
}

bool strip_line_number_prefixes(std::string& text) {
  struct Line {
    std::string_view content, ending;
    size_t cut = 0;  // bytes of prefix to remove
  };
  std::vector<Line> lines;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    std::string_view whole(text.data() + start, end - start);
    size_t content_len = whole.size();
    if (content_len && whole[content_len - 1] == '\n') --content_len;
    if (content_len && whole[content_len - 1] == '\r') --content_len;
    lines.push_back({whole.substr(0, content_len), whole.substr(content_len)});
    start = end;
  }

  // Number that the next line must carry; unknown until the first prefix.
  std::optional<size_t> expected;
  size_t pending_empty = 0;  // empty lines seen before the first prefix
  bool saw_full_prefix = false;
  std::vector<size_t> bare_numbers;  // lines holding only their number
  for (size_t i = 0; i < lines.size(); ++i) {
    Line& l = lines[i];
    if (l.content.empty()) {
      if (expected)
        ++*expected;
      else
        ++pending_empty;
      continue;
    }
    size_t n = 0;
    size_t cut = line_number_prefix(l.content, n);
    if (cut == 0) {
      auto bare = l.content.size() == kWidth ? parse_field(l.content) : std::nullopt;
      if (!bare) return false;
      n = *bare;
      cut = l.content.size();
      bare_numbers.push_back(i);
    } else {
      saw_full_prefix = true;
    }
    if (!expected) {
      if (n < pending_empty + 1) return false;
      expected = n;
    }
    if (n != *expected) return false;
    ++*expected;
    l.cut = cut;
  }
  if (!saw_full_prefix) return false;

  std::string out;
  out.reserve(text.size());
  for (const Line& l : lines) {
    out.append(l.content.substr(l.cut));
    out.append(l.ending);
  }
  text = std::move(out);
  return true;
}

}  // namespace ds::edit
