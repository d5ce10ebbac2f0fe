// json_string_values: a small recursive reader over one JSON document that
// keeps only its strings.
#include "edit/json_strings.hpp"

#include <cctype>

namespace ds::edit {
namespace {

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

std::optional<JsonStringValues> json_string_values(std::string_view text) {
  JsonStrings js(text);
  if (!js.parse()) return std::nullopt;
  return JsonStringValues{std::move(js.strings), std::move(js.input), js.top_is_string};
}

}  // namespace ds::edit
