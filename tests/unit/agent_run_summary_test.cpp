// The end of a run as a person reads it, through the real binary and the
// scripted model: the `next:` line fits what happened (`git show` after
// --commit, show/undo after Ctrl-C with changes, nothing in the demo's
// deleted repository); a run that made no request shows no cost; and
// `show` of a follow-up marks the conversation it continues.
#include <signal.h>

#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

bool wait_until(const std::function<bool()>& ready, double seconds = 10) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// The summary's `next:` line on stderr ("" when there is none).
std::string next_line(const std::string& err) {
  size_t at = err.find("  next: ");
  if (at == std::string::npos) return "";
  return err.substr(at, err.find('\n', at) - at);
}

ProcResult in_repo(const TempRepo& repo, const std::vector<std::string>& args) {
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith(args, o);
  INFO("diffsmith " << args.front() << ": " << r.out << r.err);
  return r;
}

}  // namespace

TEST_CASE("run summary e2e: after --commit the next step is `git show`, without it `git diff`") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult committed = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--commit"});
  INFO(committed.err);
  REQUIRE(committed.exit_code == 0);
  std::string next = next_line(committed.err);
  CHECK(contains(next, "`git show`"));
  CHECK_FALSE(contains(next, "git diff"));
  CHECK(repo.git({"diff"}).empty());  // what `git diff` would have shown: nothing

  TempRepo plain({{"a.txt", "hello\nbroken\n"}});
  auto mock2 = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult r = run_agent(plain, *mock2, "fix a.txt", "grep -q fixed a.txt");
  REQUIRE(r.exit_code == 0);
  CHECK(contains(next_line(r.err), "`git diff`"));
  CHECK_FALSE(contains(next_line(r.err), "git show"));
}

TEST_CASE("run summary e2e: Ctrl-C after a change suggests show and undo") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  Value slow = edit_turn(sr_block("a.txt", "broken\n", "fixed\n"));
  slow.set("delay", 5);
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "hello\n", "HELLO\n")), slow}));
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 20;
  Child child(diffsmith_argv({"run", "fix a.txt", "-t", "grep -q fixed a.txt", "--base-url", mock->base_url(),
                              "--no-sandbox-tests"}),
              opts);
  REQUIRE(wait_until([&] { return mock->requests().size() == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  child.signal(SIGINT);
  ProcResult r = child.wait();
  INFO(r.err);
  CHECK(r.exit_code == 130);
  REQUIRE(repo.read("a.txt") == "HELLO\nbroken\n");
  std::string next = next_line(r.err);
  CHECK(contains(next, "`diffsmith show`"));
  CHECK(contains(next, "`diffsmith undo`"));
  CHECK_FALSE(contains(r.err, "interrupted: interrupted"));
}

TEST_CASE("run summary e2e: a run stopped before its first request shows no cost and says why once") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  TempDir scratch;
  std::string started = scratch.path + "/started";
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.timeout_s = 20;
  // A model without a known price: a request would cost "unknown".
  Child child(diffsmith_argv({"run", "fix a.txt", "-t", "touch '" + started + "'; sleep 30", "--base-url",
                              mock->base_url(), "-m", "no-such-priced-model", "--no-sandbox-tests"}),
              opts);
  REQUIRE(wait_until([&] { return fs::exists(started); }));
  child.signal(SIGINT);
  ProcResult r = child.wait();
  INFO(r.err);
  CHECK(r.exit_code == 130);
  CHECK(mock->requests().empty());
  CHECK(contains(r.err, "run interrupted after 0 turn(s)"));
  CHECK_FALSE(contains(r.err, "interrupted: interrupted"));
  CHECK_FALSE(contains(r.err, "· cost unknown"));  // the notice before the run may name the price
  CHECK(contains(r.err, "no model request"));

  ProcResult log = in_repo(repo, {"log"});
  REQUIRE(log.exit_code == 0);
  CHECK(contains(log.out, "interrupted"));
  CHECK_FALSE(contains(log.out, "$?"));

  ProcResult show = in_repo(repo, {"show"});
  REQUIRE(show.exit_code == 0);
  CHECK_FALSE(contains(show.out, "interrupted: interrupted"));
  CHECK(contains(show.out, "\ninterrupted\n"));
  CHECK(contains(show.out, "no model request"));
  CHECK_FALSE(contains(show.out, "$"));
}

TEST_CASE("run summary e2e: `demo` suggests no command in the repository it deleted") {
  TempDir tmp;
  ProcOptions opts;
  opts.env["TMPDIR"] = tmp.path;
  ProcResult r = run_diffsmith({"demo"}, opts);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_empty(tmp.path));
  CHECK_FALSE(contains(r.err, "git diff"));
  CHECK_FALSE(contains(r.err, "diffsmith undo"));
  CHECK(next_line(r.err).empty());
  CHECK(contains(r.err, "--keep DIR"));
}

TEST_CASE("show e2e: a follow-up's transcript marks the conversation it continues") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}});
  auto mock = start_mock(script({
      turn({tool_call("read_file", Value::object().set("path", "a.txt"))}, "FIRST-RUN-PROSE reading a.txt"),
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      turn({tool_call("read_file", Value::object().set("path", "b.txt"))}, "SECOND-RUN-PROSE reading b.txt"),
      edit_turn(sr_block("b.txt", "todo\n", "done\n")),
  }));
  ProcResult first = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  REQUIRE(first.exit_code == 0);
  ProcResult second = run_agent(repo, *mock, "now mark b.txt done",
                                "grep -q fixed a.txt && grep -q done b.txt", {"--continue"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  auto runs = json_lines(in_repo(repo, {"log", "--json"}).out);
  REQUIRE(runs.size() == 2);
  std::string parent = runs[1]["run"].as_string(), child = runs[0]["run"].as_string();

  ProcResult show = in_repo(repo, {"show", child});
  REQUIRE(show.exit_code == 0);
  const std::string& t = show.out;
  size_t begin = t.find("── continued from run " + parent + ": its conversation ──");
  size_t own = t.find("── run " + child + " (this run) ──");
  REQUIRE(begin != std::string::npos);
  REQUIRE(own != std::string::npos);
  size_t first_prose = t.find("FIRST-RUN-PROSE"), second_prose = t.find("SECOND-RUN-PROSE");
  CHECK((begin < first_prose && first_prose < own));  // the parent's words inside the marked part
  CHECK(own < second_prose);
  CHECK(own < t.find("» ", own));  // the follow-up instruction is this run's

  // The first run's own transcript has no such marks.
  ProcResult show_parent = in_repo(repo, {"show", parent});
  CHECK_FALSE(contains(show_parent.out, "continued from run"));
}
