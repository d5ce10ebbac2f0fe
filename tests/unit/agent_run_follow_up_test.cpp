// End-to-end follow-ups: `diffsmith run --continue [RUN] "next instruction"`
// and `run -i` with follow-ups piped on stdin, against the scripted mock, the
// real binary and a real repository. Also the refusals (an unknown run, a
// run whose changes were undone, uncommitted changes that are not the
// conversation's) and setup failures as a run_finished event under --json.
#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::json::Value;

namespace {

const char* kTestA = "grep -q fixed a.txt";
const char* kTestAB = "grep -q fixed a.txt && grep -q done b.txt";

// The run_started event of a --json run's stdout.
Value run_started(const ProcResult& r) {
  for (const auto& e : json_lines(r.out))
    if (e["type"].as_string() == "run_started") return e;
  FAIL("no run_started event in: " << r.out);
  return {};
}

std::string run_id(const ProcResult& r) { return run_started(r)["run_id"].as_string(); }

// `diffsmith ARGS` with stdin read from `stdin_path` (the fixture's children
// get /dev/null).
ProcResult run_with_stdin(const TempRepo& repo, const std::vector<std::string>& args,
                          const std::string& stdin_path) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$FOLLOW_UP_STDIN\""};
  for (const auto& a : diffsmith_argv(args)) argv.push_back(a);
  ProcOptions opts;
  opts.cwd = repo.root();
  opts.env["FOLLOW_UP_STDIN"] = stdin_path;
  return run_process(argv, opts);
}

// The messages of `later` begin with every message of `earlier`, byte for byte.
void check_prefix(const Value& earlier, const Value& later) {
  const auto& a = messages_of(earlier);
  const auto& b = messages_of(later);
  REQUIRE(b.size() > a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO("message " << i);
    CHECK(ds::json::dump(a[i]) == ds::json::dump(b[i]));
  }
}

}  // namespace

TEST_CASE("follow-up e2e: --continue carries the first run's conversation and the new instruction") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}});
  auto mock = start_mock(script({
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      edit_turn(sr_block("b.txt", "todo\n", "done\n")),
  }));
  ProcResult first = run_agent(repo, *mock, "fix a.txt", kTestA, {"--json"});
  INFO("first stderr: " << first.err);
  REQUIRE(first.exit_code == 0);

  // a.txt is uncommitted (the first run's change): not "dirty" for its follow-up.
  ProcResult second = run_agent(repo, *mock, "now mark b.txt done", kTestAB, {"--json", "--continue"});
  INFO("second stderr: " << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nfixed\n");
  CHECK(repo.read("b.txt") == "done\n");

  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 2);
  // The second request: the first request's messages byte for byte (system
  // prompt and first user message, so the prompt cache hits), the first
  // run's reply and tool answer, then the instruction as a user message.
  check_prefix(reqs[0], reqs[1]);
  const auto& msgs = messages_of(reqs[1]);
  REQUIRE(msgs.size() == messages_of(reqs[0]).size() + 3);
  CHECK(msgs[msgs.size() - 3]["role"].as_string() == "assistant");
  CHECK(msgs[msgs.size() - 2]["role"].as_string() == "tool");
  const Value& last = msgs.back();
  CHECK(last["role"].as_string() == "user");
  CHECK(contains(last["content"].as_string(), "now mark b.txt done"));
  // The mode is decided again: the new test command fails at the follow-up's start.
  CHECK(contains(last["content"].as_string(), "fails now"));
  CHECK(reqs[0]["body"]["prompt_cache_key"].as_string() == reqs[1]["body"]["prompt_cache_key"].as_string());
  CHECK_FALSE(reqs[1]["body"]["prompt_cache_key"].as_string().empty());

  // A run of its own that names the run it continues; its diff is its own change.
  Value started = run_started(second);
  CHECK(started["continues"].as_string() == run_id(first));
  CHECK(started["run_id"].as_string() != run_id(first));
  CHECK(run_started(first).find("continues") == nullptr);
  Value fin = json_lines(second.out).back();
  CHECK(fin["status"].as_string() == "solved");
  CHECK(contains(fin["diff"].as_string(), "+done"));
  CHECK_FALSE(contains(fin["diff"].as_string(), "+fixed"));

  // `log` names each run by its own instruction, the follow-up first.
  ProcOptions o;
  o.cwd = repo.root();
  ProcResult log = run_diffsmith({"log", "--json"}, o);
  REQUIRE(log.exit_code == 0);
  auto runs = json_lines(log.out);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0]["task"].as_string() == "now mark b.txt done");
  CHECK(runs[1]["task"].as_string() == "fix a.txt");
}

