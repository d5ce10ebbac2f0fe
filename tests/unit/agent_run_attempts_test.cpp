// Best of N end to end through the binary, the scripted mock over loopback,
// real repositories and real reproduction runs: --attempts runs each attempt
// in a scratch tree, cross-checks the reproductions, and only the winner
// reaches the user's tree (one `undo` takes it back); --agree stops early;
// --max-cost spans all attempts; --attempts 1 is a plain run.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";

Value set_repro_turn(const std::string& command, const std::string& file) {
  Value files = Value::array();
  files.push(file);
  return turn({tool_call("set_reproduction",
                         Value::object().set("command", command).set("files", std::move(files)))});
}

// One attempt: write a reproduction, set it, fix calc.py with `body`. The
// second attempt of three is asked for the other edit format (patch), so it
// answers with apply_patch.
std::vector<Value> attempt(const std::string& repro_file, const std::string& assertion,
                           const std::string& body, bool patch_format = false) {
  std::string repro = "from calc import add\n" + assertion + "\n";
  if (patch_format) {
    auto patch = [](const std::string& text) {
      return turn({tool_call("apply_patch",
                             Value::object().set("input", "*** Begin Patch\n" + text + "*** End Patch\n"))});
    };
    return {patch("*** Add File: " + repro_file + "\n+from calc import add\n+" + assertion + "\n"),
            set_repro_turn("python3 " + repro_file, repro_file),
            patch("*** Update File: calc.py\n@@ def add(a, b):\n-    return a - b\n+" + body + "\n")};
  }
  return {edit_turn(sr_block(repro_file, "", repro)), set_repro_turn("python3 " + repro_file, repro_file),
          edit_turn(sr_block("calc.py", kCalc, "def add(a, b):\n" + body + "\n"))};
}

std::vector<Value> joined(std::vector<std::vector<Value>> parts) {
  std::vector<Value> out;
  for (auto& p : parts)
    for (auto& v : p) out.push_back(std::move(v));
  return out;
}

const Value& finished(const std::vector<Value>& events) {
  REQUIRE_FALSE(events.empty());
  REQUIRE(events.back()["type"].as_string() == "run_finished");
  return events.back();
}

}  // namespace

TEST_CASE("attempts e2e: a change passing only its own reproduction loses to the two that pass all three") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script(joined({
      attempt("repro_one.py", "assert add(2, 3) == 5, add(2, 3)",
              "    return 5 if (a, b) == (2, 3) else a - b"),
      attempt("repro_two.py", "assert add(1, 1) == 2, add(1, 1)", "    return a + b", true),
      attempt("repro_three.py", "assert add(10, 5) == 15", "    return a+b  # the sign was wrong"),
  })));
  ProcResult r =
      run_agent(repo, *mock, "add() is wrong", "true", {"--reproduce", "--attempts", "3", "--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(mock->requests().size() == 9);
  auto events = json_lines(r.out);
  const Value& fin = finished(events);
  CHECK(fin["status"].as_string() == "solved");
  const auto& attempts = fin["attempts"].items();
  REQUIRE(attempts.size() == 3);
  for (const auto& a : attempts) {
    CHECK(a["status"].as_string() == "solved");
    CHECK(a["reproduction"]["failed_on_base"].as_bool());
  }
  // Attempt 1 fails the reproductions of attempts 2 and 3; they pass every one.
  const auto& fails = attempts[0]["fails_reproduction_of"].items();
  REQUIRE(fails.size() == 2);
  CHECK(fails[0].as_int() == 2);
  CHECK(fails[1].as_int() == 3);
  CHECK(attempts[1]["fails_reproduction_of"].items().empty());
  CHECK(attempts[2]["fails_reproduction_of"].items().empty());
  CHECK_FALSE(attempts[0]["winner"].as_bool());
  CHECK((attempts[1]["winner"].as_bool() || attempts[2]["winner"].as_bool()));
  CHECK(contains(fin["selection"].as_string(), "same change"));
  // Only the winner reached the work tree, without any reproduction file.
  std::string calc = repo.read("calc.py");
  CHECK(contains(calc, "a+b") != contains(calc, "a + b"));
  CHECK_FALSE(contains(calc, "(2, 3)"));
  for (const char* f : {"repro_one.py", "repro_two.py", "repro_three.py"})
    CHECK_FALSE(std::filesystem::exists(repo.root() + "/" + f));
  CHECK_FALSE(contains(fin["diff"].as_string(), "repro_"));
  // Each attempt got its own conversation: the third's first request has none of the first's turns.
  CHECK_FALSE(contains(all_text(mock->requests()[6]), "repro_one.py"));
  // `show` (from the run's trajectory) lists every attempt and the choice.
  ProcResult shown = run_diffsmith({"show"}, ProcOptions{repo.root()});
  INFO("show: " << shown.out << shown.err);
  CHECK(shown.exit_code == 0);
  CHECK(contains(shown.out, "attempt 1 (as configured): solved"));
  CHECK(contains(shown.out, "fails the reproduction of attempt 2, 3"));
  CHECK(contains(shown.out, "chosen: attempt "));
  // One undo restores the tree.
  ProcResult u = run_diffsmith({"undo"}, ProcOptions{repo.root()});
  INFO("undo stderr: " << u.err);
  CHECK(u.exit_code == 0);
  CHECK(repo.read("calc.py") == kCalc);
}

TEST_CASE("attempts e2e: --agree 2 stops after two agreeing verified attempts, no further model request") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script(joined({
      attempt("repro_one.py", "assert add(2, 3) == 5, add(2, 3)", "    return a + b"),
      attempt("repro_two.py", "assert add(1, 1) == 2, add(1, 1)", "    return a  +  b", true),
      attempt("repro_three.py", "assert add(10, 5) == 15", "    return b + a"),
  })));
  ProcResult r = run_agent(repo, *mock, "add() is wrong", "true",
                           {"--reproduce", "--attempts", "3", "--agree", "2", "--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(mock->requests().size() == 6);
  auto events = json_lines(r.out);
  const Value& fin = finished(events);
  const auto& attempts = fin["attempts"].items();
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[2]["status"].as_string() == "not_run");
  CHECK(contains(attempts[2]["reason"].as_string(), "--agree 2"));
  CHECK(fin["turns"].as_int() == 6);
  CHECK(contains(repo.read("calc.py"), "return a + b"));
}

