// The bwrap sandbox against real escapes: writing outside the work tree,
// writing under .git/, reaching a socket on the host's loopback, leaving a
// process behind after the timeout or Ctrl-C, reading the API key from the
// environment or from another process's /proc/<pid>/environ. Each escape is
// also tried without the sandbox (or with the permission granted), so a test
// that passes only because the attempt was broken would fail.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "exec/sandbox.hpp"
#include "support/listener.hpp"
#include "support/run_fixture.hpp"

using namespace std::chrono_literals;
using namespace ds::test::e2e;
using ds::exec::RunRequest;
using ds::exec::RunResult;

namespace {

struct Sandbox {
  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  ds::exec::SandboxProbe probe;
  std::unique_ptr<ds::exec::SandboxRunner> runner;

  explicit Sandbox(const std::string& work_tree, bool network = false) {
    cfg.work_tree = work_tree;
    cfg.network = network;
    probe = ds::exec::probe_sandbox(cfg, system);
    INFO("the sandbox must work on this machine: " << probe.problem);
    REQUIRE(probe.ok);
    runner = std::make_unique<ds::exec::SandboxRunner>(cfg, probe, system);
  }

  RunResult run(const std::string& cmd, std::chrono::milliseconds timeout = 20s) {
    RunRequest req;
    req.command = cmd;
    req.cwd = cfg.work_tree;
    req.timeout = timeout;
    req.scrub = ds::exec::secret_env_patterns();
    auto r = runner->run(req);
    REQUIRE(r.ok());
    return std::move(r).value();
  }
};

RunResult run_unsandboxed(const std::string& cmd, const std::string& cwd) {
  RunRequest req;
  req.command = cmd;
  req.cwd = cwd;
  req.timeout = 20s;
  req.scrub = ds::exec::secret_env_patterns();
  auto r = ds::exec::SystemRunner().run(req);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// Pids of live processes whose command line contains `marker`.
std::vector<pid_t> processes_with(const std::string& marker) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(e.path().string() + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    std::string stat = read_file(e.path().string() + "/stat");
    auto close = stat.rfind(')');
    bool zombie = close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
    if (!zombie && cmdline.find(marker) != std::string::npos) out.push_back(std::stoi(name));
  }
  return out;
}

bool none_left(const std::string& marker) {
  for (int i = 0; i < 150; ++i) {
    if (processes_with(marker).empty()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

using ds::test::Listener;  // support/listener.hpp

std::string connect_cmd(int port) {
  return "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", " + std::to_string(port) +
         "), timeout=3); print(\"CONNECTED\")'";
}

}  // namespace

TEST_CASE("sandbox: a command's output and exit code come back - the work tree is writable") {
  TempRepo repo({{"a.txt", "hello\n"}});
  Sandbox sb(repo.root());
  RunResult r = sb.run("cat a.txt; echo made > new.txt; mkdir -p d && echo x > d/y; echo err >&2; exit 7");
  CHECK(r.exit_code == 7);
  CHECK(contains(r.output, "hello\n"));
  CHECK(contains(r.output, "err\n"));
  CHECK(repo.read("new.txt") == "made\n");
  CHECK(repo.read("d/y") == "x\n");
}

TEST_CASE("sandbox: nothing outside the work tree can be written - /tmp and HOME are private") {
  TempRepo repo({{"a.txt", "hello\n"}});
  TempDir outside;
  std::string marker = "/tmp/ds-sandbox-escape-" + std::to_string(::getpid());
  Sandbox sb(repo.root());
  RunResult r =
      sb.run("echo x > " + outside.path + "/f; echo rc1=$?; echo x > " + marker +
             "; echo rc2=$?; echo x > $HOME/h; echo rc3=$?; echo HOME=$HOME; touch /usr/ds-escape; echo "
             "rc4=$?");
  INFO(r.output);
  CHECK(contains(r.output, "rc1=2"));  // dash: a failed redirection is status 2
  CHECK(contains(r.output, "Read-only file system"));
  CHECK(contains(r.output, "rc2=0"));  // the private /tmp is writable...
  CHECK(contains(r.output, "rc3=0"));  // ... and so is HOME, inside it
  CHECK(contains(r.output, "HOME=/tmp/home"));
  CHECK_FALSE(contains(r.output, "rc4=0"));
  CHECK_FALSE(fs::exists(outside.path + "/f"));
  CHECK_FALSE(fs::exists(marker));  // ... but neither reaches the host
  CHECK_FALSE(fs::exists("/usr/ds-escape"));
  CHECK_FALSE(fs::exists("/tmp/home/h"));

  // The same writes without the sandbox do land (the attempt itself works).
  run_unsandboxed("echo x > " + outside.path + "/f", repo.root());
  CHECK(fs::exists(outside.path + "/f"));
}

TEST_CASE("sandbox: .git is read-only: no hooks, no config, no refs") {
  TempRepo repo({{"a.txt", "hello\n"}});
  std::string config = repo.read(".git/config");
  std::string head = repo.git({"rev-parse", "HEAD"});
  Sandbox sb(repo.root());
  RunResult r = sb.run(
      "echo '#!/bin/sh' > .git/hooks/pre-commit; echo rc1=$?; git config core.hooksPath /tmp/evil; echo "
      "rc2=$?; "
      "git commit -q --allow-empty -m evil; echo rc3=$?; rm -rf .git/refs; echo rc4=$?");
  INFO(r.output);
  CHECK(contains(r.output, "rc1=2"));
  CHECK_FALSE(contains(r.output, "rc2=0"));
  CHECK_FALSE(contains(r.output, "rc3=0"));
  CHECK_FALSE(contains(r.output, "rc4=0"));
  CHECK_FALSE(repo.exists(".git/hooks/pre-commit"));
  CHECK(repo.read(".git/config") == config);
  CHECK(repo.git({"rev-parse", "HEAD"}) == head);
  CHECK(fs::exists(repo.path(".git/refs/heads")));
  // Reading git data still works (git status, git log, git diff).
  CHECK(sb.run("git log --oneline | wc -l").output == "1\n");
}

TEST_CASE("sandbox: no network, not even the host's loopback, unless asked") {
  TempRepo repo({{"a.txt", "hello\n"}});
  Listener host;
  {
    Sandbox sb(repo.root());
    RunResult r = sb.run(connect_cmd(host.port));
    INFO(r.output);
    CHECK(r.exit_code != 0);
    CHECK_FALSE(contains(r.output, "CONNECTED"));
  }
  {
    Sandbox sb(repo.root(), /*network=*/true);  // --sandbox-network
    RunResult r = sb.run(connect_cmd(host.port));
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.output, "CONNECTED"));
  }
}

TEST_CASE("sandbox: the timeout kills the whole sandbox, background and setsid children included") {
  TempRepo repo({{"a.txt", "hello\n"}});
  Sandbox sb(repo.root());
  const std::string marker = "31337.25";
  RunResult r = sb.run(
      "(setsid sleep " + marker + " &); (nohup sleep " + marker + " >/dev/null 2>&1 &); sleep " + marker, 1s);
  CHECK(r.timed_out);
  CHECK(r.duration < 10s);
  CHECK(none_left(marker));
}

TEST_CASE("sandbox: Ctrl-C (kill_running_children) kills the whole sandbox") {
  TempRepo repo({{"a.txt", "hello\n"}});
  Sandbox sb(repo.root());
  const std::string marker = "31338.25";
  std::thread stopper([] {
    std::this_thread::sleep_for(500ms);
    ds::exec::kill_running_children();
  });
  RunResult r = sb.run("(setsid sleep " + marker + " &); sleep " + marker, 60s);
  stopper.join();
  CHECK(r.interrupted);
  CHECK(none_left(marker));
}

TEST_CASE("sandbox: the API key is neither in the environment nor readable from another process") {
  TempRepo repo({{"a.txt", "hello\n"}});
  const std::string secret = "sk-sandbox-escape-test-0123456789";
  // A stand-in for diffsmith: a process holding the key in its environment.
  pid_t holder = ::fork();
  REQUIRE(holder >= 0);
  if (holder == 0) {
    std::string kv = "OPENAI_API_KEY=" + secret;
    char* argv[] = {const_cast<char*>("/bin/sleep"), const_cast<char*>("30"), nullptr};
    char* envp[] = {kv.data(), nullptr};
    ::execve("/bin/sleep", argv, envp);
    ::_exit(127);
  }
  std::this_thread::sleep_for(100ms);
  ::setenv("OPENAI_API_KEY", secret.c_str(), 1);
  ::setenv("DS_SANDBOX_PLAIN", "visible", 1);
  const std::string cmd =
      "env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done 2>/dev/null; true";

  Sandbox sb(repo.root());
  RunResult inside = sb.run(cmd);
  RunResult outside = run_unsandboxed(cmd, repo.root());  // same scrub, no sandbox
  ::unsetenv("OPENAI_API_KEY");
  ::unsetenv("DS_SANDBOX_PLAIN");
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);

  CHECK(contains(inside.output, "DS_SANDBOX_PLAIN=visible"));
  CHECK_FALSE(contains(inside.output, secret));
  // Without the sandbox's own /proc, the holder's environment is readable.
  CHECK(contains(outside.output, secret));
}
