// The verdict's proof rules in process (a scripted model, a real git
// repository): a change to tests alone does not solve fix mode, the
// regression delta against the base (failures from the start do not block,
// new ones do, flaky ones are reported), and reproduce mode with real
// subprocesses (python3) on a scratch copy of the base tree.
#include <catch2/catch.hpp>

#include "support/fake_session.hpp"

using namespace ds;
using namespace ds::test::session;
using agent::RunMode;
using agent::RunStatus;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n";
const char* kCalcTest = "from calc import add\nassert add(2, 3) == 5, add(2, 3)\n";

bool has_text(const TempRepo& repo, const std::string& path, const std::string& text) {
  return repo.read(path).find(text) != std::string::npos;
}

std::string notices(const RecordingSink& events) {
  std::string all;
  for (const auto& e : events.of_type("notice")) all += e["message"].as_string() + "\n";
  return all;
}

llm::Turn set_repro(const std::string& command, const std::string& file) {
  json::Value files = json::Value::array();
  files.push(file);
  return calls({{"set_reproduction",
                 json::dump(json::Value::object().set("command", command).set("files", std::move(files)))}});
}

// A file created by an edit block (empty SEARCH).
llm::Turn create(const std::string& path, const std::string& content) {
  return edit_reply(path, "", content);
}

// Real commands, for reproduce mode: the runner is the system's.
struct RealHarness : Harness {
  exec::SystemRunner real;
  explicit RealHarness(TempRepo& r) : Harness(r) {
    runner.result = [this](const exec::RunRequest& req) {
      auto res = real.run(req);
      REQUIRE(res.ok());
      return *res;
    };
    cfg.reproduce = true;
  }
};

}  // namespace

TEST_CASE(
    "verify: fix mode, rewriting the test file alone is not solved, the model is told to fix the code") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
  Harness h(repo);
  h.cfg.test_cmd = "python3 test_calc.py";
  h.tests_pass_when([](const TempRepo& r) {
    return has_text(r, "test_calc.py", "print('ok')") || has_text(r, "calc.py", "return a + b");
  });
  h.client.script = {
      edit_reply("test_calc.py", kCalcTest, "print('ok')\n"), finish_call("tests pass now"),
      edit_reply("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n")};
  auto out = h.run();
  CHECK(out.mode == RunMode::Fix);
  CHECK(out.turns == 3);
  CHECK(out.status == RunStatus::Solved);
  CHECK(contains(h.feedback(), "only test files (test_calc.py)"));
  CHECK(contains(h.feedback(), "Fix the code"));
  CHECK(contains(notices(h.events), "not solved: the change touches only test files"));
}

