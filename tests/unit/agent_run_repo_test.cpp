// End-to-end `diffsmith run` against the scripted mock model, the
// repository's side: a dirty work tree (refused, or kept and restored byte
// for byte by `diffsmith undo`), the one-run-per-repository lock, and SIGINT
// while the model is thinking or while a long test command runs.
#include <signal.h>

#include <catch2/catch.hpp>
#include <cerrno>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::map<std::string, std::string> kFiles = {{"a.txt", "hello\nbroken\n"}, {"b.txt", "keep\n"}};

// Polls `ready` every 10 ms for up to `seconds`.
bool wait_for(const std::function<bool()>& ready, double seconds = 10) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Unsandboxed tests: they signal the test through files outside the work tree.
std::vector<std::string> run_argv(const MockServer& mock, const std::string& test_cmd) {
  return diffsmith_argv(
      {"run", "fix a.txt", "-t", test_cmd, "--base-url", mock.base_url(), "--no-sandbox-tests"});
}

}  // namespace

TEST_CASE("run e2e: a dirty work tree is refused with exit 4 and nothing changes") {
  TempRepo repo(kFiles);
  repo.write("b.txt", "keep\nmy uncommitted line\n");
  std::string before = repo.snapshot();
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  CHECK(r.exit_code == 4);
  CHECK(contains(r.err, "uncommitted changes"));
  CHECK(contains(r.err, "--allow-dirty"));
  CHECK(mock->requests().empty());
  CHECK(repo.snapshot() == before);
  CHECK(repo.git({"for-each-ref", "refs/diffsmith"}).empty());
}

