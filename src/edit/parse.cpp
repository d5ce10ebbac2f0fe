// Format detection and dispatch, plus the small helpers both parsers share:
// a lenient JSON reader that only extracts strings (ds_edit does not link
// ds_json), and line quoting for issue texts.
#include "edit/parse.hpp"

#include <cctype>
#include <vector>

#include "text/lines.hpp"

namespace ds::edit {
namespace {

bool has_begin_patch_line(std::string_view s) {
  for (const std::string& line : text::split_lines(s))
    if (is_begin_patch_line(line)) return true;
  return false;
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads one JSON document and keeps its string values (not keys) in order,
// and the top-level "input" member when it is a string. Raw control
// characters inside strings are accepted: models write literal newlines.
class JsonStrings {
 public:
  explicit JsonStrings(std::string_view s) : s_(s) {}

  bool parse() {
    skip_ws();
    if (!value(0, true)) return false;
    skip_ws();
    return i_ == s_.size();
  }

  std::vector<std::string> strings;
  std::optional<std::string> input;
  bool top_is_string = false;

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }

  void skip_ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }

  bool hex4(unsigned* cp) {
    if (i_ + 4 > s_.size()) return false;
    *cp = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      *cp = *cp * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                 ? c - '0'
                                                 : std::tolower(c) - 'a' + 10);
    }
    return true;
  }

  bool string(std::string* out) {
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      char e = s_[i_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          *out += e;
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(i_, 2) == "\\u") {
            size_t save = i_;
            i_ += 2;
            unsigned lo = 0;
            if (hex4(&lo) && lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              i_ = save;
            }
          }
          append_utf8(*out, cp >= 0xD800 && cp < 0xE000 ? 0xFFFD : cp);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  bool value(int depth, bool top) {
    if (depth > 64 || i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '"') {
      std::string v;
      if (!string(&v)) return false;
      top_is_string = top;
      strings.push_back(std::move(v));
      return true;
    }
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++i_;
      skip_ws();
      if (at(close)) return ++i_, true;
      while (true) {
        skip_ws();
        std::string key;
        if (c == '{') {
          if (!at('"') || !string(&key)) return false;
          skip_ws();
          if (!at(':')) return false;
          ++i_;
          skip_ws();
        }
        bool is_string = at('"');
        if (!value(depth + 1, false)) return false;
        if (top && c == '{' && key == "input" && is_string) input = strings.back();
        skip_ws();
        if (at(',')) {
          ++i_;
          continue;
        }
        if (at(close)) return ++i_, true;
        return false;
      }
    }
    size_t start = i_;  // number, true, false, null
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                              s_[i_] == '+' || s_[i_] == '.'))
      ++i_;
    std::string_view word = s_.substr(start, i_ - start);
    if (word == "true" || word == "false" || word == "null") return true;
    return !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-');
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

std::optional<std::string> unwrap_json_patch(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return std::nullopt;
  size_t e = text.find_last_not_of(" \t\r\n");
  std::string_view t = text.substr(b, e + 1 - b);
  if (t[0] != '"' && t[0] != '{' && t[0] != '[') return std::nullopt;
  JsonStrings js(t);
  if (!js.parse()) return std::nullopt;
  for (std::string& s : js.strings)
    if (has_begin_patch_line(s)) return std::move(s);
  if (js.input) return js.input;
  if (js.top_is_string) return std::move(js.strings.front());
  return std::nullopt;
}

Format detect_format(std::string_view text) {
  if (std::optional<std::string> inner = unwrap_json_patch(text))
    if (has_begin_patch_line(*inner)) return Format::Patch;
  for (const std::string& line : text::split_lines(text)) {
    if (is_begin_patch_line(line)) return Format::Patch;
    if (is_search_marker(line)) return Format::SearchReplace;
  }
  return Format::SearchReplace;
}

ParsedEdits parse_edits(std::string_view text, Format f) {
  if (f == Format::Auto) f = detect_format(text);
  return f == Format::Patch ? parse_v4a(text) : parse_search_replace(text);
}

const char* format_name(Format f) {
  switch (f) {
    case Format::Auto:
      return "auto";
    case Format::SearchReplace:
      return "search-replace";
    case Format::Patch:
      return "patch";
  }
  return "auto";
}

std::string quote_line(std::string_view line) {
  constexpr size_t kMax = 160;
  line = text::rtrim(line);
  if (line.empty()) return "'' (an empty line)";
  if (line.size() <= kMax) return "'" + std::string(line) + "'";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(line.substr(0, cut)) + "...' (" + std::to_string(line.size()) + " bytes)";
}

}  // namespace ds::edit
