// End-to-end `diffsmith run` against the scripted mock model, the ways a run
// gets solved: one apply_edits turn, a second try after failing tests, a
// failed block repaired, plain-text blocks, V4A patches, --json events,
// --commit, and bad tool calls that the run survives. Each case is a real git
// repository in a temp dir, the real binary, and the python mock on 127.0.0.1.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";
const char* kCalcTest =
    "import unittest\n"
    "from calc import add\n\n\n"
    "class AddTest(unittest.TestCase):\n"
    "    def test_add(self):\n"
    "        self.assertEqual(add(2, 3), 5)\n";

// The last message of a request (after a turn: the agent's feedback).
std::string last_content(const Value& request) {
  const auto& msgs = messages_of(request);
  return msgs.empty() ? std::string() : msgs.back()["content"].as_string();
}

}  // namespace

TEST_CASE("run e2e: solved in one turn with apply_edits") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string head = repo.git({"rev-parse", "HEAD"});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(mock->requests().size() == 1);
  CHECK(contains(r.out, "diff --git a/a.txt b/a.txt"));
  CHECK(contains(r.out, "-broken\n+fixed\n"));

  // stdout is exactly the change: git accepts it reversed on the result.
  TempDir scratch;
  write_file(scratch.path + "/run.patch", r.out);
  int code = -1;
  std::string why = repo.git({"apply", "--check", "-R", scratch.path + "/run.patch"}, true, &code);
  INFO("git apply --check -R: " << why);
  CHECK(code == 0);

  // The user's branch did not move; the run left a checkpoint and no lock.
  CHECK(repo.git({"rev-parse", "HEAD"}) == head);
  CHECK_FALSE(repo.git({"for-each-ref", "refs/diffsmith"}).empty());
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
}

TEST_CASE("run e2e: solved after a failed test run, the second request carries the test output") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
  auto mock = start_mock(script({
      edit_turn(sr_block("calc.py", "    return a - b\n", "    return a * b\n")),  // still wrong: 6 != 5
      edit_turn(sr_block("calc.py", "    return a * b\n", "    return a + b\n")),
  }));

  // The test command also leaves a file in the tree (unittest.log), as real
  // test suites do. Python may write bytecode (the user's environment says
  // nothing): the second edit has the same size as the first and lands
  // within a second of it, so a cached .pyc would hide it.
  ProcOptions opts;
  opts.unset = {"PYTHONDONTWRITEBYTECODE"};
  const char* test_cmd = "python3 -m unittest -q 2> unittest.log; s=$?; cat unittest.log; exit $s";
  ProcResult r = run_agent(repo, *mock, "add() is wrong", test_cmd, {}, opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("calc.py") == "def add(a, b):\n    return a + b\n");
  CHECK_FALSE(repo.exists("__pycache__"));
  // The result is the model's change only, not what the test runs left behind.
  REQUIRE(repo.exists("unittest.log"));
  CHECK(contains(r.out, "diff --git a/calc.py b/calc.py"));
  CHECK_FALSE(contains(r.out, "unittest.log"));

  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  // The first request saw the failure before any change (-1 != 5), not the later one.
  CHECK(contains(all_text(reqs[0]), "-1 != 5"));
  CHECK_FALSE(contains(all_text(reqs[0]), "6 != 5"));
  // The second ends with the feedback on the wrong edit: the new failure.
  std::string feedback = last_content(reqs[1]);
  INFO("feedback: " << feedback);
  CHECK(contains(feedback, "The test command fails after your changes"));
  CHECK(contains(feedback, "AssertionError: 6 != 5"));
}

