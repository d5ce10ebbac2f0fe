// SandboxRunner: `exec bwrap ARGS -- /bin/sh -c CMD` through the inner
// runner; the probe that decides at start whether bwrap works here, and
// which known failure it hit when it does not.
#include "exec/sandbox.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace ds::exec {
namespace {

// Inside the sandbox's private /tmp.
constexpr const char* kHome = "/tmp/home";

bool executable(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return executable(name) ? name : std::string();
  const char* path = std::getenv("PATH");
  std::string dirs = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    std::string dir = dirs.substr(start, colon - start);
    if (!dir.empty() && executable(dir + "/" + name)) return dir + "/" + name;
    start = colon + 1;
  }
  return {};
}

namespace {

bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

// The command line the inner runner's /bin/sh executes.
std::string wrapped_command(const std::string& bwrap, const std::vector<std::string>& args,
                            const std::string& command) {
  std::string line = "exec " + shell_quote(bwrap);
  for (const auto& a : args) line += " " + shell_quote(a);
  line += " -- /bin/sh -c " + shell_quote(command);
  return line;
}

Result<RunResult> run_true(const SandboxConfig& cfg, const std::string& bwrap, bool with_proc,
                           ProcessRunner& inner) {
  RunRequest req;
  req.command = wrapped_command(bwrap, bwrap_arguments(cfg, with_proc, ""), "true");
  req.cwd = cfg.work_tree;
  req.timeout = std::chrono::seconds(20);
  req.output_cap = 16 << 10;
  req.scrub = secret_env_patterns();
  return inner.run(req);
}

// What bwrap's complaint means and what the user can do about it.
std::string explain(const std::string& output, int exit_code) {
  std::string said = first_line(output);
  if (contains(output, "No permissions to creating new namespace") ||
      contains(output, "setting up uid map") || contains(output, "Creating new namespace failed") ||
      contains(output, "unshare") || contains(output, "user namespace"))
    return "bwrap cannot create a user namespace here (bwrap said: " + said +
           "). Allow unprivileged user namespaces (Debian: sysctl kernel.unprivileged_userns_clone=1; Ubuntu "
           "24.04+: sysctl kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap; "
           "in "
           "Docker: run the container with --security-opt seccomp=unconfined or --privileged).";
  if (contains(output, "loopback"))
    return "bwrap cannot set up the loopback device of a new network namespace (bwrap said: " + said +
           "); this happens in containers without CAP_NET_ADMIN. Give the container that capability, or pass "
           "--sandbox-network to let commands share the host's network.";
  if (contains(output, "Can't mount proc"))
    return "the kernel refuses to mount /proc in a new PID namespace, even with /proc hidden instead (bwrap "
           "said: " +
           said + ").";
  if (exit_code == 127 && output.empty()) return "bwrap could not be executed.";
  return "running `true` in the sandbox failed with exit code " + std::to_string(exit_code) +
         (said.empty() ? std::string() : " (bwrap said: " + said + ")") + ".";
}

}  // namespace

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::vector<std::string> bwrap_arguments(const SandboxConfig& cfg, bool with_proc, const std::string& cwd) {
  std::vector<std::string> a = {"--ro-bind", "/", "/", "--dev", "/dev"};
  // A fresh /proc shows only the sandbox's own processes: no reading
  // /proc/<our pid>/environ for the API key. When the kernel refuses it,
  // the host's /proc is hidden rather than shown.
  if (with_proc)
    a.insert(a.end(), {"--proc", "/proc"});
  else
    a.insert(a.end(), {"--tmpfs", "/proc"});
  a.insert(a.end(), {"--tmpfs", "/dev/shm", "--tmpfs", "/tmp", "--dir", kHome});
  // The work tree is bound after /tmp, so a tree under /tmp stays visible.
  a.insert(a.end(), {"--bind", cfg.work_tree, cfg.work_tree});
  // `.git` (a folder, or the file of a linked worktree) read-only: no hooks,
  // no config, no refs written by a command.
  std::string git = cfg.work_tree + "/.git";
  if (exists(git)) a.insert(a.end(), {"--ro-bind", git, git});
  a.insert(a.end(), {"--unshare-all"});
  if (cfg.network) a.push_back("--share-net");
  a.insert(a.end(), {"--die-with-parent", "--new-session"});
  a.insert(a.end(), {"--setenv", "HOME", kHome, "--setenv", "TMPDIR", "/tmp"});
  a.insert(a.end(), {"--chdir", cwd.empty() ? cfg.work_tree : cwd});
  return a;
}

SandboxProbe probe_sandbox(const SandboxConfig& cfg, ProcessRunner& inner) {
  SandboxProbe p;
  p.bwrap_path = find_program(cfg.bwrap.empty() ? "bwrap" : cfg.bwrap);
  if (p.bwrap_path.empty()) {
    p.problem = cfg.bwrap.empty()
                    ? "bubblewrap is not installed (no `bwrap` on PATH). Install it: apt-get install "
                      "bubblewrap (Fedora: dnf install bubblewrap)."
                    : "the sandbox program " + cfg.bwrap + " does not exist or is not executable.";
    return p;
  }
  for (bool with_proc : {true, false}) {
    auto r = run_true(cfg, p.bwrap_path, with_proc, inner);
    if (!r.ok()) {
      p.problem = "could not start bwrap: " + r.error().message;
      return p;
    }
    if (r->exit_code == 0) {
      p.ok = true;
      p.with_proc = with_proc;
      p.problem.clear();
      return p;
    }
    p.problem = r->timed_out ? "running `true` in the sandbox did not finish within 20 s."
                             : explain(r->output, r->exit_code);
    if (!contains(r->output, "Can't mount proc")) return p;
  }
  return p;
}

SandboxRunner::SandboxRunner(SandboxConfig cfg, SandboxProbe probe, ProcessRunner& inner)
    : cfg_(std::move(cfg)), probe_(std::move(probe)), inner_(inner) {}

Result<RunResult> SandboxRunner::run(const RunRequest& req) {
  if (!probe_.ok) return make_error("the sandbox is not available: " + probe_.problem);
  RunRequest outer = req;
  outer.command =
      wrapped_command(probe_.bwrap_path, bwrap_arguments(cfg_, probe_.with_proc, req.cwd), req.command);
  outer.cwd = cfg_.work_tree;
  return inner_.run(outer);
}

}  // namespace ds::exec
