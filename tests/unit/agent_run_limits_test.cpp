// End-to-end `diffsmith run` against the scripted mock model, the ways a run
// ends without a solution: turn and cost budgets (exit 1), a model that keeps
// calling finish (exit 1), API failures (exit 3, the key never shown),
// configuration layering and config/usage errors (exit 2, 4), and the
// offline demo.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const std::map<std::string, std::string> kBroken = {{"a.txt", "hello\nbroken\n"}};
const char* kTask = "fix a.txt";
const char* kTest = "grep -q fixed a.txt";

// A model that only ever reads a.txt.
std::string reading_model(int turns) {
  std::vector<Value> entries;
  for (int i = 0; i < turns; ++i) entries.push_back(read_turn("a.txt"));
  return script(entries);
}

const Value& finished_event(const std::vector<Value>& events) {
  REQUIRE_FALSE(events.empty());
  REQUIRE(events.back()["type"].as_string() == "run_finished");
  return events.back();
}

Value quota_error() {
  Value err =
      Value::object()
          .set("message", "You exceeded your current quota, please check your plan and billing details.")
          .set("type", "insufficient_quota")
          .set("code", "insufficient_quota");
  return Value::object().set("status", 429).set("body", Value::object().set("error", err));
}

}  // namespace

TEST_CASE("run e2e: --max-turns stops a model that only reads files with exit 1") {
  TempRepo repo(kBroken);
  auto mock = start_mock(reading_model(5));

  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--max-turns", "2", "--json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(mock->requests().size() == 2);
  std::vector<Value> events = json_lines(r.out);
  const Value& fin = finished_event(events);
  CHECK(fin["status"].as_string() == "unsolved");
  CHECK(fin["turns"].as_int() == 2);
  CHECK(contains(fin["reason"].as_string(), "turn limit"));
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
}

TEST_CASE("run e2e: --max-cost stops the run once the turns cost more, with exit 1") {
  TempRepo repo(kBroken);
  Value expensive = read_turn("a.txt");
  expensive.set("usage", Value::object().set("prompt_tokens", 100000).set("completion_tokens", 10));
  auto mock = start_mock(script({expensive, read_turn("a.txt"), read_turn("a.txt")}));

  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--max-cost", "0.01", "--json"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK(mock->requests().size() == 1);
  std::vector<Value> events = json_lines(r.out);
  const Value& fin = finished_event(events);
  CHECK(fin["status"].as_string() == "unsolved");
  CHECK(contains(fin["reason"].as_string(), "cost limit"));
  CHECK(fin["cost_usd"].as_double() > 0.01);
}

TEST_CASE("run e2e: a model that calls finish three times while the tests fail ends with exit 1") {
  TempRepo repo(kBroken);
  // A change that does not fix it, then finish: each finish is a stall.
  Value changed_and_finish =
      turn({tool_call("apply_edits", Value::object().set("edits", sr_block("a.txt", "broken\n", "wrong\n"))),
            tool_call("finish", Value::object().set("summary", "done"))});
  auto mock =
      start_mock(script({changed_and_finish, finish_turn("done"), finish_turn("done"), finish_turn("done")}));

  ProcResult r = run_agent(repo, *mock, kTask, kTest);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 3);
  // After each premature finish the model is told the tests still fail.
  CHECK(contains(all_text(reqs[1]), "You called finish, but the test command still fails"));
  CHECK(contains(r.err, "3 times"));
}

TEST_CASE("run e2e: a rejected API key exits 3 and the key never shows") {
  const std::string key = "sk-test-SECRET-4242424242";
  TempRepo repo(kBroken);
  TempDir scratch;
  auto mock = start_mock(reading_model(1), {"sk-mock-wants-another-key"});
  ProcOptions opts;
  opts.env["OPENAI_API_KEY"] = key;

  // The test command records the environment it sees.
  std::string test_cmd = "env > '" + scratch.path + "/env.txt'; exit 1";
  // Unsandboxed: it writes outside the work tree.
  ProcResult r = run_agent(repo, *mock, kTask, test_cmd, {"--no-sandbox-tests"}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 3);
  CHECK(contains(r.err, "401"));
  CHECK(contains(r.err, "OPENAI_API_KEY"));
  // The mock did receive the key (and echoed it in its error body) ...
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0]["auth_ok"].as_bool(true) == false);
  // ... but it appears nowhere diffsmith writes, nor in the tests' environment.
  CHECK_FALSE(contains(r.out, "SECRET"));
  CHECK_FALSE(contains(r.err, "SECRET"));
  std::string traj = repo.trajectories();
  CHECK_FALSE(traj.empty());
  CHECK_FALSE(contains(traj, "SECRET"));
  std::string env = read_file(scratch.path + "/env.txt");
  CHECK(contains(env, "PATH="));
  CHECK_FALSE(contains(env, "SECRET"));
  CHECK_FALSE(repo.exists(".git/diffsmith/lock"));
}