TEST_CASE("attempts e2e: --max-cost bounds all attempts together") {
  TempRepo repo({{"calc.py", kCalc}});
  // Every turn costs $0.01 (5000 prompt tokens at gpt-4.1's $2/M): attempt 1
  // (read, finish) spends $0.02, attempt 2's first request (estimated at about
  // $0.0043 before it is sent) still fits in the $0.005 left, its turn passes
  // the $0.025 of all attempts together, attempt 3 never starts.
  std::vector<Value> turns;
  for (Value t : {read_turn("calc.py"), finish_turn("nothing to do"), read_turn("calc.py"),
                  read_turn("calc.py"), read_turn("calc.py"), read_turn("calc.py")}) {
    t.set("usage", Value::object().set("prompt_tokens", 5000).set("completion_tokens", 0));
    turns.push_back(t);
  }
  auto mock = start_mock(script(turns));
  ProcResult r =
      run_agent(repo, *mock, "add() is wrong", "true", {"--attempts", "3", "--max-cost", "0.025", "--json"});
  INFO("stderr: " << r.err);
  auto events = json_lines(r.out);
  const Value& fin = finished(events);
  const auto& attempts = fin["attempts"].items();
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[2]["status"].as_string() == "not_run");
  CHECK(contains(attempts[2]["reason"].as_string(), "cost limit of all attempts"));
  INFO("attempt 1: " << attempts[0]["reason"].as_string()
                     << " / attempt 2: " << attempts[1]["reason"].as_string());
  CHECK(contains(attempts[1]["reason"].as_string(), "all attempts together"));
  CHECK(mock->requests().size() == 3);
  CHECK(fin["cost_usd"].as_double() >= 0.025);
  CHECK(repo.read("calc.py") == kCalc);
}

TEST_CASE("attempts e2e: --attempts 1 is a plain run, without attempts in run_finished") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script(attempt("repro_one.py", "assert add(2, 3) == 5", "    return a + b")));
  ProcResult r =
      run_agent(repo, *mock, "add() is wrong", "true", {"--reproduce", "--attempts", "1", "--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto events = json_lines(r.out);
  const Value& fin = finished(events);
  CHECK_FALSE(fin.has("attempts"));
  CHECK(mock->requests().size() == 3);
  CHECK(contains(repo.read("calc.py"), "return a + b"));
}

TEST_CASE("attempts e2e: --attempts-parallel 2 runs both attempts at once, each with its own client") {
  TempRepo repo({{"calc.py", kCalc}});
  // Replies come in whatever order the two attempts ask; every one is the same.
  std::vector<Value> turns;
  for (int i = 0; i < 8; ++i) turns.push_back(finish_turn("nothing to change"));
  auto mock = start_mock(script(turns));
  ProcResult r = run_agent(repo, *mock, "add() is wrong", "true",
                           {"--attempts", "2", "--attempts-parallel", "2", "--json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  auto events = json_lines(r.out);
  const Value& fin = finished(events);
  CHECK(fin["status"].as_string() == "no_change");
  const auto& attempts = fin["attempts"].items();
  REQUIRE(attempts.size() == 2);
  for (const auto& a : attempts) CHECK(a["status"].as_string() == "no_change");
  CHECK(fin["turns"].as_int() == static_cast<int64_t>(mock->requests().size()));
  CHECK(repo.read("calc.py") == kCalc);
}

TEST_CASE("attempts e2e: an attempt's tests and commands may write in its scratch tree, as in a run") {
  TempRepo repo({{"calc.py", kCalc}});
  // The model's command writes a file in the tree; the tests write one too
  // (a cache, a report) before they check the fix.
  Value command = turn(
      {tool_call("run_command", Value::object().set("command", "echo made > made.txt && cat made.txt"))});
  // The second attempt is asked for the other edit format (patch).
  Value patch = turn(
      {tool_call("apply_patch",
                 Value::object().set(
                     "input",
                     "*** Begin Patch\n*** Update File: calc.py\n@@ def add(a, b):\n-    return a - b\n+    "
                     "return a + b\n*** End Patch\n"))});
  auto mock =
      start_mock(script({command, edit_turn(sr_block("calc.py", kCalc, "def add(a, b):\n    return a + b\n")),
                         command, patch}));
  ProcResult r =
      run_agent(repo, *mock, "add() is wrong", "echo ran > .test-report && grep -q 'a + b' calc.py",
                {"--attempts", "2", "--json"});
  INFO("stderr: " << r.err);
  auto events = json_lines(r.out);
  const Value& fin = finished(events);
  REQUIRE(fin["attempts"].items().size() == 2);
  for (const Value& a : fin["attempts"].items()) CHECK(a["status"].as_string() == "solved");
  for (const Value& e : events)
    if (e["type"].as_string() == "tool_result" && e["name"].as_string() == "run_command") {
      INFO(e["excerpt"].as_string());
      CHECK(e["ok"].as_bool());
      CHECK(contains(e["excerpt"].as_string(), "made"));
    }
  CHECK(r.exit_code == 0);
  CHECK(contains(repo.read("calc.py"), "return a + b"));
}
