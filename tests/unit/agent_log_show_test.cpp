// `diffsmith log` and `diffsmith show` (issue 11, "runs you can look at"):
// one line per run with its status, turns, cost, files and task; JSON Lines
// with --json; a killed run is "unfinished"; show prints the transcript for
// a person, or the trajectory as stored. Real runs against the mock model.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

ProcResult in_repo(const TempRepo& repo, const std::vector<std::string>& args) {
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith(args, o);
  INFO("diffsmith " << args.front() << ": " << r.out << r.err);
  return r;
}

// Two runs: a solved one (read, edit, finish) and, later, one that stops on
// an API error. Returns their ids, oldest first.
std::vector<std::string> two_runs(const TempRepo& repo) {
  auto mock = start_mock(script({
      turn({tool_call("read_file", Value::object().set("path", "a.txt"))}, "Let me read the file first."),
      edit_turn(sr_block("a.txt", "broken\n", "still wrong\n")),
      edit_turn(sr_block("a.txt", "still wrong\n", "fixed\n")),
  }));
  ProcResult solved = run_agent(repo, *mock, "fix a.txt\nit says broken", "cat a.txt; grep -q fixed a.txt");
  REQUIRE(solved.exit_code == 0);
  auto failing = start_mock(script({Value::object().set("status", 401)}));
  ProcResult failed = run_agent(repo, *failing, "second task", "true", {"--allow-dirty"});
  REQUIRE(failed.exit_code == 3);
  ProcResult log = in_repo(repo, {"log", "--json"});
  REQUIRE(log.exit_code == 0);
  auto runs = json_lines(log.out);
  REQUIRE(runs.size() == 2);
  return {runs[1]["run"].as_string(), runs[0]["run"].as_string()};
}

}  // namespace

TEST_CASE("log e2e: one line per run, newest first: id, time, status, turns, cost, files, task") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto ids = two_runs(repo);
  ProcResult r = in_repo(repo, {"log"});
  REQUIRE(r.exit_code == 0);
  std::istringstream text(r.out);
  std::string newest, oldest, extra;
  REQUIRE(std::getline(text, newest));
  REQUIRE(std::getline(text, oldest));
  CHECK_FALSE(std::getline(text, extra));
  CHECK(newest.rfind(ids[1], 0) == 0);
  CHECK(contains(newest, " error "));
  CHECK(contains(newest, "second task"));
  CHECK(oldest.rfind(ids[0], 0) == 0);
  CHECK(contains(oldest, " solved "));
  CHECK(contains(oldest, "3 turn(s)"));
  CHECK(contains(oldest, "1 file(s)"));
  CHECK(contains(oldest, "$0."));
  CHECK(contains(oldest, "fix a.txt"));
  CHECK_FALSE(contains(oldest, "it says broken"));  // the task's first line only

  ProcResult j = in_repo(repo, {"log", "--json"});
  auto runs = json_lines(j.out);
  REQUIRE(runs.size() == 2);
  const Value& solved = runs[1];
  CHECK(solved["run"].as_string() == ids[0]);
  CHECK(solved["status"].as_string() == "solved");
  CHECK(solved["turns"].as_int() == 3);
  CHECK(solved["files_changed"].as_int() == 1);
  CHECK(solved["task"].as_string() == "fix a.txt\nit says broken");
  CHECK(solved["cost_usd"].as_double() > 0);
  CHECK(solved["started"].as_int() > 0);
  CHECK(solved["checkpoints"].as_int() >= 2);
  CHECK(runs[0]["status"].as_string() == "error");
  CHECK(runs[0]["files_changed"].as_int() == 0);
}

TEST_CASE("log e2e: a run killed mid-way (no run_finished) is unfinished") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto ids = two_runs(repo);
  // What a SIGKILL leaves: the trajectory up to some event, the last line torn.
  std::string path = repo.path(".git/diffsmith/runs/" + ids[0] + ".jsonl");
  std::string full = read_file(path);
  size_t cut = full.find("{\"event\":{\"type\":\"run_finished\"");
  REQUIRE(cut != std::string::npos);
  write_file(path, full.substr(0, cut) + "{\"event\":{\"type\":\"tes");
  ProcResult r = in_repo(repo, {"log"});
  REQUIRE(r.exit_code == 0);
  std::string line = r.out.substr(r.out.find(ids[0]));
  line = line.substr(0, line.find('\n'));
  CHECK(contains(line, " unfinished "));
  CHECK(contains(line, "3 turn(s)"));  // from its model_turn events
  ProcResult show = in_repo(repo, {"show", ids[0]});
  REQUIRE(show.exit_code == 0);
  CHECK(contains(show.out, "unfinished: the run has no end"));
}

TEST_CASE("show e2e: the transcript for a person, and --json prints the trajectory as stored") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto ids = two_runs(repo);
  ProcResult r = in_repo(repo, {"show", ids[0]});
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "run " + ids[0]));
  CHECK(contains(r.out, "task:\n  fix a.txt\n  it says broken\n"));
  CHECK(contains(r.out, "test command: cat a.txt; grep -q fixed a.txt (-t)"));
  CHECK(contains(r.out, "tests before any change: failed (exit 1"));
  CHECK(contains(r.out, "── turn 1/"));
  CHECK(contains(r.out, "Let me read the file first.\n→ read_file path=\"a.txt\""));
  CHECK(contains(r.out, "  ← read_file: 1 hello 2 broken [2 lines]"));
  CHECK(contains(r.out, "→ apply_edits edits=\"a.txt ``` <<<<<<< SEARCH broken ======= still wrong"));
  CHECK(contains(r.out, "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n hello\n-broken\n+still wrong\n"));
  CHECK(contains(r.out, "-still wrong\n+fixed\n"));
  CHECK(contains(r.out, "tests: failed (exit 1"));
  // The feedback the model got after the failing tests, with their output.
  CHECK(contains(r.out, "» "));
  CHECK(contains(r.out, "» still wrong\n"));
  CHECK(contains(r.out, "tests: passed (exit 0"));
  CHECK(contains(r.out, "\nsolved: tests pass\n"));
  CHECK(contains(r.out, "3 turn(s) · "));
  // The system prompt and the task message are not dumped.
  CHECK_FALSE(contains(r.out, "You are diffsmith"));
  // Each tool result is one line.
  for (size_t at = r.out.find("  ← "); at != std::string::npos; at = r.out.find("  ← ", at + 1)) {
    std::string line = r.out.substr(at, r.out.find('\n', at) - at);
    CHECK(line.size() < 140);
  }

  // Default: the latest run (the failed one), whose error is shown.
  ProcResult latest = in_repo(repo, {"show"});
  REQUIRE(latest.exit_code == 0);
  CHECK(contains(latest.out, "run " + ids[1]));
  CHECK(contains(latest.out, "\nerror: "));

  ProcResult j = in_repo(repo, {"show", "--json", ids[0]});
  REQUIRE(j.exit_code == 0);
  CHECK(j.out == read_file(repo.path(".git/diffsmith/runs/" + ids[0] + ".jsonl")));
  CHECK(json_lines(j.out).size() > 5);

  ProcResult unknown = in_repo(repo, {"show", "no-such-run"});
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "diffsmith show: no run 'no-such-run'"));
}
