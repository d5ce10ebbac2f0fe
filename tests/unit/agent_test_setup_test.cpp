// The test-setup check (agent/test_setup.hpp) on the runners' REAL outputs:
// pytest (/usr/bin/python3 -m pytest), ctest, cargo test and go test run on
// tiny projects in temp dirs (a runner that is not installed: skipped with a
// warning). Then through the binary: a broken setup stops before the first
// request (exit 2), and --test-setup-to-model makes fixing it the task.
#include <catch2/catch.hpp>

#include "agent/test_setup.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::agent::check_test_setup;
using ds::agent::SetupCheck;
using ds::agent::SetupProblem;

namespace {

const char* kPytest = "/usr/bin/python3 -m pytest -q -p no:cacheprovider";

struct Ran {
  int exit_code;
  std::string output;  // stdout and stderr, merged as the session's runner merges them
};

Ran sh(const std::string& dir, const std::string& command, int timeout_s = 120) {
  ProcOptions o;
  o.cwd = dir;
  o.timeout_s = timeout_s;
  // The children get a HOME of their own: rustup still needs to find its toolchains.
  if (const char* home = std::getenv("HOME")) {
    o.env["RUSTUP_HOME"] =
        std::getenv("RUSTUP_HOME") ? std::getenv("RUSTUP_HOME") : std::string(home) + "/.rustup";
    o.env["CARGO_HOME"] =
        std::getenv("CARGO_HOME") ? std::getenv("CARGO_HOME") : std::string(home) + "/.cargo";
  }
  ProcResult r = run_process({"/bin/sh", "-c", command + " 2>&1"}, o);
  return {r.exit_code, r.out};
}

bool have(const std::string& check) { return run_process({"/bin/sh", "-c", check}).exit_code == 0; }

bool have_pytest() {
  if (have("/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1")) return true;
  WARN("pytest is not installed for /usr/bin/python3 (apt-get install python3-pytest): pytest cases skipped");
  return false;
}

SetupCheck classify(const Ran& r) {
  INFO("exit " << r.exit_code << ", output:\n" << r.output);
  return check_test_setup(r.exit_code, r.output);
}

}  // namespace

TEST_CASE("test setup: pytest's real outputs") {
  if (!have_pytest()) return;
  TempDir d;
  auto project = [&](const std::string& name, std::map<std::string, std::string> files) {
    std::string dir = d.path + "/" + name;
    for (const auto& [path, text] : files) write_file(dir + "/" + path, text);
    fs::create_directories(dir);
    return dir;
  };
  const std::string ok_test = "def test_ok():\n    assert 1 + 1 == 2\n";

  SECTION("no tests collected (exit 5)") {
    Ran r = sh(project("empty", {{"calc.py", "x = 1\n"}}), kPytest);
    REQUIRE(r.exit_code == 5);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::NoTests);
    CHECK(c.runner == "pytest");
    CHECK(c.what == "pytest collected no tests (exit 5)");
  }
  SECTION("-k that selects nothing (exit 5)") {
    Ran r = sh(project("deselect", {{"test_a.py", ok_test}}), std::string(kPytest) + " -k nothing_matches");
    REQUIRE(r.exit_code == 5);
    CHECK(classify(r).problem == SetupProblem::NoTests);
  }
  SECTION("a conftest that imports a missing package (exit 4)") {
    Ran r =
        sh(project("conftest", {{"conftest.py", "import not_installed_pkg_xyz\n"}, {"test_a.py", ok_test}}),
           kPytest);
    REQUIRE(r.exit_code == 4);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::CollectionError);
    CHECK(c.what == "pytest could not load a conftest.py (ModuleNotFoundError, exit 4)");
    CHECK(contains(c.evidence, "not_installed_pkg_xyz"));
    CHECK(contains(c.fix, "pip install -e ."));
  }
  SECTION("a SyntaxError in a conftest (exit 4)") {
    Ran r = sh(project("syntax", {{"conftest.py", "def broken(:\n"}, {"test_a.py", ok_test}}), kPytest);
    REQUIRE(r.exit_code == 4);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::CollectionError);
    CHECK(contains(c.what, "SyntaxError"));
  }
  SECTION("a test module importing a missing module (exit 2, error during collection)") {
    Ran r = sh(project("module", {{"test_m.py", "import not_installed_pkg_xyz\n\n" + ok_test}}), kPytest);
    REQUIRE(r.exit_code == 2);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::CollectionError);
    CHECK(contains(c.what, "ModuleNotFoundError during collection"));
    CHECK(contains(c.fix, "--test-setup-to-model"));
  }
  SECTION("a path that does not exist (exit 4)") {
    Ran r = sh(project("path", {{"test_a.py", ok_test}}), std::string(kPytest) + " no_such_dir/");
    REQUIRE(r.exit_code == 4);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::NoTests);
    CHECK(contains(c.what, "no_such_dir"));
  }
  SECTION("not setup problems: a failing test, a name the code lacks yet, a passing run") {
    Ran failing = sh(project("failing", {{"test_a.py", "def test_bad():\n    assert 1 == 2\n"}}), kPytest);
    REQUIRE(failing.exit_code == 1);
    CHECK_FALSE(classify(failing));
    // A test for a function the task is to write: the model's work, not the setup's.
    Ran missing_name =
        sh(project("name", {{"calc.py", "x = 1\n"}, {"test_c.py", "from calc import add\n\n" + ok_test}}),
           kPytest);
    REQUIRE(missing_name.exit_code == 2);
    CHECK_FALSE(classify(missing_name));
    Ran passing = sh(project("passing", {{"test_a.py", ok_test}}), kPytest);
    REQUIRE(passing.exit_code == 0);
    CHECK_FALSE(classify(passing));
  }
}