TEST_CASE("run e2e: --allow-dirty keeps the user's changes, undo restores the dirty start byte for byte") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "keep\n"}, {"old.txt", "deleted by the user\n"}});
  // The start state: a staged and unstaged change, an untracked file, an
  // executable bit, a file deleted from the work tree.
  repo.write("b.txt", "keep\nstaged line\n");
  repo.git({"add", "b.txt"});
  repo.write("b.txt", "keep\nstaged line\nunstaged line\n");
  repo.write("notes/untracked.txt", "mine, not committed\n");
  repo.write("run.sh", "#!/bin/sh\necho hi\n");
  fs::permissions(repo.path("run.sh"), fs::perms::owner_exec, fs::perm_options::add);
  fs::remove(repo.path("old.txt"));
  std::string before = repo.snapshot();

  std::string edits = sr_block("a.txt", "broken\n", "fixed\n") + sr_block("b.txt", "keep\n", "KEEP\n") +
                      sr_block("notes/untracked.txt", "mine, not committed\n", "edited by the model\n") +
                      sr_block("src/created.txt", "", "made by the model\n");
  auto mock = start_mock(script({edit_turn(edits)}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--allow-dirty"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  // The model's edit went on top of the user's uncommitted lines.
  CHECK(repo.read("b.txt") == "KEEP\nstaged line\nunstaged line\n");
  CHECK(repo.read("src/created.txt") == "made by the model\n");
  CHECK(repo.read("notes/untracked.txt") == "edited by the model\n");

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo = run_diffsmith({"undo"}, in_repo);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK_FALSE(repo.exists("src/created.txt"));
  CHECK(repo.read("notes/untracked.txt") == "mine, not committed\n");
  CHECK(repo.snapshot() == before);
}

TEST_CASE("run e2e: a run while another live process holds the lock exits 4") {
  TempRepo repo(kFiles);
  fs::create_directories(repo.path(".git/diffsmith"));
  write_file(repo.path(".git/diffsmith/lock"), std::to_string(::getpid()) + "\n");  // this test: alive
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  CHECK(r.exit_code == 4);
  CHECK(contains(r.err, "pid " + std::to_string(::getpid())));
  CHECK(mock->requests().empty());
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
  CHECK(repo.exists(".git/diffsmith/lock"));  // not ours to remove
}

TEST_CASE("run e2e: SIGINT while the model is answering exits 130 and keeps only whole turns") {
  TempRepo repo(kFiles);
  // Turn 1 changes the first line (the tests still fail); turn 2 is slow.
  Value slow = edit_turn(sr_block("a.txt", "broken\n", "fixed\n"));
  slow.set("delay", 5);
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "hello\n", "HELLO\n")), slow}));

  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 20;
  Child child(run_argv(*mock, "grep -q fixed a.txt"), opts);
  REQUIRE(wait_for([&] { return mock->requests().size() == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // well inside the 5 s delay
  auto sent = std::chrono::steady_clock::now();
  child.signal(SIGINT);
  ProcResult r = child.wait();
  double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 130);
  CHECK(after < 3.0);
  CHECK(contains(r.err, "interrupted"));
  // Turn 1 is kept whole, turn 2 never arrived; the run is recorded and unlocked.
  CHECK(repo.read("a.txt") == "HELLO\nbroken\n");
  CHECK(contains(r.out, "+HELLO"));
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
  std::string refs = repo.git({"for-each-ref", "--format=%(refname)", "refs/diffsmith"});
  CHECK(contains(refs, "refs/diffsmith/"));
  // The last checkpoint holds the interrupted state, so undo works from here.
  std::string ref = refs.substr(0, refs.find('\n'));
  CHECK(repo.git({"show", ref + ":a.txt"}) == "HELLO\nbroken\n");
}

TEST_CASE("run e2e: SIGINT during a long test command kills its process group and exits 130") {
  TempRepo repo(kFiles);
  TempDir scratch;
  std::string pgid_file = scratch.path + "/pgid";
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));

  // The test shell writes its pid (= its process group) and waits on two sleeps.
  std::string test_cmd = "echo $$ > '" + pgid_file + ".tmp' && mv '" + pgid_file + ".tmp' '" + pgid_file +
                         "'; sleep 30 & sleep 30; wait";
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 20;
  Child child(run_argv(*mock, test_cmd), opts);
  REQUIRE(wait_for([&] { return fs::exists(pgid_file); }));
  pid_t pgid = static_cast<pid_t>(std::stol(read_file(pgid_file)));
  REQUIRE(pgid > 1);
  REQUIRE(::kill(-pgid, 0) == 0);  // the test's group is alive

  auto sent = std::chrono::steady_clock::now();
  child.signal(SIGINT);
  ProcResult r = child.wait();
  double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 130);
  CHECK(after < 5.0);
  // Every process of the test's group is gone (the sleeps too).
  CHECK(wait_for([&] { return ::kill(-pgid, 0) != 0 && errno == ESRCH; }, 3));
  CHECK(mock->requests().empty());  // stopped before asking the model
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
}

TEST_CASE("run e2e: SIGINT during a run_tests call skips the rest of the turn and the test run after it") {
  TempRepo repo(kFiles);
  TempDir scratch;
  std::string marker = scratch.path + "/slow-run";
  // The tests turn slow once the model has created slow.flag.
  std::string test_cmd =
      "if [ -f slow.flag ]; then touch '" + marker + "'; sleep 30; fi; grep -q fixed a.txt";
  auto mock = start_mock(script({turn({
      tool_call("apply_edits", Value::object().set("edits", sr_block("slow.flag", "", "slow\n"))),
      tool_call("run_tests", Value::object()),
      tool_call("apply_edits", Value::object().set("edits", sr_block("a.txt", "broken\n", "fixed\n"))),
  })}));

  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 40;
  Child child(run_argv(*mock, test_cmd), opts);
  REQUIRE(wait_for([&] { return fs::exists(marker); }));
  auto sent = std::chrono::steady_clock::now();
  child.signal(SIGINT);
  ProcResult r = child.wait();
  double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 130);
  // Neither the edit after run_tests nor the end-of-turn test run happened.
  CHECK(after < 5.0);
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
  CHECK(repo.read("slow.flag") == "slow\n");  // applied before Ctrl-C, kept whole
  CHECK(contains(r.out, "slow.flag"));
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
  CHECK(mock->requests().size() == 1);
}
