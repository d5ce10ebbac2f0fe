// SystemRunner against real subprocesses: exit codes, signals, timeouts that
// kill whole process groups, capped output, daemons, stdin, environment,
// and interruption (kill_running_children, also from a SIGINT handler).
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "exec/process.hpp"

using namespace std::chrono_literals;
using ds::exec::RunRequest;
using ds::exec::RunResult;
using ds::exec::SystemRunner;

namespace {

RunResult run(const std::string& cmd, std::chrono::milliseconds timeout = 20s) {
  RunRequest req;
  req.command = cmd;
  req.timeout = timeout;
  auto r = SystemRunner().run(req);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// False when the process is gone or a zombie (killed, waiting for its reaper).
bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return false;
  std::string content((std::istreambuf_iterator<char>(stat)), {});
  auto close = content.rfind(')');
  if (close == std::string::npos || close + 2 >= content.size()) return false;
  char state = content[close + 2];
  return state != 'Z' && state != 'X';
}

bool dies_soon(pid_t pid) {
  for (int i = 0; i < 100 && alive(pid); ++i) std::this_thread::sleep_for(20ms);
  return !alive(pid);
}

std::vector<pid_t> pids_in(const std::string& output) {
  std::vector<pid_t> pids;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) pids.push_back(std::stoi(line));
  return pids;
}

size_t peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6));
  return 0;
}

}  // namespace

TEST_CASE("exit codes and merged stdout/stderr are reported, the shell is reaped") {
  auto r = run("echo $$; echo out; echo err >&2; exit 3");
  CHECK(r.exit_code == 3);
  CHECK_FALSE(r.timed_out);
  CHECK(r.output.find("out\nerr\n") != std::string::npos);
  CHECK(r.output_bytes == r.output.size());
  CHECK_FALSE(r.truncated);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 1);
  CHECK_FALSE(std::filesystem::exists("/proc/" + std::to_string(pids[0])));  // reaped, no zombie
  CHECK(run("true").exit_code == 0);
}

TEST_CASE("death by signal is 128+N") {
  CHECK(run("kill -KILL $$").exit_code == 137);
  CHECK(run("kill -TERM $$").exit_code == 143);
}

TEST_CASE("timeout kills the command and its background children") {
  auto r = run("echo $$; sleep 100 & echo $!; sleep 100", 300ms);
  CHECK(r.timed_out);
  CHECK(r.exit_code == -1);
  CHECK(r.duration < 3s);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 2);
  for (pid_t p : pids) CHECK(dies_soon(p));
}

TEST_CASE("a command that ignores SIGTERM is killed with SIGKILL after the grace") {
  auto r = run("trap '' TERM; echo $$; sleep 100", 200ms);
  CHECK(r.timed_out);
  CHECK(r.duration >= 1000ms);  // 200 ms timeout + 1 s grace
  CHECK(r.duration < 5s);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 1);
  CHECK(dies_soon(pids[0]));
}

TEST_CASE("a gigabyte of output keeps memory bounded and head and tail") {
  size_t rss_before = peak_rss_kb();
  RunRequest req;
  req.command = "yes | head -c 1000000000";
  req.output_cap = 1 << 20;
  auto start = std::chrono::steady_clock::now();
  auto r = SystemRunner().run(req);
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  CHECK(r->output_bytes == 1000000000u);
  CHECK(r->truncated);
  CHECK(r->output.size() <= req.output_cap + 80);
  CHECK(r->output.substr(0, 4) == "y\ny\n");
  CHECK(r->output.substr(r->output.size() - 4) == "y\ny\n");
  CHECK(r->output.find("[... 998951424 bytes cut by the output cap ...]\n") != std::string::npos);
  CHECK(peak_rss_kb() - rss_before < 64 * 1024);
  WARN("1 GB through the runner took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                                       << " ms");
}

TEST_CASE("a daemon holding the output pipe does not block the run, and is killed") {
  auto r = run("sleep 100 & echo $!; echo started");
  CHECK(r.exit_code == 0);
  CHECK(r.duration < 2s);
  CHECK(r.output.find("started\n") != std::string::npos);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 1);
  CHECK(dies_soon(pids[0]));
}

TEST_CASE("a background child that closed its output is killed when the command exits") {
  auto r = run("sleep 100 >/dev/null 2>&1 & echo $!");
  CHECK(r.exit_code == 0);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 1);
  CHECK(dies_soon(pids[0]));
}

TEST_CASE("a process that left the group and holds the pipe only delays the run briefly, and is killed") {
  auto r = run("setsid sleep 100 & echo $!");
  CHECK(r.exit_code == 0);
  CHECK(r.duration < 2s);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 1);
  CHECK(dies_soon(pids[0]));
  ::kill(pids[0], SIGKILL);  // in case the check failed
}

TEST_CASE("a double-forked setsid daemon that closed its output is killed when the command exits") {
  // The classic daemon: fork, setsid, fork again, parent exits; the daemon
  // is re-parented (to the runner's supervisor, not to init) and holds nothing.
  auto r = run("setsid sh -c 'sleep 100 >/dev/null 2>&1 & echo $!' </dev/null; echo done");
  CHECK(r.exit_code == 0);
  auto pids = pids_in(r.output);
  REQUIRE(pids.size() == 1);
  CHECK(dies_soon(pids[0]));
  ::kill(pids[0], SIGKILL);
}

