// The JSON of every typed run event, byte for byte (docs/events.md is an
// interface), the JSONL and trajectory sinks, the transition path for events
// still built as JSON, and the bounded test-output excerpt.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "agent/events.hpp"
#include "agent/sinks.hpp"
#include "support/run_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using ds::test::e2e::contains;

namespace {

std::string dumped(const Event& e) { return json::dump(to_json(e)); }

// What a sink wrote to a temporary file.
struct Capture {
  std::FILE* f = std::tmpfile();
  ~Capture() { std::fclose(f); }
  std::string text() {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
    return s;
  }
};

}  // namespace

TEST_CASE("events: every type's JSON is exactly the documented object") {
  CHECK(dumped(ev::RunStarted{"r1", "gpt-4.1", "/repo", "pytest -q", "-t", "search-replace", "abc", "",
                              "fix it"}) ==
        R"({"type":"run_started","run_id":"r1","model":"gpt-4.1","repo":"/repo","test_cmd":"pytest -q",)"
        R"("test_source":"-t","edit_format":"search-replace","checkpoint":"abc","task":"fix it"})");
  CHECK(dumped(ev::RunStarted{"r2", "m", "/repo", "", "--no-test", "patch", "def", "r1", "and the docs"}) ==
        R"({"type":"run_started","run_id":"r2","model":"m","repo":"/repo","test_cmd":"",)"
        R"("test_source":"--no-test","edit_format":"patch","checkpoint":"def","continues":"r1",)"
        R"("task":"and the docs"})");
  CHECK(dumped(ev::Mode{"fix"}) == R"({"type":"mode","mode":"fix"})");

  ev::Tests t;
  t.turn = 2;
  t.exit_code = 1;
  t.duration_ms = 730;
  t.output = "F\nAssertionError\n";
  CHECK(dumped(t) == R"({"type":"tests","turn":2,"exit_code":1,"passed":false,"timed_out":false,)"
                     R"("duration_ms":730,"output_tail":"F\nAssertionError\n"})");
  ev::Tests failed_start;
  failed_start.error = "no such file";
  failed_start.output = "no such file";
  CHECK(dumped(failed_start) == R"({"type":"tests","turn":0,"exit_code":-1,"passed":false,"timed_out":false,)"
                                R"("duration_ms":0,"error":"no such file","output_tail":"no such file"})");

  ev::ModelTurn m;
  m.turn = 1;
  m.finish_reason = "tool_calls";
  m.prompt_tokens = 1000;
  m.cached_tokens = 400;
  m.completion_tokens = 50;
  m.latency_ms = 812;
  m.request_id = "req_1";
  m.status_line = "turn 1/30";
  CHECK(dumped(m) ==
        R"({"type":"model_turn","turn":1,"finish_reason":"tool_calls","usage":{"prompt_tokens":1000,)"
        R"("cached_tokens":400,"completion_tokens":50},"cost_usd":null,"latency_ms":812,)"
        R"("request_id":"req_1","status_line":"turn 1/30"})");
  m.cost_usd = 0.5;
  CHECK(contains(dumped(m), R"("cost_usd":0.5,)"));

  CHECK(dumped(ev::AssistantText{3, "Done.\n"}) == R"({"type":"assistant_text","turn":3,"text":"Done.\n"})");
  CHECK(
      dumped(ev::ToolCall{1, "read_file", R"({"path":"a.py"})", "call_7"}) ==
      R"({"type":"tool_call","turn":1,"call_id":"call_7","name":"read_file","arguments":"{\"path\":\"a.py\"}"})");
  CHECK(dumped(ev::Edit{1, 2, "a.py", true, "exact", "", ""}) ==
        R"({"type":"edit","turn":1,"index":2,"path":"a.py","status":"applied","level":"exact","error":""})");
  CHECK(dumped(ev::Edit{1, 3, "b.py", false, "", "no match", "wrong file?"}) ==
        R"({"type":"edit","turn":1,"index":3,"path":"b.py","status":"failed","level":"","error":"no match",)"
        R"("note":"wrong file?"})");
  CHECK(dumped(ev::Diff{1, "D", ""}) == R"({"type":"diff","turn":1,"diff":"D"})");
  CHECK(dumped(ev::Diff{1, "D", "run_command"}) ==
        R"({"type":"diff","turn":1,"diff":"D","source":"run_command"})");
  CHECK(dumped(ev::Checkpoint{1, "refs/diffsmith/r1", std::string("c0ffee"), ""}) ==
        R"({"type":"checkpoint","turn":1,"ref":"refs/diffsmith/r1","commit":"c0ffee"})");
  CHECK(dumped(ev::Checkpoint{1, "refs/diffsmith/r1", std::nullopt, "locked"}) ==
        R"({"type":"checkpoint","turn":1,"ref":"refs/diffsmith/r1","error":"locked"})");
  CHECK(dumped(ev::Notice{"hello"}) == R"({"type":"notice","message":"hello"})");

  ev::RunFinished f;
  f.status = "solved";
  f.reason = "tests pass";
  f.mode = "fix";
  f.tested = true;
  f.turns = 2;
  f.prompt_tokens = 10;
  f.cached_tokens = 5;
  f.completion_tokens = 3;
  f.cost_usd = 0.25;
  f.summary = "Fixed.";
  f.diff = "D";
  f.files = {{"a.py", 3, 1}};
  f.duration_ms = 4200;
  CHECK(dumped(f) ==
        R"({"type":"run_finished","status":"solved","reason":"tests pass","mode":"fix","tested":true,)"
        R"("turns":2,"tokens":{"prompt":10,"cached":5,"completion":3},"cost_usd":0.25,"exit_code":0,)"
        R"("summary":"Fixed.","diff":"D","files":[{"path":"a.py","added":3,"removed":1}],)"
        R"("duration_ms":4200})");
  f.cost_usd.reset();
  CHECK(contains(dumped(f), R"("cost_usd":null,)"));

  CHECK(dumped(ev::BatchTask{
            "t1", "o/r", "abc", "/w/t1", "pytest", {"tests/a.py"}, "--test-cmd", true, false}) ==
        R"({"type":"batch_task","id":"t1","repo":"o/r","base_commit":"abc","checkout":"/w/t1",)"
        R"("test_cmd":"pytest","test_files":["tests/a.py"],"test_source":"--test-cmd","oracle_tests":true,)"
        R"("hints":false})");
}

