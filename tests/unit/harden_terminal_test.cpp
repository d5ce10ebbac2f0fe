// Hardening (issue 21, item 8): escape sequences in the model's text, in an
// edit or in a file's diff never reach the terminal raw — not while the run
// streams, not in `diffsmith show`. OSC 52 would write the user's clipboard,
// OSC 0 the window title, CSI 2 J clear the screen. They are shown as visible
// escapes (`\x1b`); our own colours still work. Through the real binary, and
// the human sink in process for the colours.
#include <catch2/catch.hpp>
#include <cstdio>

#include "agent/events.hpp"
#include "agent/sinks.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

const std::string kClipboard = "\x1b]52;c;cm0gLXJmIH4K\x07";  // OSC 52: set the clipboard
const std::string kTitle = "\x1b]0;pwned\x07";                // OSC 0: the window title
const std::string kClear = "\x1b[2J";                         // CSI 2 J: clear the screen
const std::string kC1Csi =
    "\xc2\x9b"
    "31m";  // U+009B, CSI as a C1 control

// Control bytes a terminal would act on: C0 but newline and tab, DEL,
// U+0080-U+009F, and a raw C1 byte (0x80-0x9f outside a UTF-8 sequence).
std::string controls_in(const std::string& s) {
  std::string found;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    bool c1_utf8 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || c1_utf8 || (c >= 0x80 && c < 0xA0))
      found += "[" + std::to_string(c) + "@" + std::to_string(i) + "]";
    i += len;
  }
  return found;
}

}  // namespace

TEST_CASE("harden terminal: escapes in the model's text, its edit and a diff are shown, never sent raw") {
  // A raw 0x9b (CSI to an 8-bit terminal) in a committed file: it shows in the diff's context.
  TempRepo repo({{"calc.py",
                  "def add(a, b):\n    return a - b\n# \x9b"
                  "2J raw C1\n"}});
  std::string text = "I will fix it." + kClipboard + kTitle + "\n" + kClear + "Done " + kC1Csi + "red?\n";
  auto mock = start_mock(
      script({turn({tool_call("apply_edits", ds::json::Value::object().set(
                                                 "edits", sr_block("calc.py", "    return a - b\n",
                                                                   "    return a + b  # " + kTitle + "\n")))},
                   text)}));
  ProcResult r = run_agent(repo, *mock, "fix add", "grep -q 'a + b' calc.py", {"--map-tokens", "0"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(controls_in(r.err).empty());
  CHECK(contains(r.err, "I will fix it.\\x1b]52;c;cm0gLXJmIH4K\\x07\\x1b]0;pwned\\x07"));
  CHECK(contains(r.err, "\\x1b[2JDone \\u009b31m"));
  CHECK(contains(r.err, "+    return a + b  # \\x1b]0;pwned\\x07"));  // the diff on the screen
  CHECK(contains(r.err, "# \\x9b2J raw C1"));
  // The patch on stdout (not a terminal here) is the change byte for byte.
  CHECK(contains(r.out, "+    return a + b  # " + kTitle + "\n"));

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult show = run_diffsmith({"show"}, in_repo);
  INFO("show: " << show.out << show.err);
  REQUIRE(show.exit_code == 0);
  INFO("controls: " << controls_in(show.out));
  CHECK(controls_in(show.out).empty());
  CHECK(contains(show.out, "\\x1b]52;c;cm0gLXJmIH4K\\x07"));
  CHECK(contains(show.out, "\\u009b31m"));
  CHECK(contains(show.out, "+    return a + b  # \\x1b]0;pwned\\x07"));
}

TEST_CASE("harden terminal: with colours on, the screen has our colour codes and only those") {
  std::FILE* f = std::tmpfile();
  {
    ds::agent::HumanSink sink(f, /*color=*/true, /*quiet=*/false);
    sink.model_text("Look: " + kClear + kClipboard + "\n");
    ds::agent::ev::Diff d;
    d.turn = 1;
    d.diff = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new " + kTitle + "\n";
    sink.event(d);
  }
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  for (size_t k; (k = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, k);
  std::fclose(f);
  INFO(out);
  CHECK(contains(out, "\x1b[32m+new \\x1b]0;pwned\\x07\x1b[0m"));  // green, with the title escaped
  CHECK(contains(out, "\x1b[31m-old\x1b[0m"));
  CHECK(contains(out, "Look: \\x1b[2J\\x1b]52;c;cm0gLXJmIH4K\\x07"));
  // Every ESC left is one of our SGR colour codes.
  for (size_t at = out.find('\x1b'); at != std::string::npos; at = out.find('\x1b', at + 1)) {
    size_t m = out.find('m', at);
    REQUIRE(m != std::string::npos);
    std::string seq = out.substr(at, m - at + 1);
    INFO(seq);
    CHECK(seq.find_first_not_of("\x1b[0123456789;m") == std::string::npos);
  }
}
