// Ctrl-C during `diffsmith batch`: the real binary runs the batch; SIGINT
// arrives while one task waits on a slow model reply. No new task starts, the
// running one ends interrupted, the predictions file holds only whole lines of
// finished tasks, the exit code is 130, and a re-run does the interrupted task.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "unit/agent_batch_fixture.hpp"

using namespace ds;
using namespace ds::agent;
using namespace ds::agent::batch_testing;

namespace {

size_t complete_lines(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

// The fixture's script with TASK-GAMMA's replies slowed down by `delay` seconds.
std::string script_with_gamma_delay(double delay) {
  auto s = json::parse(BatchFixture::script());
  REQUIRE(s.ok());
  json::Value out = json::Value::array();
  for (auto item : s->items()) {
    if (item["match"].as_string() == "TASK-GAMMA") item.set("delay", delay);
    out.push(item);
  }
  return json::dump(out);
}

}  // namespace

TEST_CASE(
    "batch: SIGINT ends the running task, starts no new one, and leaves whole lines; a re-run finishes") {
  BatchFixture f;
  auto mock = start_mock(script_with_gamma_delay(30));
  auto flags = f.flags(*mock);
  std::string err_path = f.root + "/child-stderr.txt";

  // The real binary, as a user runs it: its own process and signal handlers.
  std::vector<std::string> args = {DIFFSMITH_BINARY, "batch", f.tasks};
  for (const auto& [k, v] : flags) {
    args.push_back("--" + k);
    if (v != "true") args.push_back(v);  // a flag (--oracle-tests) takes no value
  }
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    setenv("XDG_CONFIG_HOME", (f.root + "/xdg").c_str(), 1);
    int out = open((f.root + "/child-stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  // calc-add, calc-mul and the SWE-bench task finish quickly; calc-impossible waits on its reply.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (complete_lines(f.out) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(complete_lines(f.out) == 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the slow request is in flight
  auto sent = std::chrono::steady_clock::now();
  REQUIRE(kill(pid, SIGINT) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  INFO("child stderr:\n" << read_file(err_path));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(secs < 15);  // did not wait for the 30 s reply

  auto preds = read_jsonl(f.out);  // whole, valid lines only
  CHECK(ids_of(preds) == std::set<std::string>{"calc-add", "calc-mul", "acme__widgets-1"});
  bool seen = false;
  for (const auto& m : read_jsonl(meta_path_for(f.out))) {
    if (m["instance_id"].as_string() != "calc-impossible") continue;
    seen = true;
    CHECK(m["diffsmith"]["status"].as_string() == "interrupted");
    CHECK_FALSE(m["diffsmith"]["in_predictions"].as_bool());
  }
  CHECK(seen);

  // The interrupted task is not in --out, so a re-run does it (and only it).
  auto again = start_mock(BatchFixture::script());
  CHECK(f.run(f.flags(*again)) == 0);
  CHECK(again->requests().size() == 2);
  CHECK(ids_of(read_jsonl(f.out)).size() == 4);
}
