// The GitHub Action (action.yml) without GitHub: its steps are the plain
// scripts in scripts/action/, run here as GitHub would run them -- inputs as
// INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files -- with the
// real binary against the mock model, in a real repository. And the action's
// metadata checked against GitHub's rules (tests/action/validate_action.py).
#include <catch2/catch.hpp>
#include <regex>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

const std::string kSource = DIFFSMITH_SOURCE_DIR;

// name=value lines of a GITHUB_OUTPUT file.
std::map<std::string, std::string> outputs_of(const std::string& path) {
  std::map<std::string, std::string> out;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

struct ActionRun {
  ProcResult proc;
  std::map<std::string, std::string> outputs;
  std::string summary;
};

// scripts/action/run.sh in `repo` with the given inputs (INPUT_* names).
ActionRun run_action(const TempRepo& repo, const TempDir& runner, std::map<std::string, std::string> env) {
  env["DIFFSMITH_ACTION_BIN"] = DIFFSMITH_BINARY;
  env["GITHUB_OUTPUT"] = runner.path + "/output";
  env["GITHUB_STEP_SUMMARY"] = runner.path + "/summary.md";
  env["RUNNER_TEMP"] = runner.path;
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env = env;
  opts.timeout_s = 60;
  ActionRun r;
  r.proc = run_process({"/bin/bash", kSource + "/scripts/action/run.sh"}, opts);
  r.outputs = outputs_of(runner.path + "/output");
  r.summary = read_file(runner.path + "/summary.md");
  return r;
}

}  // namespace

TEST_CASE("action: a solved run sets the outputs and shows verdict, cost and diff in the summary",
          "[action]") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"notes dir/pinned file.txt", "PINNED-MARKER\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  TempDir runner;
  ActionRun r =
      run_action(repo, runner,
                 {{"INPUT_TASK", "fix a.txt\nsecond line of the task"},
                  {"INPUT_TEST_COMMAND", "grep -q fixed a.txt"},
                  {"INPUT_MODEL", "gpt-4.1"},
                  {"INPUT_MAX_COST", "1.5"},
                  {"INPUT_MAX_TURNS", "3"},
                  {"INPUT_EDIT_FORMAT", "search-replace"},
                  // A quoted word stays one argument.
                  {"INPUT_ARGS", "--base-url " + mock->base_url() + " -f 'notes dir/pinned file.txt'"}});
  INFO("stderr: " << r.proc.err << "\nsummary:\n" << r.summary);
  REQUIRE(r.proc.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(r.outputs["status"] == "solved");
  CHECK(r.outputs["exit-code"] == "0");
  CHECK(std::regex_match(r.outputs["cost-usd"], std::regex("[0-9]+\\.[0-9]{4}")));
  REQUIRE_FALSE(r.outputs["patch-file"].empty());
  std::string patch = read_file(r.outputs["patch-file"]);
  CHECK(contains(patch, "diff --git a/a.txt b/a.txt"));
  CHECK(contains(patch, "-broken\n+fixed\n"));
  CHECK(contains(read_file(r.outputs["events-file"]), "\"type\":\"run_finished\""));

  CHECK(contains(r.summary, "### diffsmith: solved"));
  CHECK(contains(r.summary, "| verdict | solved (exit code 0) |"));
  CHECK(contains(r.summary, "| cost | $" + r.outputs["cost-usd"] + " |"));
  CHECK(contains(r.summary, "```diff\ndiff --git a/a.txt b/a.txt"));

  // What reached the model: the whole task, the model and the pinned file
  // named with a quoted path containing a space.
  auto requests = mock->requests();
  REQUIRE(requests.size() == 1);
  CHECK(contains(all_text(requests[0]), "second line of the task"));
  CHECK(contains(all_text(requests[0]), "PINNED-MARKER"));
  CHECK(requests[0]["body"]["model"].as_string() == "gpt-4.1");
}

TEST_CASE("action: not solved is a result, not a failure, unless fail-on-unsolved", "[action]") {
  TempRepo repo({{"a.txt", "broken\n"}});
  for (bool fail_on_unsolved : {false, true}) {
    DYNAMIC_SECTION("fail-on-unsolved " << fail_on_unsolved) {
      auto mock = start_mock(script({turn({}, "I cannot fix this."), turn({}, "Still no.")}));
      TempDir runner;
      ActionRun r = run_action(repo, runner,
                               {{"INPUT_TASK", "fix a.txt"},
                                {"INPUT_TEST_COMMAND", "grep -q fixed a.txt"},
                                {"INPUT_MAX_TURNS", "2"},
                                {"INPUT_FAIL_ON_UNSOLVED", fail_on_unsolved ? "true" : "false"},
                                {"INPUT_ARGS", "--base-url " + mock->base_url()}});
      INFO("stderr: " << r.proc.err << "\nsummary:\n" << r.summary);
      CHECK(r.proc.exit_code == (fail_on_unsolved ? 1 : 0));
      CHECK(r.outputs["status"] == "unsolved");
      CHECK(r.outputs["exit-code"] == "1");
      CHECK(r.outputs["patch-file"].empty());
      CHECK(contains(r.summary, "### diffsmith: unsolved"));
      CHECK(contains(r.summary, "No change."));
    }
  }
}