TEST_CASE("test setup: a missing runner, for real") {
  TempDir d;
  SECTION("python -m RUNNER that is not installed") {
    Ran r = sh(d.path, "/usr/bin/python3 -m no_such_test_runner_xyz -q");
    REQUIRE(r.exit_code == 1);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::RunnerMissing);
    CHECK(c.what == "the Python that runs the tests has no module no_such_test_runner_xyz");
    CHECK(contains(c.fix, "pip install no_such_test_runner_xyz"));
  }
  SECTION("a command the shell does not find (exit 127)") {
    Ran r = sh(d.path, "no-such-test-command-xyz --all");
    REQUIRE(r.exit_code == 127);
    SetupCheck c = classify(r);
    CHECK(c.problem == SetupProblem::RunnerMissing);
    CHECK(c.runner == "shell");
  }
}

TEST_CASE("test setup: ctest's real outputs") {
  if (!have("command -v ctest >/dev/null && command -v cmake >/dev/null")) {
    WARN("cmake/ctest are not installed: ctest cases skipped");
    return;
  }
  TempDir d;
  write_file(d.path + "/none/CMakeLists.txt",
             "cmake_minimum_required(VERSION 3.16)\nproject(t NONE)\nenable_testing()\n");
  write_file(d.path + "/one/CMakeLists.txt",
             "cmake_minimum_required(VERSION 3.16)\nproject(t NONE)\nenable_testing()\nadd_test(NAME ok "
             "COMMAND true)\n");
  REQUIRE(sh(d.path, "cmake -S none -B none/build >/dev/null && cmake -S one -B one/build >/dev/null")
              .exit_code == 0);

  Ran none = sh(d.path, "ctest --test-dir none/build");
  SetupCheck c = classify(none);
  CHECK(c.problem == SetupProblem::NoTests);
  CHECK(c.what == "ctest found no tests");

  fs::create_directories(d.path + "/unconfigured");
  Ran unconfigured = sh(d.path + "/unconfigured", "ctest");
  CHECK(classify(unconfigured).problem == SetupProblem::NoTests);

  Ran one = sh(d.path, "ctest --test-dir one/build");
  REQUIRE(one.exit_code == 0);
  CHECK_FALSE(classify(one));
}

