// Making command output fit a model's context: ANSI escapes and terminal
// carriage-return overwrites removed, invalid UTF-8 replaced, and when still
// too long, the head and the tail kept with a line saying what was cut.
#pragma once

#include <string>
#include <string_view>

namespace ds::exec {

// Removes ANSI escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL|ESC \`,
// two- and three-byte escapes), turns CRLF into LF, and keeps only the text
// after the last lone '\r' of a line (what a terminal shows after a progress
// bar redraws itself).
std::string strip_terminal_codes(std::string_view s);

// `output` cleaned (strip_terminal_codes, then text::sanitize_utf8) and, when
// its text::estimate_tokens exceeds `max_tokens`, cut to the first ~40% and
// the last ~60% of the budget at line boundaries with a line
// "[... 12345 bytes (321 lines) cut ...]" between them. The tail gets more
// because test runners print their summary and the last failure at the end.
// The result's estimate_tokens is <= max_tokens whenever max_tokens >= 20.
std::string trim_for_model(std::string_view output, size_t max_tokens);

}  // namespace ds::exec
