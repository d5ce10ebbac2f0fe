// The run's own words (issue 22): a commit's subject is the task's first
// line (at most 72 characters, cut at a word) and its body the model's
// finish summary, never prose cut mid-turn or an edit block; log, log --json
// and show use the finish summary or a neutral line; a finish that gives up
// without a change is shown live and ends no_change with its reason. The
// real binary against the scripted mock, real repositories.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

ProcResult in_repo(const TempRepo& repo, const std::vector<std::string>& args) {
  ProcOptions o;
  o.cwd = repo.root();
  return run_diffsmith(args, o);
}

size_t chars(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

TEST_CASE("run words e2e: a finish that gives up with no change ends no_change with its reason, shown live") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock =
      start_mock(script({finish_turn("The code is fine; the tests are wrong."), finish_turn("again")}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt");
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(mock->requests().size() == 1);  // no second request to argue with it
  CHECK(contains(r.err, "→ finish: The code is fine; the tests are wrong.\n"));
  CHECK(contains(r.err,
                 "run no_change after 1 turn(s): the model finished without changing any file: The code is "
                 "fine; the tests are wrong.\n"));
  auto runs = json_lines(in_repo(repo, {"log", "--json"}).out);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["status"].as_string() == "no_change");
  CHECK(runs[0]["summary"].as_string() == "The code is fine; the tests are wrong.");
}

TEST_CASE("run words e2e: without finish the commit is the task's first line, cut at a word, and no prose") {
  TempRepo repo({{"login.py", "user, password = password, user\n"}});
  const std::string task =
      "Fix the login form so that the username and password fields are no longer swapped when submitted\n"
      "The form sends them in the wrong order.";
  std::string text =
      "Username and password are swapped. Fixing:\n" +
      sr_block("login.py", "user, password = password, user\n", "user, password = user, password\n");
  auto mock = start_mock(script({turn({}, text)}));
  ProcResult r = run_agent(repo, *mock, task, "grep -q 'user, password = user' login.py", {"--commit"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string subject = repo.git({"log", "-1", "--format=%s"});
  subject.pop_back();
  CHECK(chars(subject) <= 72);
  REQUIRE(subject.size() > 3);
  CHECK(subject.ends_with("…"));
  std::string kept = subject.substr(0, subject.size() - std::string("…").size());
  CHECK(task.rfind(kept + " ", 0) == 0);  // a prefix of the task, cut before a word
  CHECK(kept.starts_with("Fix the login form so that the username and password fields"));
  std::string message = repo.git({"log", "-1", "--format=%B"});
  CHECK_FALSE(contains(message, "Fixing"));
  CHECK_FALSE(contains(message, "<<<<<<<"));
  CHECK(repo.git({"log", "-1", "--format=%b"}) == "\n");

  // log, log --json and show: a neutral line, not the turn's text.
  auto runs = json_lines(in_repo(repo, {"log", "--json"}).out);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["summary"].as_string() == "no summary: the model did not call finish");
  ProcResult show = in_repo(repo, {"show"});
  CHECK(contains(show.out, "summary: no summary: the model did not call finish\n"));
  CHECK_FALSE(contains(show.out, "summary: Username"));
}

TEST_CASE("run words e2e: a finish summary with an edit block commits its prose only") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  std::string summary =
      "Replaced the broken line.\n" + sr_block("a.txt", "broken\n", "fixed\n") + "Nothing else changed.";
  auto mock = start_mock(script({turn({
      tool_call("apply_edits", Value::object().set("edits", sr_block("a.txt", "broken\n", "fixed\n"))),
      tool_call("finish", Value::object().set("summary", summary)),
  })}));
  ProcResult r = run_agent(repo, *mock, "fix a.txt", "grep -q fixed a.txt", {"--commit"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string message = repo.git({"log", "-1", "--format=%B"});
  CHECK(message.rfind("fix a.txt\n\nReplaced the broken line.\n", 0) == 0);
  CHECK(contains(message, "Nothing else changed."));
  CHECK_FALSE(contains(message, "<<<<<<<"));
  CHECK_FALSE(contains(message, "SEARCH"));
  auto runs = json_lines(in_repo(repo, {"log", "--json"}).out);
  REQUIRE(runs.size() == 1);
  CHECK_FALSE(contains(runs[0]["summary"].as_string(), "<<<<<<<"));
  CHECK(contains(runs[0]["summary"].as_string(), "Replaced the broken line."));
}
