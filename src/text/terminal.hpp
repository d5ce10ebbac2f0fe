// Text made safe for a terminal: what the model wrote, a diff, a test's
// output may hold escape sequences (OSC 52 writes the clipboard, OSC 0 sets
// the window title, CSI 2 J clears the screen). Shown as visible escapes
// instead, so the terminal only ever sees printable text and our own colours.
#pragma once

#include <string>
#include <string_view>

namespace ds::text {

// `s` with every control character but newline and tab shown as a visible
// escape: C0 bytes and DEL as `\x1b`, a carriage return too unless a newline
// follows it (CRLF files stay readable), C1 controls written as UTF-8
// (U+0080–U+009F) as `\u009b`, and bytes that are not valid UTF-8 (a lone
// 0x9b is CSI to an 8-bit terminal) as `\x9b`. Valid UTF-8 is kept as it is.
std::string terminal_safe(std::string_view s);

}  // namespace ds::text
