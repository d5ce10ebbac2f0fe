// trim_for_model and the terminal-code stripping it starts with.
#include "exec/trim.hpp"

#include <algorithm>

#include "text/tokens.hpp"
#include "text/utf8.hpp"

namespace ds::exec {
namespace {

constexpr char kEsc = '\x1b';
constexpr size_t kMarkerReserve = 72;  // longest marker line, 20-digit numbers

// Index just past the escape sequence starting at s[i] == ESC.
size_t skip_escape(std::string_view s, size_t i) {
  size_t n = s.size();
  if (i + 1 >= n) return n;
  char kind = s[i + 1];
  if (kind == '[') {  // CSI: parameters and intermediates, then a final byte
    size_t j = i + 2;
    while (j < n && !(s[j] >= 0x40 && s[j] <= 0x7e)) ++j;
    return std::min(n, j + 1);
  }
  if (kind == ']' || kind == 'P' || kind == '_' || kind == '^') {  // OSC, DCS …: until BEL or ST
    for (size_t j = i + 2; j < n; ++j) {
      if (s[j] == '\a') return j + 1;
      if (s[j] == kEsc && j + 1 < n && s[j + 1] == '\\') return j + 2;
    }
    return n;
  }
  if (kind == '(' || kind == ')' || kind == '#' || kind == '%') return std::min(n, i + 3);
  return i + 2;
}

// Largest k <= limit such that s[0, k) ends on a UTF-8 sequence boundary.
size_t utf8_floor(std::string_view s, size_t limit) {
  size_t k = std::min(limit, s.size());
  while (k > 0 && k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  return k;
}

// Length of the longest prefix made of whole lines within `budget` bytes; a
// cut inside the first line when not even that one fits.
size_t head_length(std::string_view s, size_t budget) {
  size_t end = 0;
  for (size_t nl = s.find('\n'); nl != std::string_view::npos && nl + 1 <= budget; nl = s.find('\n', nl + 1))
    end = nl + 1;
  return end > 0 ? end : utf8_floor(s, budget);
}

// Length of the longest suffix made of whole lines within `budget` bytes.
size_t tail_length(std::string_view s, size_t budget) {
  if (s.size() <= budget) return s.size();
  size_t start = s.size();          // s[start, end) kept
  size_t from = s.size() - budget;  // the earliest allowed start
  // A line starts after a '\n'; find the first such start >= from.
  size_t nl = from == 0 ? std::string_view::npos : s.find('\n', from - 1);
  if (nl != std::string_view::npos && nl + 1 < s.size()) start = nl + 1;
  if (start == s.size()) {  // the last line alone is too long: cut inside it
    size_t k = from;
    while (k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) ++k;
    start = k;
  }
  return s.size() - start;
}

}  // namespace

std::string strip_terminal_codes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t line_start = 0;  // in `out`
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == kEsc) {
      i = skip_escape(s, i);
    } else if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') {
        ++i;  // CRLF: the '\n' is handled next
      } else if (i + 1 < s.size()) {
        out.resize(line_start);  // a redraw: the line starts over
        ++i;
      } else {
        ++i;  // a final lone '\r' ends nothing
      }
    } else {
      out += c;
      if (c == '\n') line_start = out.size();
      ++i;
    }
  }
  return out;
}

std::string trim_for_model(std::string_view output, size_t max_tokens) {
  std::string clean = text::sanitize_utf8(strip_terminal_codes(output));
  if (text::estimate_tokens(clean) <= max_tokens) return clean;

  size_t budget = max_tokens * 4;  // estimate_tokens(s) <= max_tokens iff size <= 4*max
  size_t avail = budget > kMarkerReserve ? budget - kMarkerReserve : 0;
  std::string_view all = clean;
  size_t head = head_length(all, avail * 2 / 5);
  size_t tail = tail_length(all.substr(head), avail - head);
  std::string_view cut = all.substr(head, all.size() - head - tail);

  size_t lines = static_cast<size_t>(std::count(cut.begin(), cut.end(), '\n'));
  if (!cut.empty() && cut.back() != '\n') ++lines;
  std::string out(all.substr(0, head));
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "[... " + std::to_string(cut.size()) + " bytes (" + std::to_string(lines) + " lines) cut ...]\n";
  out += all.substr(all.size() - tail);
  return out;
}

}  // namespace ds::exec
