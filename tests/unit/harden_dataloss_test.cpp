// Data-loss hardening, end to end (issue 15, item 4): `diffsmith run` killed
// with SIGKILL in the middle of writing an edit, then `diffsmith undo`.
// DIFFSMITH_TEST_KILL_AT_WRITE=N makes the binary kill itself halfway through
// its Nth file write (write_file_atomic), the worst moment for a crash.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

// A 4 MB file of numbered lines: big enough that a write is many syscalls.
std::string big_file() {
  std::string s;
  for (int i = 0; s.size() < (4u << 20); ++i) s += "line " + std::to_string(i) + " of a large data file\n";
  return s;
}

// Files left by an interrupted atomic write of `name` in `dir`.
std::vector<std::string> temporaries(const std::string& dir, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string f = e.path().filename().string();
    if (f.rfind("." + name + ".diffsmith-", 0) == 0) out.push_back(f);
  }
  return out;
}

// The model edits calc.py, then big.txt, in one apply_edits call; the run
// is killed halfway through writing big.txt (the second write).
ProcResult killed_run(const TempRepo& repo, const MockServer& mock) {
  ProcOptions opts;
  opts.env["DIFFSMITH_TEST_KILL_AT_WRITE"] = "2";
  return run_agent(repo, mock, "fix calc.py", "grep -q 'return 2' calc.py",
                   {"--allow-dirty", "--map-tokens", "0"}, opts);
}

std::string edits() {
  return sr_block("calc.py", "    return 1\n", "    return 2\n") +
         sr_block("big.txt", "line 7 of a large data file\n", "line 7 was edited\n");
}

}  // namespace

TEST_CASE(
    "dataloss e2e: SIGKILL mid-write leaves every file whole; undo restores the dirty start byte for byte") {
  const std::string big = big_file();
  TempRepo repo({{"calc.py", "def f():\n    return 1\n"}, {"big.txt", big}});
  repo.write("calc.py", "def f():\n    return 1\n# my uncommitted line\n");  // the user's work
  const std::string before = repo.snapshot();
  auto mock = start_mock(script({edit_turn(edits())}));

  ProcResult r = killed_run(repo, *mock);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 128 + SIGKILL);
  // calc.py was written whole, big.txt is untouched (not 2 MB of 4 MB); the
  // half-written bytes are in a temporary file next to it.
  CHECK(repo.read("calc.py") == "def f():\n    return 2\n# my uncommitted line\n");
  CHECK(repo.read("big.txt").size() == big.size());
  CHECK(repo.read("big.txt") == big);
  CHECK(temporaries(repo.root(), "big.txt").size() == 1);
  CHECK_FALSE(repo.exists(".git/index.lock"));

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo = run_diffsmith({"undo"}, in_repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK(contains(undo.out, "restored 1 file(s)"));
  CHECK(contains(undo.out, "removed .big.txt.diffsmith-"));
  CHECK(temporaries(repo.root(), "big.txt").empty());
  CHECK(repo.snapshot() == before);
}

TEST_CASE("dataloss e2e: undo of a killed run keeps a change the user made since, unless --force") {
  TempRepo repo({{"calc.py", "def f():\n    return 1\n"}, {"big.txt", big_file()}});
  repo.write("calc.py", "def f():\n    return 1\n# my uncommitted line\n");
  const std::string start = repo.read("calc.py");
  auto mock = start_mock(script({edit_turn(edits())}));
  REQUIRE(killed_run(repo, *mock).exit_code == 128 + SIGKILL);

  // The user goes on working on the file the killed run had written.
  const std::string later = "def f():\n    return 2\n# my uncommitted line\n# written after the run\n";
  repo.write("calc.py", later);
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult refused = run_diffsmith({"undo"}, in_repo);
  INFO("undo: " << refused.out << refused.err);
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "calc.py"));
  CHECK(contains(refused.err, "--force"));
  CHECK(repo.read("calc.py") == later);

  ProcResult forced = run_diffsmith({"undo", "--force"}, in_repo);
  INFO("undo --force: " << forced.out << forced.err);
  REQUIRE(forced.exit_code == 0);
  CHECK(repo.read("calc.py") == start);
  // ... and the later state is kept on the undo record.
  std::string undo_ref = repo.git({"for-each-ref", "--format=%(refname)", "refs/diffsmith/undo-*"});
  REQUIRE_FALSE(undo_ref.empty());
  CHECK(repo.git({"show", undo_ref.substr(0, undo_ref.find('\n')) + ":calc.py"}) == later);
}

