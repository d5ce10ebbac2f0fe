// The verdict rules (DESIGN.md, "The verdict"), one case per rule, run in
// process: a scripted model, a fake test command judged on the real work
// tree, a real git repository. Given a repository and a script, then the
// run ends as the rule says, after the turns it says.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "support/fake_session.hpp"

using namespace ds;
using namespace ds::test::session;
using agent::RunMode;
using agent::RunStatus;

namespace {

const char* kMoney = "def cents(x):\n    return int(x * 100)\n";
const char* kInvoice = "def total(items):\n    return sum(items)\n";

bool has_text(const TempRepo& repo, const std::string& path, const std::string& text) {
  return repo.read(path).find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("verdict: fix mode ends on the first turn after which the tests pass, without another request") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo& r) { return has_text(r, "money.py", "round("); });
  h.client.script = {edit_reply("money.py", "    return int(x * 100)\n", "    return int(round(x * 100))\n"),
                     finish_call("never asked")};
  auto out = h.run();
  CHECK(out.mode == RunMode::Fix);
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.exit_code == 0);
  CHECK(out.turns == 1);
  CHECK(h.client.requests.size() == 1);
  CHECK(out.changed_paths == std::vector<std::string>{"money.py"});
}

TEST_CASE("verdict: change mode does not end on passing tests, the model ends it after the whole change") {
  TempRepo repo({{"money.py", kMoney}, {"invoice.py", kInvoice}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo&) { return true; });
  h.client.script = {
      edit_reply("money.py", "def cents(x):\n", "def cents(x):\n    \"\"\"Dollars to cents.\"\"\"\n"),
      edit_reply("invoice.py", "def total(items):\n", "def total(items):\n    \"\"\"Sum.\"\"\"\n"),
      finish_call("documented both functions")};
  auto out = h.run();
  CHECK(out.mode == RunMode::Change);
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.exit_code == 0);
  CHECK(out.turns == 3);
  CHECK(has_text(repo, "invoice.py", "Sum."));
  CHECK(out.changed_paths.size() == 2);
  CHECK(out.summary == "documented both functions");
  // Tests ran at the start and after each of the two edits.
  CHECK(h.runner.runs == 3);
  CHECK(contains(h.client.requests[0].messages[1].content, "passing tests do not mean the task is done"));
}

TEST_CASE("verdict: in change mode a reply with no tool call and no edit ends the run") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo&) { return true; });
  h.client.script = {edit_reply("money.py", "def cents(x):\n", "def cents(x):  # dollars\n"),
                     reply("Done: the comment is in place.")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.turns == 2);
  CHECK(out.summary.empty());  // the summary is finish's alone, never a turn's prose
}

TEST_CASE("verdict: in change mode finish while the tests fail is a stall, the model goes on and fixes it") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo& r) { return !has_text(r, "money.py", "broken"); });
  h.client.script = {
      edit_reply("money.py", "def cents(x):\n", "def cents(x):  # broken\n"), finish_call("done"),
      edit_reply("money.py", "def cents(x):  # broken\n", "def cents(x):  # fixed\n"), finish_call("fixed")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.turns == 4);
  CHECK(contains(h.feedback(), "You called finish, but the test command still fails"));
}

TEST_CASE("verdict: --no-test: finish with a change is done, and the run_tests tool is not offered") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.test_cmd.clear();
  h.runner.result = [](const exec::RunRequest&) { return exited(0); };
  h.client.script = {edit_reply("money.py", "def cents(x):\n", "def cents(x):  # dollars\n"),
                     finish_call("ok")};
  auto out = h.run();
  CHECK(out.mode == RunMode::Untested);
  CHECK(out.status == RunStatus::Done);
  CHECK(out.exit_code == 0);
  CHECK(h.runner.runs == 0);
  for (const auto& t : h.client.requests[0].tools) CHECK(t.name != "run_tests");
  auto finished = h.events.of_type("run_finished");
  REQUIRE(finished.size() == 1);
  CHECK(finished[0]["status"].as_string() == "done");
  CHECK(finished[0]["tested"].as_bool() == false);
}

TEST_CASE("verdict: --no-test: finish without a change is no_change") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.test_cmd.clear();
  h.client.script = {finish_call("nothing needed")};
  auto out = h.run();
  CHECK(out.status == RunStatus::NoChange);
  CHECK(out.exit_code == 1);
  CHECK(out.summary == "nothing needed");
}