TEST_CASE("test setup: cargo test and go test with nothing to run, for real") {
  TempDir d;
  if (have("command -v cargo >/dev/null")) {
    write_file(d.path + "/rs/Cargo.toml",
               "[package]\nname = \"t\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    write_file(d.path + "/rs/src/lib.rs", "pub fn add(a: u32, b: u32) -> u32 { a + b }\n");
    Ran none = sh(d.path + "/rs", "cargo test --offline -q", 300);
    REQUIRE(none.exit_code == 0);
    CHECK(classify(none).problem == SetupProblem::NoTests);
    write_file(
        d.path + "/rs/src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\n#[test]\nfn adds() { assert_eq!(add(1, 2), 3); }\n");
    Ran one = sh(d.path + "/rs", "cargo test --offline -q", 300);
    REQUIRE(one.exit_code == 0);
    CHECK_FALSE(classify(one));
  } else {
    WARN("cargo is not installed: cargo case skipped");
  }
  if (have("command -v go >/dev/null")) {
    write_file(d.path + "/go/go.mod", "module example.com/t\n\ngo 1.19\n");
    write_file(d.path + "/go/t.go", "package t\n\nfunc Add(a, b int) int { return a + b }\n");
    Ran none = sh(d.path + "/go", "GOFLAGS=-mod=mod GOCACHE=" + d.path + "/gocache go test ./...");
    REQUIRE(none.exit_code == 0);
    CHECK(classify(none).problem == SetupProblem::NoTests);
    write_file(d.path + "/go/t_test.go",
               "package t\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) { if Add(1, 2) != 3 { "
               "t.Fatal() } }\n");
    Ran one = sh(d.path + "/go", "GOCACHE=" + d.path + "/gocache go test ./...");
    REQUIRE(one.exit_code == 0);
    CHECK_FALSE(classify(one));
  } else {
    WARN("go is not installed: go case skipped");
  }
}

TEST_CASE(
    "test setup e2e: a broken setup stops before the first request, --test-setup-to-model hands it over") {
  if (!have_pytest()) return;
  // pytest.ini collects nothing_*.py: the check file is never collected.
  TempRepo repo({{"calc.py", "def add(a, b):\n    return a + b\n"},
                 {"check_calc.py", "from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"},
                 {"pytest.ini", "[pytest]\npython_files = nothing_*.py\n"}});
  auto mock = start_mock(script(
      {edit_turn(sr_block("pytest.ini", "python_files = nothing_*.py\n", "python_files = check_*.py\n"))}));
  SECTION("stops with exit 2, says what to fix, asks nothing") {
    ProcResult r = run_agent(repo, *mock, "add a subtract function", kPytest, {"--json"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(mock->requests().empty());
    auto events = json_lines(r.out);
    REQUIRE_FALSE(events.empty());
    CHECK(events.back()["status"].as_string() == "error");
    std::string reason = events.back()["reason"].as_string();
    CHECK(contains(reason, "the test command `" + std::string(kPytest) +
                               "` cannot test anything: pytest collected no tests (exit 5)"));
    CHECK(contains(reason, "No model request was made"));
    CHECK(contains(reason, "--test-setup-to-model"));
    // Without --json the same on the terminal.
    ProcResult human = run_agent(repo, *mock, "add a subtract function", kPytest);
    CHECK(human.exit_code == 2);
    CHECK(contains(human.err, "pytest collected no tests (exit 5)"));
    CHECK(contains(human.err, "Check the paths and the -k/-m expression"));
    CHECK(mock->requests().empty());
    CHECK(repo.read("pytest.ini") == "[pytest]\npython_files = nothing_*.py\n");
  }
  SECTION("--test-setup-to-model: fixing the setup is the task, solved once the tests run and pass") {
    ProcResult r = run_agent(repo, *mock, "make the tests run", kPytest, {"--json", "--test-setup-to-model"});
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    auto reqs = mock->requests();
    REQUIRE(reqs.size() == 1);
    std::string first_user = messages_of(reqs[0])[1]["content"].as_string();
    CHECK(contains(first_user, "does not test anything yet: pytest collected no tests (exit 5)"));
    CHECK(contains(first_user, "make the tests run"));
    auto events = json_lines(r.out);
    CHECK(events.back()["status"].as_string() == "solved");
    CHECK(repo.read("pytest.ini") == "[pytest]\npython_files = check_*.py\n");
  }
}