TEST_CASE("follow-up e2e: undo of a follow-up goes back to its start, the first run's undo to its own") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}});
  auto mock = start_mock(script({
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      edit_turn(sr_block("b.txt", "todo\n", "done\n")),
  }));
  ProcResult first = run_agent(repo, *mock, "fix a.txt", kTestA, {"--json"});
  REQUIRE(first.exit_code == 0);
  ProcResult second =
      run_agent(repo, *mock, "mark b.txt done", kTestAB, {"--json", "--continue", run_id(first)});
  INFO("second stderr: " << second.err);
  REQUIRE(second.exit_code == 0);

  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult undo2 = run_diffsmith({"undo", run_id(second)}, in_repo);
  INFO("undo stdout: " << undo2.out << " stderr: " << undo2.err);
  REQUIRE(undo2.exit_code == 0);
  CHECK(repo.read("b.txt") == "todo\n");          // the follow-up's change is gone
  CHECK(repo.read("a.txt") == "hello\nfixed\n");  // the first run's is kept

  ProcResult undo1 = run_diffsmith({"undo", run_id(first)}, in_repo);
  INFO("undo stdout: " << undo1.out << " stderr: " << undo1.err);
  REQUIRE(undo1.exit_code == 0);
  CHECK(repo.read("a.txt") == "hello\nbroken\n");
  CHECK(repo.git({"status", "--porcelain", "--untracked-files=no"}).empty());
}

TEST_CASE("follow-up e2e: other uncommitted changes are refused unless --allow-dirty") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}, {"c.txt", "mine\n"}});
  auto mock = start_mock(script({
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      edit_turn(sr_block("b.txt", "todo\n", "done\n")),
  }));
  REQUIRE(run_agent(repo, *mock, "fix a.txt", kTestA).exit_code == 0);
  repo.write("c.txt", "mine, edited\n");

  ProcResult refused = run_agent(repo, *mock, "mark b.txt done", kTestAB, {"--continue"});
  INFO("stderr: " << refused.err);
  CHECK(refused.exit_code == 4);
  CHECK(contains(refused.err, "uncommitted changes (1 path(s), e.g. c.txt)"));
  CHECK(mock->requests().size() == 1);

  ProcResult allowed = run_agent(repo, *mock, "mark b.txt done", kTestAB, {"--continue", "--allow-dirty"});
  INFO("stderr: " << allowed.err);
  CHECK(allowed.exit_code == 0);
  CHECK(repo.read("c.txt") == "mine, edited\n");
  CHECK(repo.read("b.txt") == "done\n");
}

TEST_CASE("follow-up e2e: -i reads follow-ups from piped stdin, each a run continuing the previous") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}, {"c.txt", "todo\n"}});
  auto mock = start_mock(script({
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      turn({tool_call("apply_edits", Value::object().set("edits", sr_block("b.txt", "todo\n", "done\n"))),
            tool_call("finish", Value::object().set("summary", "b done"))}),
      turn({tool_call("apply_edits", Value::object().set("edits", sr_block("c.txt", "todo\n", "done\n"))),
            tool_call("finish", Value::object().set("summary", "c done"))}),
      finish_turn("nothing more to do"),
  }));
  TempDir scratch;
  std::string input = scratch.path + "/follow-ups.txt";
  write_file(input, "mark b.txt done\nmark c.txt done\n\nnever read\n");

  ProcResult r = run_with_stdin(
      repo, {"run", "fix a.txt", "-t", kTestA, "--base-url", mock->base_url(), "-i", "--json"}, input);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(repo.read("b.txt") == "done\n");
  CHECK(repo.read("c.txt") == "done\n");

  // Three runs, each continuing the one before.
  std::vector<Value> started, finished;
  for (const auto& e : json_lines(r.out)) {
    if (e["type"].as_string() == "run_started") started.push_back(e);
    if (e["type"].as_string() == "run_finished") finished.push_back(e);
  }
  REQUIRE(started.size() == 3);
  REQUIRE(finished.size() == 3);
  CHECK(started[0].find("continues") == nullptr);
  CHECK(started[1]["continues"].as_string() == started[0]["run_id"].as_string());
  CHECK(started[2]["continues"].as_string() == started[1]["run_id"].as_string());
  for (const auto& f : finished) CHECK(f["status"].as_string() == "solved");
  // The prompt on stderr, the piped follow-ups echoed; the empty line ended it.
  CHECK(contains(r.err, "follow-up (empty line or Ctrl-D to end): mark b.txt done"));
  CHECK_FALSE(contains(r.err, "never read"));

  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 3);
  check_prefix(reqs[0], reqs[1]);
  check_prefix(reqs[1], reqs[2]);
  CHECK(contains(messages_of(reqs[1]).back()["content"].as_string(), "mark b.txt done"));
  CHECK(contains(messages_of(reqs[2]).back()["content"].as_string(), "mark c.txt done"));
  // Fix mode was over after the first run: the tests pass, so the follow-ups are change mode.
  CHECK(contains(messages_of(reqs[2]).back()["content"].as_string(), "passes now"));

  // --continue of the third run: a.txt, b.txt and c.txt are the conversation's
  // changes (two runs back too), not uncommitted changes of the user's.
  ProcResult more = run_agent(repo, *mock, "anything else?", kTestA, {"--continue", "--json"});
  INFO("stderr: " << more.err);
  CHECK(more.exit_code == 1);  // the model changed nothing: no_change
  CHECK(run_started(more)["continues"].as_string() == started[2]["run_id"].as_string());
  reqs = mock->requests();
  REQUIRE(reqs.size() == 4);
  check_prefix(reqs[2], reqs[3]);
  // One prompt cache key for the whole conversation: the first run's.
  for (const auto& req : reqs)
    CHECK(req["body"]["prompt_cache_key"].as_string() == "diffsmith-" + started[0]["run_id"].as_string());
}