TEST_CASE("action: a run that cannot start fails the step with its exit code and says so", "[action]") {
  TempRepo repo({{"a.txt", "broken\n"}});
  auto mock = start_mock(script({}));
  TempDir runner;
  ActionRun r = run_action(repo, runner,
                           {{"INPUT_TASK", "fix a.txt"},
                            {"INPUT_TEST_COMMAND", "true"},
                            {"INPUT_EDIT_FORMAT", "no-such-format"},
                            {"INPUT_ARGS", "--base-url " + mock->base_url()}});
  CHECK(r.proc.exit_code == 2);
  CHECK(r.outputs["status"] == "usage-error");
  CHECK(r.outputs["exit-code"] == "2");
  CHECK(contains(r.summary, "the run stopped before it started"));
  CHECK(mock->requests().empty());

  SECTION("an empty task is refused before diffsmith runs") {
    TempDir runner2;
    ActionRun e = run_action(repo, runner2, {{"INPUT_TASK", ""}});
    CHECK(e.proc.exit_code == 2);
    CHECK(contains(e.proc.err, "input 'task' is empty"));
  }
  SECTION("args with an unmatched quote are refused") {
    TempDir runner2;
    ActionRun e = run_action(repo, runner2, {{"INPUT_TASK", "x"}, {"INPUT_ARGS", "--model 'gpt"}});
    CHECK(e.proc.exit_code == 2);
    CHECK(contains(e.proc.err, "input 'args' could not be split"));
  }
}

TEST_CASE("action: the install step takes a given binary and puts it on PATH", "[action]") {
  TempDir runner;
  ProcOptions opts;
  opts.env = {{"DIFFSMITH_ACTION_BIN", DIFFSMITH_BINARY},
              {"GITHUB_OUTPUT", runner.path + "/output"},
              {"GITHUB_PATH", runner.path + "/path"},
              {"RUNNER_TEMP", runner.path}};
  ProcResult r = run_process({"/bin/bash", kSource + "/scripts/action/install.sh"}, opts);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "diffsmith "));  // its --version
  CHECK(outputs_of(runner.path + "/output")["path"] == DIFFSMITH_BINARY);
  CHECK(read_file(runner.path + "/path") == fs::path(DIFFSMITH_BINARY).parent_path().string() + "\n");

  opts.env["DIFFSMITH_ACTION_BIN"] = runner.path + "/missing";
  ProcResult bad = run_process({"/bin/bash", kSource + "/scripts/action/install.sh"}, opts);
  CHECK(bad.exit_code == 2);
  CHECK(contains(bad.err, "is not an executable"));
}

TEST_CASE("action: action.yml follows the metadata rules, the checker catches a broken one", "[action]") {
  ProcResult ok = run_process({"/usr/bin/python3", kSource + "/tests/action/validate_action.py", kSource});
  INFO(ok.out << ok.err);
  REQUIRE(ok.exit_code != 3);  // 3: python3-yaml is missing (scripts/packages.txt installs it)
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "ok\n");

  // The same action with node20 instead of composite, a run step without a
  // shell, and an expression naming an input that does not exist.
  TempDir bad;
  std::string yml = read_file(kSource + "/action.yml");
  auto replace = [&](const std::string& from, const std::string& to) {
    auto pos = yml.find(from);
    REQUIRE(pos != std::string::npos);
    yml.replace(pos, from.size(), to);
  };
  replace("using: composite", "using: node20");
  replace("      shell: bash\n", "");
  replace("${{ inputs.model }}", "${{ inputs.modle }}");
  write_file(bad.path + "/action.yml", yml);
  ProcResult r = run_process({"/usr/bin/python3", kSource + "/tests/action/validate_action.py", bad.path});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.out, "runs.using must be 'composite'"));
  CHECK(contains(r.out, "needs 'shell'"));
  CHECK(contains(r.out, "undeclared input 'modle'"));
}
