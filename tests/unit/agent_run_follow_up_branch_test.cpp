// `run -i --branch NAME` (and `--continue --branch NAME`): the first run
// makes the branch, its follow-ups commit onto it; and what would fail after
// a follow-up's work (HEAD moved off the branch, a stale index.lock) fails
// before its first request. Real binary, real repository, scripted mock,
// follow-ups piped on stdin (a FIFO when the test acts between runs).
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kTestA = "grep -q fixed a.txt";

std::vector<std::string> with_stdin(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$FOLLOW_UP_STDIN\""};
  for (const auto& a : diffsmith_argv(args)) argv.push_back(a);
  return argv;
}

std::vector<Value> events_of(const std::string& out, const std::string& type) {
  std::vector<Value> found;
  for (const auto& e : json_lines(out))
    if (e["type"].as_string() == type) found.push_back(e);
  return found;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("follow-up branch e2e: run -i --branch NAME commits every follow-up onto the branch it made") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}, {"c.txt", "todo\n"}});
  auto mock = start_mock(script({
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      turn({tool_call("apply_edits", Value::object().set("edits", sr_block("b.txt", "todo\n", "done\n"))),
            tool_call("finish", Value::object().set("summary", "b done"))}),
      turn({tool_call("apply_edits", Value::object().set("edits", sr_block("c.txt", "todo\n", "done\n"))),
            tool_call("finish", Value::object().set("summary", "c done"))}),
  }));
  TempDir scratch;
  std::string input = scratch.path + "/follow-ups.txt";
  write_file(input, "mark b.txt done\nmark c.txt done\n");
  std::string main_tip = trim(repo.git({"rev-parse", "main"}));

  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env["FOLLOW_UP_STDIN"] = input;
  ProcResult r = run_process(with_stdin({"run", "fix a.txt", "-t", kTestA, "--base-url", mock->base_url(),
                                         "-i", "--branch", "fix-all", "--json"}),
                             opts);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(contains(r.err, "already exists"));
  auto finished = events_of(r.out, "run_finished");
  REQUIRE(finished.size() == 3);
  for (const auto& f : finished) CHECK(f["status"].as_string() == "solved");
  CHECK(mock->requests().size() == 3);

  // One branch, three commits on top of main, HEAD on it, the tree clean.
  CHECK(trim(repo.git({"symbolic-ref", "HEAD"})) == "refs/heads/fix-all");
  CHECK(trim(repo.git({"rev-list", "--count", main_tip + "..fix-all"})) == "3");
  CHECK(trim(repo.git({"rev-parse", "main"})) == main_tip);
  CHECK(repo.git({"status", "--porcelain", "--untracked-files=no"}).empty());
  CHECK(repo.git({"show", "fix-all:c.txt"}) == "done\n");
  CHECK(repo.git({"show", "fix-all~1:b.txt"}) == "done\n");
  CHECK(repo.git({"show", "fix-all~2:a.txt"}) == "hello\nfixed\n");

  // `log` tells the same story: three solved runs, newest first.
  ProcResult log = run_diffsmith({"log", "--json"}, opts);
  REQUIRE(log.exit_code == 0);
  auto runs = json_lines(log.out);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0]["task"].as_string() == "mark c.txt done");
  CHECK(runs[2]["task"].as_string() == "fix a.txt");
  for (const auto& run : runs) CHECK(run["status"].as_string() == "solved");

  // `undo` of the last follow-up moves the branch back by one commit.
  ProcResult undo = run_diffsmith({"undo", runs[0]["run"].as_string()}, opts);
  INFO("undo: " << undo.out << undo.err);
  REQUIRE(undo.exit_code == 0);
  CHECK(trim(repo.git({"rev-list", "--count", main_tip + "..fix-all"})) == "2");

  // --continue --branch NAME of that conversation also commits onto the branch.
  auto more = start_mock(script({turn(
      {tool_call("apply_edits", Value::object().set("edits", sr_block("c.txt", "todo\n", "really done\n"))),
       tool_call("finish", Value::object().set("summary", "c really done"))})}));
  ProcResult cont = run_diffsmith({"run", "mark c.txt really done", "--continue", runs[1]["run"].as_string(),
                                   "-t", kTestA, "--base-url", more->base_url(), "--branch", "fix-all"},
                                  opts);
  INFO("continue stderr: " << cont.err);
  REQUIRE(cont.exit_code == 0);
  CHECK(contains(cont.err, "on branch fix-all"));
  CHECK(trim(repo.git({"rev-list", "--count", main_tip + "..fix-all"})) == "3");
  CHECK(repo.git({"show", "fix-all:c.txt"}) == "really done\n");
}

TEST_CASE("follow-up branch e2e: a follow-up whose commit would fail stops before its first request") {
  struct Case {
    const char* name;
    std::function<void(const TempRepo&)> break_it;
    int code;
    const char* says;
  };
  std::vector<Case> cases = {
      {"HEAD moved off the branch",
       [](const TempRepo& repo) {
         repo.git({"switch", "-q", "-c", "elsewhere"});
       },
       4, "`git switch fix-a` first"},
      {"a stale index.lock", [](const TempRepo& repo) { repo.write(".git/index.lock", ""); }, 4,
       "index.lock"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}});
      auto mock = start_mock(script({
          edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
          edit_turn(sr_block("b.txt", "todo\n", "done\n")),
      }));
      TempDir scratch;
      std::string fifo = scratch.path + "/follow-ups";
      REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
      ProcOptions opts;
      opts.cwd = repo.root();
      opts.env["FOLLOW_UP_STDIN"] = fifo;
      Child child(with_stdin({"run", "fix a.txt", "-t", kTestA, "--base-url", mock->base_url(), "-i",
                              "--branch", "fix-a", "--json"}),
                  opts);
      std::ofstream to_child(fifo);  // opens once the child's shell opens the FIFO
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (!contains(child.stdout_so_far(), "\"run_finished\"") &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      REQUIRE(contains(child.stdout_so_far(), "\"run_finished\""));
      // The commit onto fix-a follows run_finished: break the repository only
      // once it is made, or the first run's own commit races the breakage.
      int head_code = 0;
      while (std::chrono::steady_clock::now() < deadline &&
             (trim(repo.git({"symbolic-ref", "-q", "HEAD"}, true, &head_code)) != "refs/heads/fix-a" ||
              !trim(repo.git({"status", "--porcelain", "--untracked-files=no"})).empty()))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      c.break_it(repo);
      to_child << "mark b.txt done\n" << std::flush;
      to_child.close();
      ProcResult r = child.wait();
      INFO("stderr: " << r.err);
      CHECK(r.exit_code == c.code);
      CHECK(contains(r.err, c.says));
      CHECK(mock->requests().size() == 1);  // the follow-up never asked the model
      CHECK(repo.read("b.txt") == "todo\n");
      auto finished = events_of(r.out, "run_finished");
      REQUIRE(finished.size() == 2);
      CHECK(finished[0]["status"].as_string() == "solved");
      CHECK(finished[1]["status"].as_string() == "error");  // the setup failure, no run
      CHECK(events_of(r.out, "run_started").size() == 1);
      if (repo.exists(".git/index.lock")) fs::remove(repo.path(".git/index.lock"));
      ProcResult log = run_diffsmith({"log", "--json"}, opts);
      REQUIRE(log.exit_code == 0);
      auto runs = json_lines(log.out);
      REQUIRE(runs.size() == 1);  // the follow-up that never started is not a run
      CHECK(runs[0]["status"].as_string() == "solved");
    }
  }
}