TEST_CASE("run e2e: server errors until the retries run out exit 3") {
  TempRepo repo(kBroken);
  Value e500 = Value::object().set("status", 500);
  auto mock = start_mock(script({e500, e500, e500, read_turn("a.txt")}));

  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--max-retries", "1"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 3);
  CHECK(mock->requests().size() == 2);  // one try + one retry
  CHECK(contains(r.err, "500"));
}

TEST_CASE("run e2e: insufficient_quota exits 3 without a retry") {
  TempRepo repo(kBroken);
  auto mock = start_mock(script({quota_error(), read_turn("a.txt")}));

  ProcResult r = run_agent(repo, *mock, kTask, kTest, {"--max-retries", "3"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 3);
  CHECK(mock->requests().size() == 1);
  CHECK(contains(r.err, "quota"));
}

TEST_CASE("run e2e: settings layer flag > env > .diffsmith.toml, unknown keys are errors") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {".diffsmith.toml", "max-turns = 1\n"}});
  auto turns_used = [&](std::vector<std::string> extra, std::map<std::string, std::string> env) {
    auto mock = start_mock(reading_model(5));
    ProcOptions opts;
    opts.env = std::move(env);
    ProcResult r = run_agent(repo, *mock, kTask, kTest, extra, opts);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 1);
    return mock->requests().size();
  };
  CHECK(turns_used({}, {}) == 1);                                                // the repo file
  CHECK(turns_used({}, {{"DIFFSMITH_MAX_TURNS", "2"}}) == 2);                    // env beats the file
  CHECK(turns_used({"--max-turns", "3"}, {{"DIFFSMITH_MAX_TURNS", "2"}}) == 3);  // the flag beats both

  repo.write(".diffsmith.toml", "max_turns = 2\n");  // _ and - are the same in keys
  repo.git({"commit", "-q", "-am", "snake_case key"});
  CHECK(turns_used({}, {}) == 2);

  repo.write(".diffsmith.toml", "max-turns = 1\nmax-turnz = 4\n");
  repo.git({"commit", "-q", "-am", "typo in config"});
  auto mock = start_mock(reading_model(1));
  ProcResult r = run_agent(repo, *mock, kTask, kTest);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, repo.path(".diffsmith.toml")));
  CHECK(contains(r.err, "max-turnz"));
  CHECK(mock->requests().empty());
}

TEST_CASE("run e2e: usage errors exit 2, a directory outside any repository exits 4") {
  TempRepo repo(kBroken);
  ProcOptions in_repo;
  in_repo.cwd = repo.root();

  ProcResult no_task = run_diffsmith({"run", "-t", kTest, "--base-url", "http://127.0.0.1:9/v1"}, in_repo);
  CHECK(no_task.exit_code == 2);
  CHECK(contains(no_task.err, "no task"));

  ProcResult no_test = run_diffsmith({"run", kTask, "--base-url", "http://127.0.0.1:9/v1"}, in_repo);
  CHECK(no_test.exit_code == 2);
  CHECK(contains(no_test.err, "-t"));

  TempDir plain;  // not a repository (and /tmp is none either)
  ProcOptions outside;
  outside.cwd = plain.path;
  ProcResult not_repo =
      run_diffsmith({"run", kTask, "-t", kTest, "--base-url", "http://127.0.0.1:9/v1"}, outside);
  CHECK(not_repo.exit_code == 4);
  CHECK(contains(not_repo.err, "not a git repository"));
  CHECK(repo.git({"status", "--porcelain"}).empty());
}

TEST_CASE("run e2e: `diffsmith demo` solves the bundled example offline") {
  TempDir tmp;
  ProcOptions opts;
  opts.env["TMPDIR"] = tmp.path;  // the demo repository goes here and is removed
  ProcResult r = run_diffsmith({"demo"}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "diff --git a/dates.py b/dates.py"));
  CHECK(contains(r.out, "year % 400 == 0"));
  CHECK(fs::is_empty(tmp.path));
}

TEST_CASE("run e2e: `diffsmith demo` without bubblewrap says so and still solves, its tests unsandboxed") {
  TempDir tmp;
  // A PATH with everything of /usr/bin except bwrap (as on a machine where
  // the package's Recommends were not installed).
  std::string bin = tmp.path + "/bin";
  fs::create_directories(bin);
  for (const auto& e : fs::directory_iterator("/usr/bin"))
    if (e.path().filename() != "bwrap") fs::create_symlink(e.path(), fs::path(bin) / e.path().filename());
  ProcOptions opts;
  opts.env["TMPDIR"] = tmp.path;
  opts.env["PATH"] = bin;
  ProcResult r = run_diffsmith({"demo"}, opts);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.err, "the sandbox does not work here, so the demo runs its tests without it"));
  CHECK(contains(r.out, "year % 400 == 0"));
}
