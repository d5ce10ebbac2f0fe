// Tool calls with ids and results (issue 22): every tool_call event carries
// the model's call_id and is followed by a tool_result with the same id, ok
// or the error, a bounded excerpt and the duration; on the terminal
// run_command's last lines always show, and -v shows every result. The real
// binary, the scripted mock over loopback, a real repository.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

Value call(const std::string& id, const std::string& name, Value args) {
  return tool_call(name, std::move(args)).set("id", id);
}

// read calc.py (c1), a command printing 30 lines (c2), read a missing file
// (c3), then the fix and finish.
std::string tool_script() {
  return script({
      turn({call("c1", "read_file", Value::object().set("path", "calc.py")),
            call("c2", "run_command",
                 Value::object().set("command", "for i in $(seq 1 30); do echo out$i; done"))}),
      turn({call("c3", "read_file", Value::object().set("path", "missing.py"))}),
      edit_turn(sr_block("calc.py", "    return a - b\n", "    return a + b\n")),
      finish_turn("add adds"),
  });
}

const TempRepo::Files kFiles = {{"calc.py", "def add(a, b):\n    return a - b\n"}};

}  // namespace

TEST_CASE("tool results e2e: --json pairs each tool_call with its tool_result by call_id") {
  TempRepo repo(kFiles);
  auto mock = start_mock(tool_script());
  ProcResult r = run_agent(repo, *mock, "make add add", "true", {"--json", "--sandbox", "off"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, Value> calls, results;
  std::vector<std::string> order;
  for (auto& e : json_lines(r.out)) {
    std::string type = e["type"].as_string();
    if (type == "tool_call") calls[e["call_id"].as_string()] = e;
    if (type == "tool_call" || type == "tool_result") order.push_back(type + " " + e["call_id"].as_string());
    if (type == "tool_result") results[e["call_id"].as_string()] = e;
  }
  for (const char* id : {"c1", "c2", "c3"}) {
    INFO(id);
    REQUIRE(calls.count(id));
    REQUIRE(results.count(id));
    CHECK(results[id]["name"].as_string() == calls[id]["name"].as_string());
    CHECK(results[id]["duration_ms"].is_number());
    CHECK(results[id]["duration_ms"].as_int() >= 0);
  }
  // Each result right after its call.
  REQUIRE(order.size() >= 6);
  CHECK(order[0] == "tool_call c1");
  CHECK(order[1] == "tool_result c1");
  CHECK(order[2] == "tool_call c2");
  CHECK(order[3] == "tool_result c2");

  CHECK(results["c1"]["ok"].as_bool());
  CHECK_FALSE(results["c1"].has("error"));
  CHECK(contains(results["c1"]["excerpt"].as_string(), "return a - b"));
  // run_command: the end of its output, bounded (20 lines), marked as cut.
  std::string tail = results["c2"]["excerpt"].as_string();
  CHECK(results["c2"]["ok"].as_bool());
  CHECK(contains(tail, "out30"));
  CHECK_FALSE(contains(tail, "out5\n"));
  CHECK(tail.rfind("…\n", 0) == 0);
  // A failed call says why.
  CHECK_FALSE(results["c3"]["ok"].as_bool());
  CHECK(contains(results["c3"]["error"].as_string(), "missing.py"));
}

TEST_CASE("tool results e2e: run_command's last lines always show, -v shows every result") {
  TempRepo repo(kFiles);
  SECTION("default") {
    auto mock = start_mock(tool_script());
    ProcResult r = run_agent(repo, *mock, "make add add", "true", {"--sandbox", "off"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "← run_command ("));
    CHECK(contains(r.err, "  out30\n"));
    CHECK_FALSE(contains(r.err, "  out10\n"));
    CHECK(contains(r.err, "earlier lines (-v shows more)"));
    CHECK_FALSE(contains(r.err, "← read_file"));
  }
  SECTION("-v") {
    auto mock = start_mock(tool_script());
    ProcResult r = run_agent(repo, *mock, "make add add", "true", {"--sandbox", "off", "-v"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "← read_file ("));
    CHECK(contains(r.err, "return a - b"));
    CHECK(contains(r.err, "← read_file failed ("));
    CHECK(contains(r.err, "missing.py"));
    CHECK(contains(r.err, "  out11\n"));
  }
}