TEST_CASE("verdict: an empty change is never solved (a failed edit, then finish, on passing tests)") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo&) { return true; });
  h.client.script = {edit_reply("money.py", "def no_such_function():\n", "def x():\n"),
                     finish_call("added the docstring")};
  auto out = h.run();
  CHECK(out.status == RunStatus::NoChange);
  CHECK(out.exit_code == 1);
  CHECK(out.diff.empty());
  auto finished = h.events.of_type("run_finished");
  REQUIRE(finished.size() == 1);
  CHECK(finished[0]["status"].as_string() == "no_change");
}

TEST_CASE("verdict: a change undone by a later edit is no change") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo&) { return true; });
  h.client.script = {edit_reply("money.py", "def cents(x):\n", "def cents(y):\n"),
                     edit_reply("money.py", "def cents(y):\n", "def cents(x):\n"), finish_call("done")};
  auto out = h.run();
  CHECK(out.status == RunStatus::NoChange);
  CHECK(out.exit_code == 1);
}

TEST_CASE("verdict: failed edits are attempts, not stalls, and the feedback does not contradict itself") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.max_turns = 4;
  h.tests_pass_when([](const TempRepo&) { return false; });
  h.client.script = {edit_reply("money.py", "nope 1\n", "x\n"), edit_reply("money.py", "nope 2\n", "x\n"),
                     edit_reply("money.py", "nope 3\n", "x\n"), edit_reply("money.py", "nope 4\n", "x\n")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(contains(out.reason, "turn limit"));
  CHECK(out.turns == 4);
  CHECK_FALSE(contains(h.feedback(), "no tool call and no edit"));
  CHECK(contains(h.feedback(), "failed"));
}

TEST_CASE("verdict: three stalls in a row end the run, an applied change resets the count") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.max_turns = 10;
  h.tests_pass_when([](const TempRepo&) { return false; });
  h.client.script = {reply("thinking"),
                     reply("done?"),
                     edit_reply("money.py", "def cents(x):\n", "def cents(x):  # try\n"),  // resets
                     reply("hmm"),
                     reply("still"),
                     finish_call("give up")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(contains(out.reason, "stopped 3 times"));
  CHECK(out.turns == 6);
}

TEST_CASE("verdict: a test command that cannot run stops the run before the first request") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  SECTION("exit 127") {
    h.runner.result = [](const exec::RunRequest&) { return exited(127, "sh: 1: pytest: not found\n"); };
  }
  SECTION("exit 126") {
    h.runner.result = [](const exec::RunRequest&) {
      return exited(126, "sh: 1: ./t.sh: Permission denied\n");
    };
  }
  SECTION("the shell's not found with another exit code") {
    h.runner.result = [](const exec::RunRequest&) { return exited(2, "sh: 1: tox: not found\n"); };
  }
  SECTION("a time-out at the start") {
    h.runner.result = [](const exec::RunRequest&) {
      exec::RunResult r = exited(-1, "partial output\n");
      r.timed_out = true;
      return r;
    };
  }
  h.client.script = {finish_call("never")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Error);
  CHECK(out.exit_code == 2);
  CHECK(h.client.requests.empty());
  CHECK(contains(out.reason, "fake-tests"));
  CHECK(contains(out.reason, "--no-test"));
}

TEST_CASE("verdict: an ordinary failing test run is fix mode, even when its output says 'not found'") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.runner.result = [](const exec::RunRequest&) { return exited(1, "AssertionError: key not found\n"); };
  h.client.script = {reply("I give up"), reply("really"), reply("done")};
  auto out = h.run();
  CHECK(out.mode == RunMode::Fix);
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(h.client.requests.size() == 3);
}

TEST_CASE("verdict: a reply cut off at the length limit is told so") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo& r) { return has_text(r, "money.py", "round("); });
  llm::Turn cut = reply("money.py\n```\n<<<<<<< SEARCH\n    return int(x");
  cut.finish_reason = "length";
  h.client.script = {cut,
                     edit_reply("money.py", "    return int(x * 100)\n", "    return int(round(x * 100))\n")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.turns == 2);
  CHECK(contains(h.feedback(), "cut off at the output token limit"));
}