TEST_CASE(
    "follow-up e2e: -i with end of input after the first verdict runs once; -i with a task on stdin is "
    "refused") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  TempDir scratch;
  std::string empty = scratch.path + "/empty.txt";
  write_file(empty, "");
  ProcResult r =
      run_with_stdin(repo, {"run", "fix a.txt", "-t", kTestA, "--base-url", mock->base_url(), "-i"}, empty);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(mock->requests().size() == 1);

  ProcResult from_stdin =
      run_with_stdin(repo, {"run", "-", "-t", kTestA, "--base-url", mock->base_url(), "-i"}, empty);
  CHECK(from_stdin.exit_code == 2);
  CHECK(contains(from_stdin.err, "-i reads its follow-ups from stdin"));

  // A run that ends in an error asks for no follow-up.
  std::string one = scratch.path + "/one.txt";
  write_file(one, "do more\n");
  ProcResult broken = run_with_stdin(repo,
                                     {"run", "fix a.txt", "-t", "no-such-command-xyz", "--base-url",
                                      mock->base_url(), "-i", "--allow-dirty"},
                                     one);
  CHECK(broken.exit_code == 2);
  CHECK_FALSE(contains(broken.err, "follow-up ("));
  CHECK(mock->requests().size() == 1);
}

TEST_CASE("follow-up e2e: an unknown RUN, or nothing to continue, is a clear error naming `diffsmith log`") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  // `run --continue "instruction"`: the one value after --continue is the instruction, not a RUN.
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult none =
      run_diffsmith({"run", "--continue", "go on", "-t", kTestA, "--base-url", mock->base_url()}, in_repo);
  INFO("stderr: " << none.err);
  CHECK(none.exit_code == 2);
  CHECK(contains(none.err, "nothing to continue"));

  REQUIRE(run_agent(repo, *mock, "fix a.txt", kTestA).exit_code == 0);
  ProcResult unknown = run_agent(repo, *mock, "go on", kTestA, {"--continue", "20990101-000000-beef"});
  INFO("stderr: " << unknown.err);
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "diffsmith run: no run '20990101-000000-beef' to continue"));
  CHECK(contains(unknown.err, "`diffsmith log`"));
  CHECK(mock->requests().size() == 1);
}

TEST_CASE("follow-up e2e: a run whose changes were undone cannot be continued") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  auto mock = start_mock(script({edit_turn(sr_block("a.txt", "broken\n", "fixed\n"))}));
  ProcResult first = run_agent(repo, *mock, "fix a.txt", kTestA, {"--json"});
  REQUIRE(first.exit_code == 0);
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  REQUIRE(run_diffsmith({"undo", run_id(first)}, in_repo).exit_code == 0);

  ProcResult r = run_agent(repo, *mock, "go on", kTestA, {"--continue", run_id(first)});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "were undone"));
  CHECK(contains(r.err, "start a new run without --continue"));
  CHECK(mock->requests().size() == 1);
}