TEST_CASE(
    "dataloss e2e: a stale .git/index.lock never blocks edits, and stops --commit before the first request") {
  TempRepo repo({{"calc.py", "def f():\n    return 1\n"}});
  write_file(repo.path(".git/index.lock"), "");  // left by a git that was killed
  const std::string rm = "rm -f '" + repo.root() + "/.git/index.lock'";

  auto committing = start_mock(script({edit_turn(sr_block("calc.py", "    return 1\n", "    return 2\n"))}));
  ProcResult refused = run_agent(repo, *committing, "fix calc.py", "grep -q 'return 2' calc.py",
                                 {"--commit", "--map-tokens", "0"});
  INFO("stderr: " << refused.err);
  CHECK(refused.exit_code == 4);
  CHECK(contains(refused.err, rm));
  CHECK(committing->requests().empty());

  // Without --commit the run edits and solves in its first turn.
  auto mock = start_mock(script({edit_turn(sr_block("calc.py", "    return 1\n", "    return 2\n"))}));
  ProcResult r = run_agent(repo, *mock, "fix calc.py", "grep -q 'return 2' calc.py", {"--map-tokens", "0"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(repo.read("calc.py") == "def f():\n    return 2\n");
  CHECK(mock->requests().size() == 1);
  CHECK(repo.exists(".git/index.lock"));  // reported, never removed behind the user's back
}

TEST_CASE("dataloss e2e: a run during a merge conflict edits files the conflict does not touch") {
  TempRepo repo({{"conflicted.txt", "base\n"}, {"calc.py", "def f():\n    return 1\n"}});
  repo.git({"checkout", "-q", "-b", "side"});
  repo.write("conflicted.txt", "side\n");
  repo.git({"commit", "-qam", "side"});
  repo.git({"checkout", "-q", "main"});
  repo.write("conflicted.txt", "main\n");
  repo.git({"commit", "-qam", "main"});
  int code = 0;
  repo.git({"merge", "-q", "side"}, /*allow_fail=*/true, &code);
  REQUIRE(code != 0);
  const std::string unmerged = repo.git({"ls-files", "-u"});
  REQUIRE(contains(unmerged, "conflicted.txt"));

  auto mock = start_mock(script({edit_turn(sr_block("calc.py", "    return 1\n", "    return 2\n"))}));
  ProcResult r = run_agent(repo, *mock, "fix calc.py", "grep -q 'return 2' calc.py",
                           {"--allow-dirty", "--map-tokens", "0"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(repo.read("calc.py") == "def f():\n    return 2\n");
  CHECK(repo.git({"ls-files", "-u"}) == unmerged);  // the merge state is the user's, untouched
}

TEST_CASE(
    "dataloss e2e: a clean sparse checkout is clean, and the run's patch holds only what changed on disk") {
  TempRepo repo({{"in/calc.py", "def f():\n    return 1\n"}, {"out/skipped.txt", "not checked out\n"}});
  repo.git({"sparse-checkout", "set", "in"});
  REQUIRE_FALSE(repo.exists("out/skipped.txt"));

  auto mock = start_mock(script({edit_turn(sr_block("in/calc.py", "    return 1\n", "    return 2\n"))}));
  ProcResult r =
      run_agent(repo, *mock, "fix calc.py", "grep -q 'return 2' in/calc.py", {"--map-tokens", "0"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);  // no "uncommitted changes" refusal
  CHECK(contains(r.out, "+++ b/in/calc.py"));
  CHECK_FALSE(contains(r.out, "out/skipped.txt"));
  // The patch agrees with the disk: it reverses cleanly, and git sees only that file changed.
  write_file(repo.path(".git/run.patch"), r.out);
  repo.git({"apply", "--check", "-R", repo.path(".git/run.patch")});
  CHECK(repo.git({"diff", "--name-only"}) == "in/calc.py\n");

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo = run_diffsmith({"undo"}, in_repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK(repo.git({"status", "--porcelain"}).empty());
  CHECK_FALSE(repo.exists("out/skipped.txt"));  // the cone stays as it was
}
