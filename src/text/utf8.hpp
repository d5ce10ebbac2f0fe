// UTF-8 helpers: validation, sanitising, binary detection.
#pragma once

#include <string>
#include <string_view>

namespace ds::text {

// Length of the valid UTF-8 sequence starting at s[i] (1-4), or 0 when the
// bytes there are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
size_t utf8_sequence_length(std::string_view s, size_t i);

bool is_valid_utf8(std::string_view s);

// Copy of `s` with every invalid byte replaced by U+FFFD and NUL bytes removed.
std::string sanitize_utf8(std::string_view s);

// Git's heuristic: a NUL byte in the first 8000 bytes means binary.
bool looks_binary(std::string_view s);

// Appends byte `c` (< 0x80) as it stands inside a JSON string: quotes,
// backslashes and control characters escaped. The one escaping rule, shared
// by the JSON writer and the redactor that matches its output.
void append_json_escaped_ascii(std::string& out, unsigned char c);

}  // namespace ds::text
