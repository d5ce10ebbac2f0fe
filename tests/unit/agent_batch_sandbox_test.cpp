// A batch task's commands run in the sandbox, as in `diffsmith run`: its
// tests, its reproduction and the model's run_command, through the real
// binary against the scripted mock. Inside, the tasks file (other tasks'
// text, test ids, hints), the predictions, other tasks' checkouts and the
// mirror with the later commits cannot be read; the task's own checkout can.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "unit/agent_batch_fixture.hpp"

using namespace ds;
using namespace ds::agent::batch_testing;

namespace {

struct Leaky {
  std::string root = make_temp_dir();
  std::string src, mirrors, base, tasks, out, work;

  Leaky() {
    src = root + "/lib-src";
    ds::agent::batch_testing::BatchFixture::git_init(src);
    write_file(src + "/lib.txt", "value=1\n");
    base = ds::agent::batch_testing::BatchFixture::commit(src, "base");
    write_file(src + "/lib.txt", "value=2 FUTURE-FIX-MARKER-3141\n");
    ds::agent::batch_testing::BatchFixture::commit(src, "FUTURE-SUBJECT-2718");
    mirrors = root + "/mirrors";
    shell(root, "mkdir -p mirrors && git clone -q --mirror lib-src mirrors/acme__lib.git");
    tasks = root + "/tasks.jsonl";
    out = root + "/out/preds.jsonl";
    work = root + "/work";
    // Each test fails when it can read what it must not: the tasks file (the
    // other task's text), the mirror, the other task's kept checkout.
    auto task = [&](const std::string& id, const std::string& text, const std::string& other) {
      std::string test = "! grep -q SECRET '" + tasks + "' && test \"$(git -C '" + mirrors +
                         "/acme__lib.git' rev-list --all 2>/dev/null | wc -l)\" -lt 2 && ! ls '" + work +
                         "/worktrees' | grep -q " + other + " && ! test -s '" + out +
                         "' && grep -q value=2 lib.txt";
      json::Value v = json::Value::object();
      v.set("id", id)
          .set("repo", "acme/lib")
          .set("base_commit", base)
          .set("task", text)
          .set("test_cmd", test);
      return json::dump(v) + "\n";
    };
    write_file(tasks, task("t1", "TASK-ONE: value should be 2.", "t2") +
                          task("t2", "TASK-TWO-SECRET: value should be 2 as well.", "t1"));
  }
  ~Leaky() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
  Leaky(const Leaky&) = delete;
  Leaky& operator=(const Leaky&) = delete;

  std::string batch(const ds::test::MockServer& mock, const std::vector<std::string>& args, int* code) const {
    std::string cmd = "XDG_CONFIG_HOME='" + root + "/xdg' '" + DIFFSMITH_BINARY + "' batch '" + tasks + "'";
    for (const std::string& a : std::vector<std::string>{
             "--out", out, "--work-dir", work, "--repos-dir", mirrors, "--keep-worktrees", "--base-url",
             mock.base_url(), "--max-turns", "3", "--max-retries", "0"})
      cmd += " " + exec::shell_quote(a);
    for (const auto& a : args) cmd += " " + exec::shell_quote(a);
    std::string output = shell(root, cmd, true, code);
    UNSCOPED_INFO("diffsmith batch:\n" << output);
    return output;
  }
};

json::Value command_call(const std::string& match, const std::string& command) {
  json::Value call = json::Value::object()
                         .set("name", "run_command")
                         .set("arguments", json::Value::object().set("command", command));
  return json::Value::object()
      .set("match", match)
      .set("tool_calls", json::Value::array().push(call))
      .set("usage", json::Value::object().set("prompt_tokens", 100).set("completion_tokens", 10));
}

bool sandbox_works() {
  exec::SystemRunner runner;
  exec::SandboxConfig cfg;
  cfg.work_tree = make_temp_dir();
  return exec::probe_sandbox(cfg, runner).ok;
}

}  // namespace

TEST_CASE("batch sandbox: tests and commands cannot read the tasks file, the mirror or other checkouts") {
  if (!sandbox_works()) {
    WARN("bwrap does not work here: the batch sandbox is not tested");
    return;
  }
  Leaky f;
  json::Value script = json::Value::array();
  // t1's model looks around first, then fixes lib.txt; t2's fixes it at once.
  script.push(command_call("TASK-ONE", "cat '" + f.tasks + "'; git -C '" + f.mirrors +
                                           "/acme__lib.git' log --all --format=%s; ls '" + f.work +
                                           "/worktrees'; git log --all --format=%s; echo LOOKED"));
  script.push(edit_reply("TASK-ONE", "lib.txt", "value=1", "value=2"));
  script.push(edit_reply("TASK-TWO", "lib.txt", "value=1", "value=2"));
  auto mock = start_mock(json::dump(script));
  int code = -1;
  std::string output = f.batch(*mock, {}, &code);
  CHECK(code == 0);
  CHECK(has(output, "solved 2/2"));

  // What run_command showed the model: its own checkout's history, nothing else.
  bool looked = false;
  for (const auto& r : mock->requests()) {
    std::string body = json::dump(r["body"]);
    if (!has(body, "LOOKED")) continue;
    looked = true;
    CHECK_FALSE(has(body, "TASK-TWO-SECRET"));
    CHECK_FALSE(has(body, "FUTURE-FIX-MARKER"));
    CHECK_FALSE(has(body, "FUTURE-SUBJECT"));
    CHECK(has(body, "base"));
  }
  CHECK(looked);

  // The same tests without the sandbox can read all of it: they fail.
  auto again = start_mock(json::dump(script));
  output = f.batch(*again, {"--redo", "--no-sandbox-tests"}, &code);
  CHECK(has(output, "solved 0/2"));
}