TEST_CASE("follow-up e2e: a killed run's conversation is continued, its unanswered tool call is answered") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}});
  auto mock = start_mock(script({
      turn({tool_call("read_file", Value::object().set("path", "a.txt")).set("id", "call_read")}),
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      edit_turn(sr_block("b.txt", "todo\n", "done\n")),
  }));
  ProcResult first = run_agent(repo, *mock, "fix a.txt", kTestA, {"--json"});
  REQUIRE(first.exit_code == 0);
  // As if killed while running the read_file call: the trajectory ends with
  // the assistant message that asked for it, and a line cut short.
  std::string path = repo.path(".git/diffsmith/runs/" + run_id(first) + ".jsonl");
  std::string text = read_file(path);
  size_t call = text.find("\"call_read\"");
  REQUIRE(call != std::string::npos);
  write_file(path, text.substr(0, text.find('\n', call) + 1) + "{\"message\":{\"role\":\"tool\",\"con");

  ProcResult r = run_agent(repo, *mock, "mark b.txt done", kTestAB, {"--continue"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto reqs = mock->requests();
  REQUIRE(reqs.size() == 3);
  CHECK(contains(tool_reply(reqs[2], "call_read"), "Not run: the run was stopped"));
  CHECK(contains(messages_of(reqs[2]).back()["content"].as_string(), "mark b.txt done"));
  CHECK(ds::json::dump(messages_of(reqs[2])[1]) == ds::json::dump(messages_of(reqs[0])[1]));
}

TEST_CASE("run e2e: setup failures under --json are a run_finished event with status error") {
  SECTION("not a repository: exit 4") {
    TempDir dir;
    ProcOptions opts;
    opts.cwd = dir.path;
    ProcResult r =
        run_diffsmith({"run", "x", "-t", "true", "--base-url", "http://127.0.0.1:9/v1", "--json"}, opts);
    CHECK(r.exit_code == 4);
    std::vector<Value> events = json_lines(r.out);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["type"].as_string() == "run_finished");
    CHECK(events[0]["status"].as_string() == "error");
    CHECK(events[0]["exit_code"].as_int() == 4);
    CHECK(contains(r.err, "diffsmith run: "));
    CHECK(contains(r.err, events[0]["reason"].as_string()));
  }
  SECTION("a bad setting: exit 2") {
    TempRepo repo({{"a.txt", "x\n"}});
    ProcOptions opts;
    opts.cwd = repo.root();
    ProcResult r = run_diffsmith({"run", "x", "-t", "true", "--base-url", "http://127.0.0.1:9/v1", "--json",
                                  "--edit-format", "nonsense"},
                                 opts);
    CHECK(r.exit_code == 2);
    std::vector<Value> events = json_lines(r.out);
    REQUIRE(events.size() == 1);
    CHECK(events[0]["status"].as_string() == "error");
    CHECK(events[0]["exit_code"].as_int() == 2);
    CHECK(contains(events[0]["reason"].as_string(), "nonsense"));
  }
  SECTION("without --json stdout stays empty") {
    TempDir dir;
    ProcOptions opts;
    opts.cwd = dir.path;
    ProcResult r = run_diffsmith({"run", "x", "-t", "true", "--base-url", "http://127.0.0.1:9/v1"}, opts);
    CHECK(r.exit_code == 4);
    CHECK(r.out.empty());
  }
}

TEST_CASE("follow-up e2e: without -t the follow-up keeps the continued run's test command") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}, {"b.txt", "todo\n"}});
  auto mock = start_mock(script({
      edit_turn(sr_block("a.txt", "broken\n", "fixed\n")),
      turn({tool_call("apply_edits", Value::object().set("edits", sr_block("b.txt", "todo\n", "done\n"))),
            tool_call("finish", Value::object().set("summary", "b done"))}),
  }));
  ProcResult first = run_agent(repo, *mock, "fix a.txt", kTestA, {"--json"});
  REQUIRE(first.exit_code == 0);
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult r = run_diffsmith(
      {"run", "mark b.txt done", "--continue", "--json", "--base-url", mock->base_url()}, in_repo);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  Value started = run_started(r);
  CHECK(started["test_cmd"].as_string() == kTestA);
  CHECK(started["test_source"].as_string() == "run " + run_id(first));
  CHECK(repo.read("b.txt") == "done\n");
}

TEST_CASE("follow-up e2e: --continue RUN without an instruction says what is missing") {
  TempRepo repo({{"a.txt", "hello\nbroken\n"}});
  ProcOptions in_repo;
  in_repo.cwd = repo.root();
  ProcResult r = run_diffsmith(
      {"run", "--continue", "20260101-120000-ab12", "-t", "true", "--base-url", "http://127.0.0.1:9/v1"},
      in_repo);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "--continue 20260101-120000-ab12 needs the next instruction"));
}
