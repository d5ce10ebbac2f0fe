// `diffsmith ARGS` with a pseudo-terminal as its stderr (and, when asked, its
// stdout): what a person sees on their own terminal, colours on.
#pragma once

#include <poll.h>
#include <pty.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "support/run_fixture.hpp"

namespace ds::test::e2e {

struct TerminalRun {
  int exit_code = -1;
  std::string screen;  // everything written to the terminal
  std::string out;     // stdout, when it went to a file
};

// The terminal's text without colour codes and carriage returns.
inline std::string screen_text(const std::string& screen) {
  std::string out;
  for (size_t i = 0; i < screen.size(); ++i) {
    if (screen[i] == '\x1b' && i + 1 < screen.size() && screen[i + 1] == '[') {
      i += 2;
      while (i < screen.size() && !(screen[i] >= '@' && screen[i] <= '~')) ++i;
      continue;
    }
    if (screen[i] != '\r') out += screen[i];
  }
  return out;
}

inline TerminalRun run_on_pty(const std::string& cwd, const std::vector<std::string>& args,
                              bool stdout_on_terminal, int timeout_s = 60) {
  std::vector<std::string> argv = diffsmith_argv(args);
  TempDir scratch;
  std::vector<std::string> env;
  for (auto& kv : clean_environment(scratch.path, {{"TERM", "xterm"}}))
    if (kv.rfind("NO_COLOR=", 0) != 0) env.push_back(kv);
  std::vector<char*> args_c, env_c;
  for (auto& a : argv) args_c.push_back(a.data());
  args_c.push_back(nullptr);
  for (auto& e : env) env_c.push_back(e.data());
  env_c.push_back(nullptr);
  std::string out_path = scratch.path + "/stdout";
  struct winsize ws = {50, 250, 0, 0};  // wide: no line wraps
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &ws);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (!stdout_on_terminal) {
      int out = ::open(out_path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
      if (out < 0 || ::dup2(out, 1) < 0) ::_exit(126);
    }
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(args_c[0], args_c.data(), env_c.data());
    ::_exit(127);
  }
  TerminalRun r;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    struct pollfd p = {master, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n > 0) {
      r.screen.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EIO: every end of the terminal is closed
  }
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::close(master);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  return r;
}

}  // namespace ds::test::e2e