TEST_CASE("verify: fix mode, a test-only change the model insists on ends unsolved, exit 1") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
  Harness h(repo);
  h.tests_pass_when([](const TempRepo& r) { return has_text(r, "test_calc.py", "print('ok')"); });
  h.client.script = {edit_reply("test_calc.py", kCalcTest, "print('ok')\n"), finish_call("done"),
                     finish_call("done"), finish_call("done")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(out.exit_code == 1);
  CHECK(contains(out.reason, "only test files"));
  SECTION("--allow-test-edits: the same change solves") {
    TempRepo repo2({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
    Harness h2(repo2);
    h2.cfg.allow_test_edits = true;
    h2.tests_pass_when([](const TempRepo& r) { return has_text(r, "test_calc.py", "print('ok')"); });
    h2.client.script = {edit_reply("test_calc.py", kCalcTest, "print('ok')\n")};
    CHECK(h2.run().status == RunStatus::Solved);
  }
}

TEST_CASE("verify: a test already failing on the base does not block, the model ends the run") {
  TempRepo repo({{"calc.py", kCalc}});
  Harness h(repo);
  h.runner.result = [&repo](const exec::RunRequest&) {
    std::string out = "FAILED t.py::test_unrelated - ConnectionError\n";
    if (!has_text(repo, "calc.py", "a + b")) out += "FAILED t.py::test_add - assert -1 == 5\n";
    return exited(1, out + "2 failed, 5 passed\n");
  };
  h.client.script = {
      edit_reply("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"),
      finish_call("fixed add")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.exit_code == 0);
  CHECK(out.turns == 2);
  CHECK(contains(out.reason, "t.py::test_unrelated"));
  CHECK(contains(h.feedback(), "If those are unrelated to the task, call finish"));
}

TEST_CASE("verify: a fix that breaks a test that passed on the base is not solved") {
  TempRepo repo({{"calc.py", kCalc}});
  Harness h(repo);
  h.cfg.max_turns = 3;
  h.runner.result = [&repo](const exec::RunRequest&) {
    std::string out = "FAILED t.py::test_unrelated - ConnectionError\n";
    if (!has_text(repo, "calc.py", "a + b")) out += "FAILED t.py::test_add - assert -1 == 5\n";
    if (has_text(repo, "calc.py", "a * b")) out += "FAILED t.py::test_sub - assert 6 == -1\n";
    return exited(1, out);
  };
  h.client.script = {edit_reply("calc.py", kCalc,
                                "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a * b\n"),
                     finish_call("fixed add"), finish_call("really")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unsolved);
  CHECK(contains(h.feedback(), "Tests that passed at the start fail now: t.py::test_sub"));
  auto tests = h.events.of_type("tests");
  REQUIRE(tests.size() >= 2);
  CHECK(tests.back()["regressions"].items().size() == 1);
}

TEST_CASE("verify: a test that fails then passes on the unchanged tree is flaky, not a regression") {
  TempRepo repo({{"calc.py", kCalc}});
  Harness h(repo);
  int run = 0;
  h.runner.result = [&run](const exec::RunRequest&) {
    ++run;
    if (run == 2) return exited(1, "FAILED t.py::test_timing - took 2.1 s\n");  // the run after the change
    return exited(0, "5 passed\n");
  };
  h.client.script = {edit_reply("calc.py", "def sub(a, b):\n", "def sub(a, b):  # minus\n"),
                     finish_call("done")};
  auto out = h.run();
  CHECK(out.mode == RunMode::Change);
  CHECK(out.status == RunStatus::Solved);
  CHECK(h.runner.runs == 3);  // the base, after the change, and the second look
  CHECK(contains(notices(h.events), "flaky: t.py::test_timing"));
  auto fin = h.events.of_type("run_finished");
  REQUIRE(fin.size() == 1);
  REQUIRE(fin[0]["flaky"].items().size() == 1);
}

// --- reproduce mode, real commands ------------------------------------------

TEST_CASE("verify: the reproduction is checked on the base tree, not the edited one") {
  TempRepo repo({{"calc.py", kCalc}});
  RealHarness h(repo);
  h.cfg.test_cmd.clear();  // no regression suite: only the reproduction decides
  // The fix first, then the reproduction: on the work tree it would pass.
  h.client.script = {
      edit_reply("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"),
      create("repro_add.py", "from calc import add\nassert add(2, 3) == 5, add(2, 3)\n"),
      set_repro("python3 repro_add.py", "repro_add.py")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Solved);
  CHECK(out.exit_code == 0);
  CHECK(out.turns == 3);
  auto repro = h.events.of_type("reproduction");
  REQUIRE(repro.size() == 2);
  CHECK(repro[0]["tree"].as_string() == "base");
  CHECK(repro[0]["passed"].as_bool() == false);
  CHECK(contains(repro[0]["output_tail"].as_string(), "AssertionError: -1"));
  CHECK(repro[1]["tree"].as_string() == "work");
  CHECK(repro[1]["passed"].as_bool() == true);
  CHECK(contains(h.feedback(), "fails on the base tree (exit 1), as it must"));
  // The reproduction is the proof, not the change.
  CHECK(out.changed_paths == std::vector<std::string>{"calc.py"});
  CHECK_FALSE(contains(out.diff, "repro_add.py"));
  CHECK(contains(out.repro_diff, "+assert add(2, 3) == 5"));
  CHECK(out.repro_command == "python3 repro_add.py");
  auto fin = h.events.of_type("run_finished");
  REQUIRE(fin.size() == 1);
  CHECK(fin[0]["reproduction"]["failed_on_base"].as_bool());
  CHECK(fin[0]["reproduction"]["passes_at_end"].as_bool());
  // Nothing of the scratch tree is left.
  CHECK_FALSE(repo.exists(".git/diffsmith/scratch-test-run"));
}

TEST_CASE("verify: a reproduction that passes on the base is reported and cannot make the run solved") {
  TempRepo repo({{"calc.py", kCalc}});
  RealHarness h(repo);
  h.cfg.test_cmd.clear();
  h.client.script = {
      create("repro_add.py", "from calc import sub\nassert sub(3, 2) == 1\n"),
      set_repro("python3 repro_add.py", "repro_add.py"),
      edit_reply("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"),
      finish_call("fixed"),
      finish_call("fixed"),
      finish_call("fixed")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unverified);
  CHECK(out.exit_code == 1);
  CHECK(contains(out.reason, "unverified"));
  CHECK(contains(h.feedback(), "PASSES on the base tree"));
  CHECK(contains(h.feedback(), "reproduces nothing"));
}

TEST_CASE("verify: without a reproduction the run ends unverified, never exit 0") {
  TempRepo repo({{"calc.py", kCalc}});
  RealHarness h(repo);
  h.cfg.test_cmd = "python3 -c 'from calc import add; assert add(2, 3) == 5'";
  h.client.script = {
      edit_reply("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n"),
      finish_call("fixed"), finish_call("fixed"), finish_call("fixed")};
  auto out = h.run();
  CHECK(out.status == RunStatus::Unverified);
  CHECK(out.exit_code == 1);
  CHECK(contains(h.feedback(), "call set_reproduction"));
  auto fin = h.events.of_type("run_finished");
  REQUIRE(fin.size() == 1);
  CHECK(fin[0]["status"].as_string() == "unverified");
}

TEST_CASE("verify: reproduce mode with unittest, regressions against the base and old failures") {
  const char* tests =
      "import unittest\nfrom calc import sub\n\n\n"
      "class T(unittest.TestCase):\n"
      "    def test_sub(self):\n        self.assertEqual(sub(3, 2), 1)\n\n"
      "    def test_unrelated(self):\n        self.fail('broken before the run')\n";
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", tests}});
  RealHarness h(repo);
  h.cfg.test_cmd = "python3 -m unittest -v test_calc";
  llm::Turn repro = create("repro_add.py", "from calc import add\nassert add(2, 3) == 5, add(2, 3)\n");
  llm::Turn set = set_repro("python3 repro_add.py", "repro_add.py");
  SECTION("a fix that breaks test_sub is not solved") {
    h.cfg.max_turns = 5;
    h.client.script = {repro, set,
                       edit_reply("calc.py", kCalc,
                                  "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a + b\n"),
                       finish_call("fixed"), finish_call("fixed")};
    auto out = h.run();
    INFO("feedback: " << h.feedback());
    CHECK(out.status == RunStatus::Unsolved);
    CHECK(contains(h.feedback(), "Your change breaks tests that passed at the start (test_sub (test_calc.T"));
  }
  SECTION("test_unrelated, failing on the base, does not block") {
    h.client.script = {
        repro, set,
        edit_reply("calc.py", "def add(a, b):\n    return a - b\n", "def add(a, b):\n    return a + b\n")};
    auto out = h.run();
    INFO("feedback: " << h.feedback());
    CHECK(out.status == RunStatus::Solved);
    CHECK(out.turns == 3);
    CHECK_FALSE(contains(out.diff, "repro_add.py"));
  }
}
