// terminal_safe: control characters as visible escapes.
#include "text/terminal.hpp"

#include "text/utf8.hpp"

namespace ds::text {
namespace {

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
  static const char kHex[] = "0123456789abcdef";
  out += prefix;
  for (int d = digits - 1; d >= 0; --d) out += kHex[(value >> (4 * d)) & 15];
}

}  // namespace

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\t' || (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ||
        (c >= 0x20 && c < 0x7f)) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {  // C0 or DEL
      append_hex(out, "\\x", c, 2);
      ++i;
      continue;
    }
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) {  // not UTF-8: the byte alone
      append_hex(out, "\\x", c, 2);
      ++i;
      continue;
    }
    // U+0080–U+009F are C2 80 – C2 9F.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      append_hex(out, "\\u", static_cast<unsigned char>(s[i + 1]), 4);
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

}  // namespace ds::text
