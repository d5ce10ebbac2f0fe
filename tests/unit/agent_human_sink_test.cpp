// What a person sees on stderr: events fed to the human sink, the text it
// prints compared whole. Edit blocks in streamed text become one `writing
// edit for PATH …` line per file, diffs show once, failing tests show the end
// of their output, -q and -v do what their help says, and the run ends with
// its summary.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "agent/events.hpp"
#include "agent/sinks.hpp"
#include "support/run_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using ds::test::e2e::contains;
using ds::test::e2e::sr_block;

namespace {

struct Screen {
  std::FILE* f = std::tmpfile();
  HumanSink sink;
  Screen(bool quiet = false, bool verbose = false, bool color = false) : sink(f, color, quiet, verbose) {}
  ~Screen() { std::fclose(f); }
  // The text in fragments of `n` bytes, as a stream arrives.
  void stream(const std::string& text, size_t n = 7) {
    for (size_t i = 0; i < text.size(); i += n) sink.model_text(text.substr(i, n));
  }
  std::string text() {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    char buf[4096];
    for (size_t k; (k = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, k);
    return s;
  }
};

ev::ModelTurn model_turn(int turn) {
  ev::ModelTurn m;
  m.turn = turn;
  m.status_line = "turn " + std::to_string(turn) + "/30";
  return m;
}

ev::Tests failing_tests(int lines) {
  ev::Tests t;
  t.turn = 1;
  t.exit_code = 1;
  t.duration_ms = 730;
  for (int i = 1; i <= lines; ++i) t.output += "line " + std::to_string(i) + "\n";
  return t;
}

const char* kDiff =
    "diff --git a/dates.py b/dates.py\n--- a/dates.py\n+++ b/dates.py\n@@ -1,2 +1,2 @@\n def leap(y):\n"
    "-    return y % 4 == 0\n+    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)\n";

ev::RunFinished solved() {
  ev::RunFinished f;
  f.status = "solved";
  f.reason = "tests pass";
  f.mode = "fix";
  f.tested = true;
  f.turns = 2;
  f.prompt_tokens = 2000;
  f.cached_tokens = 500;
  f.completion_tokens = 100;
  f.cost_usd = 0.0123;
  f.diff = kDiff;
  f.files = {{"dates.py", 1, 1}};
  f.duration_ms = 4200;
  return f;
}

const char* kNext =
    "  next: `git diff` to review · `diffsmith undo` to revert · `diffsmith run --continue \"…\"` to go on\n";

}  // namespace

TEST_CASE("human sink: streamed SEARCH/REPLACE blocks become one line per file, prose still streams") {
  Screen s;
  s.stream("I will fix the leap years.\n\n" + sr_block("dates.py", "old\n", "new\n") + "\n" +
           sr_block("dates.py", "old2\n", "new2\n") + "That should do it.");
  s.sink.event(model_turn(1));
  s.sink.event(ev::AssistantText{1, "(already streamed)"});
  s.sink.event(ev::Edit{1, 1, "dates.py", true, "exact", "", ""});
  s.sink.event(ev::Diff{1, kDiff, ""});
  CHECK(s.text() ==
        "I will fix the leap years.\n\nwriting edit for dates.py …\n\nThat should do it.\nturn 1/30\n" +
            std::string(kDiff));
  CHECK(s.sink.showed_every_change());
}

TEST_CASE("human sink: the path comes from the edit parser, also for a block without a fence") {
  Screen s;
  s.stream("Now the helper:\nsrc/util/parse.py\n<<<<<<< SEARCH\n=======\nx = 1\n>>>>>>> REPLACE\nDone.\n", 3);
  s.sink.event(model_turn(1));
  CHECK(s.text() == "Now the helper:\nwriting edit for src/util/parse.py …\nDone.\nturn 1/30\n");
}

TEST_CASE("human sink: a V4A patch in the text names each file once") {
  Screen s;
  s.stream(
      "Patch:\n```\n*** Begin Patch\n*** Update File: a.py\n@@\n-x\n+y\n*** Add File: b.py\n+new\n"
      "*** Update File: a.py\n@@\n-z\n+w\n*** End Patch\n```\nok\n");
  s.sink.event(model_turn(1));
  CHECK(s.text() == "Patch:\nwriting edit for a.py …\nwriting edit for b.py …\nok\nturn 1/30\n");
}

TEST_CASE("human sink: a short line that is no path is held only until the next line") {
  Screen s;
  s.stream("Done.\nThe fix is in.\n```python\nprint(1)\n```\n");
  s.sink.event(model_turn(1));
  CHECK(s.text() == "Done.\nThe fix is in.\n```python\nprint(1)\n```\nturn 1/30\n");
}

TEST_CASE("human sink: edit tool calls show the file, not their arguments") {
  Screen s;
  s.sink.event(model_turn(1));
  json::Value args = json::Value::object().set("edits", sr_block("a.txt", "x\n", "y\n"));
  s.sink.event(ev::ToolCall{1, "apply_edits", json::dump(args)});
  s.sink.event(ev::ToolCall{1, "apply_edits", json::dump(args)});  // same file, same turn: no second line
  s.sink.event(ev::ToolCall{1, "read_file", R"({"path":"a.txt"})"});
  s.sink.event(ev::Edit{1, 1, "a.txt", false, "", "SEARCH does not match", ""});
  CHECK(s.text() ==
        "turn 1/30\nwriting edit for a.txt …\n→ read_file {\"path\":\"a.txt\"}\n"
        "edit failed a.txt: SEARCH does not match\n");
}

TEST_CASE("human sink: failing tests show the last 15 lines of their output, -v all of it") {
  SECTION("default") {
    Screen s;
    s.sink.event(failing_tests(20));
    std::string expected = "tests failed (exit 1, 730 ms)\n  … 5 earlier lines (-v shows them)\n";
    for (int i = 6; i <= 20; ++i) expected += "  line " + std::to_string(i) + "\n";
    CHECK(s.text() == expected);
  }
  SECTION("verbose") {
    Screen s(false, true);
    s.sink.event(failing_tests(20));
    std::string expected = "tests failed (exit 1, 730 ms)\n";
    for (int i = 1; i <= 20; ++i) expected += "  line " + std::to_string(i) + "\n";
    CHECK(s.text() == expected);
  }
  SECTION("passing tests print one line") {
    Screen s;
    ev::Tests t = failing_tests(20);
    t.exit_code = 0;
    t.passed = true;
    s.sink.event(t);
    CHECK(s.text() == "tests passed (exit 0, 730 ms)\n");
  }
}

TEST_CASE("human sink: the summary at the end is the finish summary, never a turn's prose") {
  SECTION("finish") {
    Screen s;
    ev::RunFinished f = solved();
    f.summary = "Fixed the leap-year rule.\n\n" + sr_block("dates.py", "a\n", "b\n") +
                "Years divisible by 100 are not leap years unless divisible by 400.";
    s.sink.event(f);
    CHECK(s.text() ==
          "run solved after 2 turn(s): tests pass\n"
          "  changed: dates.py (+1 -1)\n"
          "  model: Fixed the leap-year rule.\n"
          "         Years divisible by 100 are not leap years unless divisible by 400.\n"
          "  2 turn(s) · 2000 tokens in (25% cached), 100 out · $0.0123 · 4.2 s\n" +
              std::string(kNext));
  }
  SECTION("no finish: the last prose is not taken for a summary") {
    Screen s;
    s.sink.event(ev::AssistantText{
        2, "Username and password are swapped. Fixing:\n" + sr_block("dates.py", "a\n", "b\n")});
    s.sink.event(solved());
    CHECK(s.text() ==
          "Username and password are swapped. Fixing:\nwriting edit for dates.py …\n"
          "run solved after 2 turn(s): tests pass\n"
          "  changed: dates.py (+1 -1)\n"
          "  no summary: the model did not call finish\n"
          "  2 turn(s) · 2000 tokens in (25% cached), 100 out · $0.0123 · 4.2 s\n" +
              std::string(kNext));
  }
}

TEST_CASE("human sink: finish shows its summary live") {
  Screen s;
  s.sink.event(ev::ToolCall{1, "finish", R"({"summary":"The code is fine; the tests are wrong."})", "c1"});
  CHECK(s.text() == "→ finish: The code is fine; the tests are wrong.\n");
}

TEST_CASE(
    "human sink: the model's summary is cut to 4 lines; an unsolved run with no change says what next") {
  Screen s;
  ev::RunFinished f = solved();
  f.summary = "one\ntwo\n\nthree\nfour\nfive\n";
  s.sink.event(f);
  CHECK(contains(s.text(), "  model: one\n         two\n         three\n         four …\n  2 turn(s)"));

  Screen u;
  ev::RunFinished g;
  g.status = "unsolved";
  g.reason = "turn limit reached (--max-turns 2)";
  g.turns = 2;
  u.sink.event(g);
  CHECK(u.text() ==
        "run unsolved after 2 turn(s): turn limit reached (--max-turns 2)\n"
        "  no summary: the model did not call finish\n"
        "  2 turn(s) · 0 tokens in (0% cached), 0 out · cost unknown · 0.0 s\n"
        "  next: `diffsmith run --continue \"…\"` to go on with more guidance\n");
}

TEST_CASE("human sink: -q shows only edited files, test results, warnings and the summary") {
  Screen s(true);
  ev::RunStarted started{"r1", "gpt-4.1", "/repo", "pytest", "-t", "search-replace", "abc"};
  s.sink.event(started);
  s.sink.event(ev::Mode{"change"});
  s.stream("Thinking out loud.\n" + sr_block("dates.py", "a\n", "b\n"));
  s.sink.event(model_turn(1));
  s.sink.event(ev::ToolCall{1, "read_file", "{}"});
  s.sink.event(ev::Edit{1, 1, "dates.py", true, "exact", "", ""});
  s.sink.event(ev::Diff{1, kDiff, ""});
  s.sink.event(ev::Notice{"model request attempt 1 failed"});
  s.sink.event(failing_tests(2));
  ev::RunFinished f = solved();
  f.summary = "The model's words.";
  s.sink.event(f);
  CHECK(s.text() ==
        "edited dates.py (+1 -1)\n"
        "model request attempt 1 failed\n"
        "tests failed (exit 1, 730 ms)\n  line 1\n  line 2\n"
        "run solved after 2 turn(s): tests pass\n"
        "  changed: dates.py (+1 -1)\n"
        "  2 turn(s) · 2000 tokens in (25% cached), 100 out · $0.0123 · 4.2 s\n" +
            std::string(kNext));
  CHECK_FALSE(s.sink.showed_every_change());
}

TEST_CASE("human sink: colours on a terminal, and secrets redacted across fragments") {
  Screen s(false, false, true);
  s.sink.event(ev::Diff{1, "+new\n-old\n", ""});
  s.stream("the key is sk-abcdefghijklmnopqrstuvwxyz012345 ok\n", 5);
  s.sink.event(model_turn(1));
  std::string text = s.text();
  CHECK(contains(text, "\x1b[32m+new\x1b[0m\n\x1b[31m-old\x1b[0m\n"));
  CHECK(contains(text, "the key is [redacted] ok\n"));
  CHECK_FALSE(contains(text, "sk-abc"));
}

TEST_CASE("edit stream: the prose of a text without its edit blocks") {
  CHECK(EditStream::prose_of("Before.\n" + sr_block("a.py", "x\n", "y\n") + "After.\n") == "Before.\nAfter.");
  CHECK(EditStream::prose_of("Just words.") == "Just words.");
}
