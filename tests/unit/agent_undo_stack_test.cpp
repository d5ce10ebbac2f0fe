// Undo as a stack (issue 22): each `undo` takes back the latest run not yet
// undone, `log` lists undone runs as `undone`, and `undo --all-since RUN`
// takes back RUN and every later run, newest first. The real binary, real
// repositories, the scripted mock model.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;

namespace {

// One run that replaces `from` by `to` in `path` and finishes (change mode: `true` passes).
std::string run_edit(const TempRepo& repo, const std::string& path, const std::string& from,
                     const std::string& to) {
  auto mock = start_mock(script({edit_turn(sr_block(path, from, to)), finish_turn("edited " + path)}));
  ProcResult r = run_agent(repo, *mock, "edit " + path, "true", {"--allow-dirty"});
  INFO("run: " << r.err);
  REQUIRE(r.exit_code == 0);
  ProcOptions o;
  o.cwd = repo.root();
  auto runs = json_lines(run_diffsmith({"log", "--json"}, o).out);
  REQUIRE_FALSE(runs.empty());
  return runs.front()["run"].as_string();
}

ProcResult in_repo(const TempRepo& repo, const std::vector<std::string>& args) {
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult r = run_diffsmith(args, o);
  INFO(args.front() << ": " << r.out << r.err);
  return r;
}

// run id -> (status column of `log`, `undone` of `log --json`)
std::map<std::string, std::pair<std::string, bool>> log_states(const TempRepo& repo) {
  std::map<std::string, std::pair<std::string, bool>> states;
  for (const auto& v : json_lines(in_repo(repo, {"log", "--json"}).out))
    states[v["run"].as_string()].second = v["undone"].as_bool();
  std::istringstream text(in_repo(repo, {"log"}).out);
  std::string line;
  while (std::getline(text, line)) {
    std::istringstream words(line);
    std::string id, day, time, status;
    words >> id >> day >> time >> status;
    states[id].first = status;
  }
  return states;
}

}  // namespace

TEST_CASE("undo e2e: a second undo takes back the run before, and log lists undone runs as undone") {
  TempRepo repo({{"a.txt", "a0\n"}, {"b.txt", "b0\n"}});
  std::string first = run_edit(repo, "a.txt", "a0\n", "a1\n");
  std::string second = run_edit(repo, "b.txt", "b0\n", "b1\n");
  REQUIRE(repo.read("a.txt") == "a1\n");
  REQUIRE(repo.read("b.txt") == "b1\n");

  ProcResult u1 = in_repo(repo, {"undo"});
  REQUIRE(u1.exit_code == 0);
  CHECK(contains(u1.out, "run " + second));
  CHECK(repo.read("b.txt") == "b0\n");
  CHECK(repo.read("a.txt") == "a1\n");
  auto states = log_states(repo);
  CHECK(states[second] == std::make_pair(std::string("undone"), true));
  CHECK(states[first] == std::make_pair(std::string("solved"), false));

  ProcResult u2 = in_repo(repo, {"undo"});
  REQUIRE(u2.exit_code == 0);
  CHECK(contains(u2.out, "run " + first));
  CHECK_FALSE(contains(u2.out, "already undone"));
  CHECK(repo.read("a.txt") == "a0\n");
  CHECK(log_states(repo)[first] == std::make_pair(std::string("undone"), true));

  // Nothing is left: a third undo changes nothing and says why.
  std::string before = repo.snapshot();
  ProcResult u3 = in_repo(repo, {"undo"});
  CHECK(u3.exit_code == 0);
  CHECK(contains(u3.out, "nothing to undo"));
  CHECK(contains(u3.out, "is already undone"));
  CHECK(repo.snapshot() == before);

  // `undo undo-RUN` brings a run back: it is no longer undone, and is the next to undo.
  ProcResult redo = in_repo(repo, {"undo", "undo-" + second});
  REQUIRE(redo.exit_code == 0);
  CHECK(repo.read("b.txt") == "b1\n");
  CHECK(log_states(repo)[second] == std::make_pair(std::string("solved"), false));
  ProcResult u4 = in_repo(repo, {"undo"});
  REQUIRE(u4.exit_code == 0);
  CHECK(contains(u4.out, "run " + second));
  CHECK(repo.read("b.txt") == "b0\n");
}

TEST_CASE("undo e2e: --all-since RUN takes back RUN and every later run, newest first") {
  TempRepo repo({{"a.txt", "a0\n"}, {"b.txt", "b0\n"}, {"c.txt", "c0\n"}});
  std::string first = run_edit(repo, "a.txt", "a0\n", "a1\n");
  std::string second = run_edit(repo, "b.txt", "b0\n", "b1\n");
  std::string third = run_edit(repo, "c.txt", "c0\n", "c1\n");

  ProcResult u = in_repo(repo, {"undo", "--all-since", second});
  REQUIRE(u.exit_code == 0);
  size_t at_third = u.out.find("run " + third), at_second = u.out.find("run " + second);
  REQUIRE(at_third != std::string::npos);
  REQUIRE(at_second != std::string::npos);
  CHECK(at_third < at_second);
  CHECK_FALSE(contains(u.out, "run " + first));
  CHECK(contains(u.out, "undid 2 run(s)"));
  CHECK(repo.read("a.txt") == "a1\n");
  CHECK(repo.read("b.txt") == "b0\n");
  CHECK(repo.read("c.txt") == "c0\n");
  auto states = log_states(repo);
  CHECK(states[third].second);
  CHECK(states[second].second);
  CHECK_FALSE(states[first].second);

  // An unknown run is a usage error and changes nothing.
  std::string before = repo.snapshot();
  ProcResult bad = in_repo(repo, {"undo", "--all-since", "20000101-000000-zzzz"});
  CHECK(bad.exit_code == 2);
  CHECK(repo.snapshot() == before);
}