TEST_CASE("run e2e: a failed SEARCH block is repaired next turn, the diagnostics reached the model") {
  TempRepo repo({{"a.txt", "alpha\nbeta\ngamma\ndelta\n"}});
  Value bad = turn(
      {tool_call("apply_edits", Value::object().set("edits", sr_block("a.txt", "beta\nepsilon\n", "BETA\n")))
           .set("id", "call_bad")});
  auto mock = start_mock(script({bad, edit_turn(sr_block("a.txt", "beta\n", "BETA\n"))}));

  ProcResult r = run_agent(repo, *mock, "capitalise beta", "grep -q BETA a.txt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "alpha\nBETA\ngamma\ndelta\n");

  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  std::string reply = tool_reply(reqs[1], "call_bad");
  INFO("tool reply: " << reply);
  CHECK(contains(reply, "does not match"));
  // The closest lines of the real file, numbered: including lines the model never sent.
  CHECK(contains(reply, "3\tgamma"));
  CHECK(contains(reply, "4\tdelta"));
}

TEST_CASE("run e2e: SEARCH/REPLACE blocks in plain assistant text are applied") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string text =
      "The second line is wrong. Here is the fix:\n\n" + sr_block("a.txt", "broken\n", "fixed\n");
  auto mock = start_mock(script({turn({}, text)}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(mock->requests().size() == 1);
  CHECK(contains(r.out, "+fixed"));
}

TEST_CASE("run e2e: --edit-format patch offers apply_patch and applies V4A patches") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string patch =
      "*** Begin Patch\n"
      "*** Update File: a.txt\n"
      "@@\n"
      " hello\n"
      "-broken\n"
      "+fixed\n"
      "*** Add File: docs/notes.txt\n"
      "+a new note\n"
      "*** End Patch\n";
  auto mock = start_mock(script({turn({tool_call("apply_patch", Value::object().set("input", patch))})}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--edit-format", "patch"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(repo.read("docs/notes.txt") == "a new note\n");
  CHECK(contains(r.out, "new file mode"));

  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  auto names = tool_names(reqs[0]);
  CHECK(std::count(names.begin(), names.end(), "apply_patch") == 1);
  CHECK(std::count(names.begin(), names.end(), "apply_edits") == 0);
}

TEST_CASE("run e2e: --json prints one event per line, run_finished's diff equals --output-patch") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir out_dir;
  std::string patch_path = out_dir.path + "/final.patch";
  auto mock = start_mock(script({read_turn("a.txt"), edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  ProcResult r =
      run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--json", "--output-patch", patch_path});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);

  std::vector<Value> events = json_lines(r.out);  // fails on any non-JSON line
  REQUIRE_FALSE(events.empty());
  std::set<std::string> types;
  for (const auto& e : events) types.insert(e["type"].as_string());
  for (const char* t :
       {"run_started", "model_turn", "tool_call", "edit", "tests", "checkpoint", "run_finished"}) {
    INFO("event type " << t);
    CHECK(types.count(t) == 1);
  }
  CHECK(events.front()["type"].as_string() == "run_started");
  const Value& fin = events.back();
  REQUIRE(fin["type"].as_string() == "run_finished");
  CHECK(fin["status"].as_string() == "solved");
  CHECK(fin["exit_code"].as_int() == 0);
  CHECK(fin["turns"].as_int() == 2);
  CHECK(contains(fin["diff"].as_string(), "+fixed"));
  CHECK(read_file(patch_path) == fin["diff"].as_string());
}

TEST_CASE(
    "run e2e: --commit commits the solved change on the branch: the task as subject, the finish summary as "
    "body") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string head = repo.git({"rev-parse", "HEAD"});
  auto mock = start_mock(script({turn({
      tool_call("apply_edits", Value::object().set("edits", sr_block("a.txt", "broken\n", "fixed\n"))),
      tool_call("finish", Value::object().set("summary", "Replace the broken line in a.txt")),
  })}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--commit"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.git({"rev-parse", "HEAD~1"}) == head);  // one new commit on top
  CHECK(repo.git({"rev-parse", "--abbrev-ref", "HEAD"}) == "main\n");
  CHECK(repo.git({"log", "-1", "--format=%s"}) == "fix a.txt\n");
  CHECK(repo.git({"log", "-1", "--format=%b"}) == "Replace the broken line in a.txt\n\n");
  CHECK(repo.git({"show", "HEAD:a.txt"}) == "hello\nfixed\n");
  CHECK(repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE("run e2e: an unknown tool and invalid JSON arguments get error tool messages, the run goes on") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  Value bad = turn({
      tool_call("delete_everything", Value::object()).set("id", "call_unknown"),
      tool_call("read_file", "{\"path\": \"a.txt\"").set("id", "call_badjson"),  // raw, unterminated
  });
  auto mock = start_mock(script({bad, edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");

  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  std::string unknown = tool_reply(reqs[1], "call_unknown");
  INFO("unknown tool reply: " << unknown);
  CHECK(contains(unknown, "no tool named 'delete_everything'"));
  CHECK(contains(unknown, "read_file"));  // lists the tools that exist
  std::string badjson = tool_reply(reqs[1], "call_badjson");
  INFO("bad JSON reply: " << badjson);
  CHECK(contains(badjson, "not a JSON object"));
  CHECK(contains(badjson, "read_file"));
}