TEST_CASE("verdict: a context-length error collapses old tool outputs and retries once") {
  std::string big;
  for (int i = 0; i < 60; ++i) big += "RATE_" + std::to_string(i) + " = " + std::to_string(i * 7) + "\n";
  TempRepo repo({{"money.py", kMoney}, {"rates.py", big}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo& r) { return has_text(r, "money.py", "round("); });
  h.client.script = {calls({{"read_file", R"({"path":"rates.py"})"}}),
                     calls({{"read_file", R"({"path":"rates.py"})"}}),
                     Result<llm::Turn>(make_error("too long", llm::ErrorKind::ContextLength)),
                     edit_reply("money.py", "    return int(x * 100)\n", "    return int(round(x * 100))\n")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  REQUIRE(h.client.requests.size() == 4);
  const auto& retried = h.client.requests[3].messages;
  int collapsed = 0, whole = 0;
  for (const auto& m : retried) {
    if (m.role != llm::Role::Tool) continue;
    if (contains(m.content, "[collapsed: read_file output of turn 1")) {
      ++collapsed;
      CHECK(contains(m.content, R"(call read_file {"path":"rates.py"} again)"));
    }
    if (contains(m.content, "RATE_59")) ++whole;
  }
  CHECK(collapsed == 1);
  CHECK(whole == 1);                                                       // the newest tool output is kept
  CHECK(contains(retried.back().content, "collapsed to one-line stubs"));  // the model is told
  bool noticed = false;
  for (const auto& e : h.events.of_type("notice"))
    noticed |= contains(e["message"].as_string(), "context window was exceeded");
  CHECK(noticed);
}

TEST_CASE("verdict: Ctrl-C during a tool call: the rest of the turn is not run, exit 130") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo&) { return false; });
  h.client.script = {calls({{"run_tests", "{}"}, {"apply_edits", R"({"edits":"x"})"}, {"run_tests", "{}"}})};
  int runs_at_start = 0;
  h.runner.during = [&] {
    if (++runs_at_start == 2) h.interrupted = true;  // during the first run_tests call
  };
  auto out = h.run();
  CHECK(out.status == RunStatus::Interrupted);
  CHECK(out.exit_code == 130);
  CHECK(h.runner.runs == 2);
  CHECK(contains(h.feedback(), "Not run: the run was interrupted"));
}

TEST_CASE("verdict: tool calls per turn are capped, the rest are answered 'not run'") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.max_turns = 1;
  h.tests_pass_when([](const TempRepo&) { return false; });
  std::vector<std::pair<std::string, std::string>> many(30, {"run_tests", "{}"});
  h.client.script = {calls(many)};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(h.runner.runs == 1 + 16);
  size_t not_run = 0;
  for (const auto& m : h.events.messages)
    if (m["role"].as_string() == "tool" && contains(m["content"].as_string(), "too many tool calls"))
      ++not_run;
  CHECK(not_run == 14);
}

TEST_CASE("verdict: the time budget is checked between tool calls") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.max_wall_s = 1;
  h.tests_pass_when([](const TempRepo&) { return false; });
  h.client.script = {calls({{"run_tests", "{}"}, {"run_tests", "{}"}, {"run_tests", "{}"}})};
  int n = 0;
  h.runner.during = [&] {
    if (++n == 2) std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  };
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(contains(out.reason, "wall-time limit"));
  CHECK(h.runner.runs == 2);  // the start and the first call; the other two were not run
  CHECK(contains(h.feedback(), "Not run: the run's time limit"));
}

TEST_CASE("verdict: the cost limit is shown as it was set") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.cfg.max_cost = 0.005;
  h.tests_pass_when([](const TempRepo&) { return false; });
  h.client.script = {reply("thinking"), reply("more")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(contains(out.reason, "--max-cost 0.005)"));
  CHECK(out.turns == 1);
}

TEST_CASE("verdict: a model API error ends the run with exit 3 and the changes so far in the diff") {
  TempRepo repo({{"money.py", kMoney}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo&) { return false; });
  h.client.script = {edit_reply("money.py", "def cents(x):\n", "def cents(x):  # wip\n"),
                     Result<llm::Turn>(make_error("401 invalid key", llm::ErrorKind::Auth))};
  auto out = h.run();
  CHECK(out.status == RunStatus::Error);
  CHECK(out.exit_code == 3);
  CHECK(contains(out.diff, "# wip"));
}