TEST_CASE("events: kind() and type_name() follow the variant's order") {
  CHECK(kind(ev::RunStarted{}) == EventKind::RunStarted);
  CHECK(kind(ev::AssistantText{}) == EventKind::AssistantText);
  CHECK(kind(ev::RunFinished{}) == EventKind::RunFinished);
  CHECK(kind(ev::BatchTask{}) == EventKind::BatchTask);
  CHECK(std::string(type_name(EventKind::Checkpoint)) == "checkpoint");
  CHECK(std::string(type_name(EventKind::ToolCall)) == "tool_call");
}

TEST_CASE("events: the test-output excerpt keeps the last 40 lines and at most 4096 bytes") {
  std::string out;
  for (int i = 1; i <= 100; ++i) out += "line " + std::to_string(i) + "\n";
  std::string tail = tail_excerpt(out, ev::Tests::kTailLines, ev::Tests::kTailBytes);
  CHECK(tail.rfind("line 61\n", 0) == 0);
  CHECK(tail.size() == out.size() - out.find("line 61\n"));
  CHECK(tail_excerpt("a\nb\nc", 2, 100) == "b\nc");
  CHECK(tail_excerpt("short", 40, 4096) == "short");

  // Long lines: the byte bound wins, and the excerpt starts at a line.
  std::string wide;
  for (int i = 0; i < 10; ++i) wide += std::string(1000, static_cast<char>('a' + i)) + "\n";
  tail = tail_excerpt(wide, 40, 4096);
  CHECK(tail.size() <= 4096);
  CHECK(tail == wide.substr(wide.size() - 4 * 1001));
  // One long line without a line start in reach: cut between UTF-8 characters.
  std::string accents;
  for (int i = 0; i < 3000; ++i) accents += "é";
  tail = tail_excerpt(accents, 40, 4096);
  CHECK(tail.size() == 4096);
  CHECK(static_cast<unsigned char>(tail[0]) == 0xC3);
}

TEST_CASE("events: the JSONL and trajectory sinks write the same objects, redacted") {
  Capture out;
  JsonlSink jsonl(out.f);
  jsonl.event(ev::Notice{"key sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD leaked"});
  jsonl.event(ev::Mode{"change"});
  std::string text = out.text();
  CHECK(text.find("sk-proj-") == std::string::npos);
  CHECK(contains(text, "[redacted]"));
  CHECK(contains(text,
                 "\n"
                 R"({"type":"mode","mode":"change"})"
                 "\n"));

  ds::test::e2e::TempDir dir;
  std::string path = dir.path + "/t.jsonl";
  {
    TrajectorySink t(path);
    REQUIRE(t.ok());
    t.event(ev::Mode{"fix"});
    t.message(json::Value::object().set("role", "user"));
  }
  CHECK(ds::test::e2e::read_file(path) == R"({"event":{"type":"mode","mode":"fix"}})"
                                          "\n"
                                          R"({"message":{"role":"user"}})"
                                          "\n");
}