TEST_CASE("the scrub patterns cover keys, tokens, PATs, credentials and database URLs") {
  const auto& p = ds::exec::secret_env_patterns();
  ::setenv("DS_GITHUB_PAT", "p1", 1);
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", "c1", 1);
  ::setenv("DATABASE_URL", "postgres://u:pw@db/x", 1);
  ::setenv("DS_OTHER_TOKEN", "t1", 1);
  ::setenv("DS_PLAIN_VALUE", "plain", 1);
  RunRequest req;
  req.command = "env";
  req.scrub = p;
  auto r = SystemRunner().run(req);
  REQUIRE(r.ok());
  for (const char* v :
       {"DS_GITHUB_PAT", "GOOGLE_APPLICATION_CREDENTIALS", "DATABASE_URL", "DS_OTHER_TOKEN"}) {
    INFO(v);
    CHECK(r->output.find(std::string(v) + "=") == std::string::npos);
  }
  CHECK(r->output.find("DS_PLAIN_VALUE=plain") != std::string::npos);
  for (const char* v : {"DS_GITHUB_PAT", "GOOGLE_APPLICATION_CREDENTIALS", "DATABASE_URL", "DS_OTHER_TOKEN",
                        "DS_PLAIN_VALUE"})
    ::unsetenv(v);
}

TEST_CASE("stdin is /dev/null: cat returns at once, read sees EOF") {
  auto r = run("cat; read x; echo rc=$?");
  CHECK(r.exit_code == 0);
  CHECK(r.output == "rc=1\n");
  CHECK(r.duration < 2s);
}

TEST_CASE("environment: scrub patterns, keep list, extra variables") {
  ::setenv("DS_TEST_API_KEY", "k1", 1);
  ::setenv("DS_TEST_TOKEN", "t1", 1);
  ::setenv("MY_SECRET_THING", "s1", 1);
  ::setenv("DS_KEEP_TOKEN", "kept", 1);
  ::setenv("DS_PLAIN", "plain", 1);
  RunRequest req;
  req.command = "env";
  req.scrub = {"*_API_KEY", "*_TOKEN", "*SECRET*"};
  req.keep = {"DS_KEEP_TOKEN"};
  req.set = {{"DS_EXTRA", "x y"}, {"DS_PLAIN", "overridden"}};
  auto r = SystemRunner().run(req);
  REQUIRE(r.ok());
  CHECK(r->output.find("DS_TEST_API_KEY") == std::string::npos);
  CHECK(r->output.find("DS_TEST_TOKEN") == std::string::npos);
  CHECK(r->output.find("MY_SECRET_THING") == std::string::npos);
  CHECK(r->output.find("DS_KEEP_TOKEN=kept\n") != std::string::npos);
  CHECK(r->output.find("DS_EXTRA=x y\n") != std::string::npos);
  CHECK(r->output.find("DS_PLAIN=overridden\n") != std::string::npos);
  CHECK(r->output.find("DS_PLAIN=plain") == std::string::npos);
  CHECK(r->output.find("PATH=") != std::string::npos);
  for (const char* v : {"DS_TEST_API_KEY", "DS_TEST_TOKEN", "MY_SECRET_THING", "DS_KEEP_TOKEN", "DS_PLAIN"})
    ::unsetenv(v);
}

TEST_CASE("cwd is honoured, a missing cwd is an error that names it") {
  auto dir = std::filesystem::canonical(std::filesystem::temp_directory_path());
  RunRequest req;
  req.command = "pwd";
  req.cwd = dir.string();
  auto r = SystemRunner().run(req);
  REQUIRE(r.ok());
  CHECK(r->output == dir.string() + "\n");
  req.cwd = "/nonexistent/diffsmith-dir";
  auto bad = SystemRunner().run(req);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("chdir") != std::string::npos);
  CHECK(bad.error().message.find("/nonexistent/diffsmith-dir") != std::string::npos);
}

TEST_CASE("kill_running_children stops a running command, later runs are unaffected") {
  RunResult result;
  std::thread worker([&] { result = run("echo $$; sleep 100"); });
  std::this_thread::sleep_for(300ms);
  ds::exec::kill_running_children();
  worker.join();
  CHECK(result.interrupted);
  CHECK_FALSE(result.timed_out);
  CHECK(result.exit_code == -1);
  CHECK(result.duration < 3s);
  auto pids = pids_in(result.output);
  REQUIRE(pids.size() == 1);
  CHECK(dies_soon(pids[0]));
  auto after = run("exit 5");
  CHECK_FALSE(after.interrupted);
  CHECK(after.exit_code == 5);
}

namespace {
extern "C" void on_sigint(int) { ds::exec::kill_running_children(); }
}  // namespace

TEST_CASE("a SIGINT handler calling kill_running_children stops the command") {
  struct sigaction sa {
  }, old{};
  sa.sa_handler = on_sigint;
  ::sigaction(SIGINT, &sa, &old);
  std::thread interrupter([] {
    std::this_thread::sleep_for(300ms);
    ::kill(::getpid(), SIGINT);
  });
  auto r = run("sleep 100 & sleep 100");
  interrupter.join();
  ::sigaction(SIGINT, &old, nullptr);
  CHECK(r.interrupted);
  CHECK(r.duration < 3s);
}
