// terminal_safe: escape sequences from the model, a diff or a test's output
// reach the terminal as visible text, never as control characters.
#include <catch2/catch.hpp>

#include "text/terminal.hpp"

using ds::text::terminal_safe;

TEST_CASE("terminal_safe: OSC 52, a window title and a screen clear become visible escapes") {
  CHECK(terminal_safe("\x1b]52;c;ZWNobyBwd25lZA==\x07") == "\\x1b]52;c;ZWNobyBwd25lZA==\\x07");
  CHECK(terminal_safe("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  CHECK(terminal_safe("\x1b[2J\x1b[H") == "\\x1b[2J\\x1b[H");
  CHECK(terminal_safe("a\bb\x7f") == "a\\x08b\\x7f");
}

TEST_CASE("terminal_safe: C1 controls, raw or as UTF-8, are escaped") {
  CHECK(terminal_safe("\x9b"
                      "2J") == "\\x9b2J");  // a raw CSI byte (not UTF-8)
  CHECK(terminal_safe("\xc2\x9b"
                      "2J") == "\\u009b2J");  // U+009B written as UTF-8
  CHECK(terminal_safe("\xc2\x9d"
                      "0;t\xc2\x9c") == "\\u009d0;t\\u009c");  // OSC ... ST
  CHECK(terminal_safe("\xc2\x80") == "\\u0080");
  CHECK(terminal_safe("\xff\xfe") == "\\xff\\xfe");  // not UTF-8 at all
}

TEST_CASE("terminal_safe: newline, tab, CRLF and valid UTF-8 pass unchanged") {
  const std::string kept = "line\tone\r\nzwei: Grüße, 日本語, 🙂 \xc2\xa0nbsp\n";
  CHECK(terminal_safe(kept) == kept);
  CHECK(terminal_safe("") == "");
  // A carriage return that is not a line end would let text overwrite text.
  CHECK(terminal_safe("rm -rf /\rls    ") == "rm -rf /\\x0dls    ");
  CHECK(terminal_safe("end\r") == "end\\x0d");
  // A sequence cut short is bytes, escaped one by one; what follows is kept.
  CHECK(terminal_safe("\xe6\x97"
                      "x") == "\\xe6\\x97x");
}
