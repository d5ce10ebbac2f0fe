// End to end through the binary and the scripted mock: the proof rules of
// the verdict a user sees. A rewritten test file does not solve a failing
// suite; --reproduce checks the model's reproduction on the base tree, keeps
// it out of the patch (into --output-repro), and ends unverified without one.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kCalc = "def add(a, b):\n    return a - b\n";
const char* kCalcTest = "from calc import add\nassert add(2, 3) == 5, add(2, 3)\n";
const char* kFix = "def add(a, b):\n    return a + b\n";

Value set_repro_turn(const std::string& command, const std::string& file) {
  Value files = Value::array();
  files.push(file);
  return turn({tool_call("set_reproduction",
                         Value::object().set("command", command).set("files", std::move(files)))});
}

std::string last_user_message(const Value& request) {
  const auto& msgs = messages_of(request);
  for (size_t i = msgs.size(); i-- > 0;)
    if (msgs[i]["role"].as_string() == "user") return msgs[i]["content"].as_string();
  return {};
}

}  // namespace

TEST_CASE("run verify e2e: rewriting test_calc.py to print('ok') is not solved, the bug stays, exit 1") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
  auto mock = start_mock(
      script({edit_turn(sr_block("test_calc.py", kCalcTest, "print('ok')\n")), finish_turn("the tests pass"),
              finish_turn("the tests pass"), finish_turn("the tests pass")}));
  ProcResult r = run_agent(repo, *mock, "add() is wrong", "python3 test_calc.py", {"--json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  auto lines = json_lines(r.out);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back()["status"].as_string() == "unsolved");
  CHECK(contains(lines.back()["reason"].as_string(), "only test files"));
  bool noticed = false;
  for (const auto& e : lines)
    noticed |= e["type"].as_string() == "notice" && contains(e["message"].as_string(), "only test files");
  CHECK(noticed);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() >= 2);
  CHECK(contains(last_user_message(reqs[1]), "Your change touches only test files (test_calc.py)"));
}

TEST_CASE("run verify e2e: --allow-test-edits lets a change to the tests alone solve") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
  auto mock = start_mock(script({edit_turn(sr_block("test_calc.py", kCalcTest, "print('ok')\n"))}));
  ProcResult r = run_agent(repo, *mock, "the test is wrong", "python3 test_calc.py", {"--allow-test-edits"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE(
    "run verify e2e: --reproduce, the reproduction fails on the base, passes after the fix, stays out of the "
    "patch") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", "from calc import add\n"}});
  TempDir out_dir;
  std::string repro_path = out_dir.path + "/repro.patch";
  auto mock = start_mock(script({
      edit_turn(sr_block("repro_add.py", "", "from calc import add\nassert add(2, 3) == 5, add(2, 3)\n")),
      set_repro_turn("python3 repro_add.py", "repro_add.py"),
      edit_turn(sr_block("calc.py", kCalc, kFix)),
  }));
  ProcResult r = run_agent(repo, *mock, "add() is wrong", "python3 test_calc.py",
                           {"--reproduce", "--json", "--output-repro", repro_path});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  const Value& fin = lines.back();
  CHECK(fin["status"].as_string() == "solved");
  CHECK(contains(fin["diff"].as_string(), "+    return a + b"));
  CHECK_FALSE(contains(fin["diff"].as_string(), "repro_add.py"));
  CHECK(fin["reproduction"]["failed_on_base"].as_bool());
  CHECK(fin["reproduction"]["passes_at_end"].as_bool());
  std::string repro = read_file(repro_path);
  CHECK(contains(repro, "# reproduction: python3 repro_add.py"));
  CHECK(contains(repro, "+++ b/repro_add.py"));
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 3);
  CHECK(contains(all_text(reqs[2]), "fails on the base tree (exit 1), as it must"));
  CHECK(contains(all_text(reqs[2]), "AssertionError: -1"));
  auto names = tool_names(reqs[0]);
  CHECK(std::find(names.begin(), names.end(), "set_reproduction") != names.end());
}

TEST_CASE("run verify e2e: --reproduce --keep-repro keeps the reproduction in the patch") {
  TempRepo repo({{"calc.py", kCalc}});
  auto mock = start_mock(script({
      edit_turn(sr_block("repro_add.py", "", "from calc import add\nassert add(2, 3) == 5\n")),
      set_repro_turn("python3 repro_add.py", "repro_add.py"),
      edit_turn(sr_block("calc.py", kCalc, kFix)),
  }));
  ProcResult r = run_agent(repo, *mock, "add() is wrong", "true", {"--reproduce", "--keep-repro"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "+++ b/repro_add.py"));
  CHECK(contains(r.out, "+++ b/calc.py"));
}

TEST_CASE("run verify e2e: --reproduce without a reproduction ends unverified, exit 1, said plainly") {
  TempRepo repo({{"calc.py", kCalc}, {"test_calc.py", kCalcTest}});
  auto mock = start_mock(script({edit_turn(sr_block("calc.py", kCalc, kFix)), finish_turn("fixed"),
                                 finish_turn("fixed"), finish_turn("fixed")}));
  ProcResult r = run_agent(repo, *mock, "add() is wrong", "python3 test_calc.py", {"--reproduce"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "run unverified"));
  CHECK(contains(r.err, "no reproduction failed on the base tree"));
}
