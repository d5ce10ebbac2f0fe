// End-to-end checks of the verdict's edges through the real binary and the
// mock model: the test command detected or absent, checks that fail before
// any request is paid for, and the verdict a user sees on a feature task.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

ProcResult run_plain(const TempRepo& repo, const MockServer& mock, std::vector<std::string> extra) {
  std::vector<std::string> args = {"run", "do the task", "--base-url", mock.base_url()};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcOptions o;
  o.cwd = repo.root();
  return run_diffsmith(args, o);
}

}  // namespace

TEST_CASE("run verdict e2e: a feature task on passing tests makes the whole change before the run ends") {
  TempRepo repo({{"money.py", "def cents(x):\n    return int(x * 100)\n"},
                 {"invoice.py", "def total(items):\n    return sum(items)\n"}});
  auto mock = start_mock(
      script({edit_turn(sr_block("money.py", "def cents(x):\n", "def cents(x):  # dollars\n")),
              edit_turn(sr_block("invoice.py", "def total(items):\n", "def total(items):  # sum\n")),
              finish_turn("commented both")}));
  ProcResult r = run_agent(repo, *mock, "comment both functions", "true");
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(mock->requests().size() == 3);
  CHECK(contains(repo.read("invoice.py"), "# sum"));
  CHECK(contains(r.err, "the tests pass already"));
  CHECK(contains(r.err, "run solved after 3 turn(s)"));
  CHECK(contains(r.err, "commented both"));
}

TEST_CASE("run verdict e2e: a failed edit then finish on passing tests is no_change, exit 1") {
  TempRepo repo({{"a.py", "x = 1\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.py", "y = 2\n", "y = 3\n")), finish_turn("added")}));
  ProcResult r = run_agent(repo, *mock, "add a docstring", "true", {"--json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  auto lines = json_lines(r.out);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back()["type"].as_string() == "run_finished");
  CHECK(lines.back()["status"].as_string() == "no_change");
  CHECK(lines.back()["diff"].as_string().empty());
}

TEST_CASE("run verdict e2e: the test command is detected and named, --no-test runs without one") {
  SECTION("detected from pyproject.toml") {
    TempRepo repo({{"pyproject.toml", "[tool.pytest.ini_options]\n"}, {"a.py", "x = 1\n"}});
    auto mock = start_mock(script({finish_turn("nothing")}));
    ProcResult r = run_plain(repo, *mock, {"--max-turns", "1"});
    INFO("stderr: " << r.err);
    CHECK(contains(r.err, "tests: pytest -q (detected from pyproject.toml)"));
  }
  SECTION("nothing detected: exit 2 naming both ways out, no request") {
    TempRepo repo({{"notes.txt", "hello\n"}});
    auto mock = start_mock(script({finish_turn("nothing")}));
    ProcResult r = run_plain(repo, *mock, {});
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "-t \"COMMAND\""));
    CHECK(contains(r.err, "--no-test"));
    CHECK(mock->requests().empty());
  }
  SECTION("--no-test: finish with a change is done, exit 0, tested false") {
    TempRepo repo({{"notes.txt", "hello\n"}});
    auto mock =
        start_mock(script({edit_turn(sr_block("notes.txt", "hello\n", "hello world\n")), finish_turn("ok")}));
    ProcResult r = run_plain(repo, *mock, {"--no-test", "--json"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    auto lines = json_lines(r.out);
    REQUIRE_FALSE(lines.empty());
    CHECK(lines.back()["status"].as_string() == "done");
    CHECK(lines.back()["tested"].as_bool() == false);
    for (const auto& name : tool_names(mock->requests().at(0))) CHECK(name != "run_tests");
  }
  SECTION("doctor shows the detected command") {
    TempRepo repo({{"go.mod", "module x\n"}});
    ProcOptions o;
    o.cwd = repo.root();
    ProcResult r = run_diffsmith({"doctor", "--base-url", "http://127.0.0.1:9/v1"}, o);
    CHECK(contains(r.out, "tests: go test ./... (detected from go.mod)"));
  }
}

TEST_CASE("run verdict e2e: a test command that cannot run stops before the first request (exit 2)") {
  TempRepo repo({{"a.py", "x = 1\n"}});
  auto mock = start_mock(script({finish_turn("never")}));
  ProcResult r = run_agent(repo, *mock, "fix it", "no-such-test-runner-xyz -q");
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "no-such-test-runner-xyz"));
  CHECK(contains(r.err, "not found"));
  CHECK(mock->requests().empty());
}

TEST_CASE("run verdict e2e: what would fail after the model's work fails before the first request") {
  TempRepo repo({{"a.py", "x = 1\n"}});
  auto mock = start_mock(script({finish_turn("never")}));
  std::vector<std::string> extra;
  std::string expect;
  SECTION("--branch naming an existing branch") {
    repo.git({"branch", "taken"});
    extra = {"--branch", "taken"};
    expect = "already exists";
  }
  SECTION("--commit on a detached HEAD") {
    repo.git({"checkout", "-q", "--detach"});
    extra = {"--commit"};
    expect = "detached";
  }
  SECTION("an unwritable --output-patch") {
    extra = {"--output-patch", "/nonexistent-dir-xyz/out.patch"};
    expect = "does not exist";
  }
  SECTION("--max-cost for a model without a known price") {
    extra = {"--model", "local-llama-7b", "--max-cost", "1"};
    expect = "--price-in/--price-out, or --max-cost 0";
  }
  ProcResult r = run_agent(repo, *mock, "fix it", "false", extra);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, expect));
  CHECK(mock->requests().empty());
}
