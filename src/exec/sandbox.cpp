// SandboxRunner: `exec bwrap ARGS -- /bin/sh -c CMD` through the inner
// runner; the probe that decides at start whether bwrap works here, and
// which known failure it hit when it does not.
#include "exec/sandbox.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "base/file_io.hpp"
#include "exec/program.hpp"

namespace ds::exec {
namespace {

// Inside the sandbox's private /tmp.
constexpr const char* kHome = "/tmp/home";

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// Variables that point at the user's real config, data, sockets or
// credentials files: unset inside (HOME is set to the private one).
constexpr const char* kUnset[] = {"XDG_CONFIG_HOME",
                                  "XDG_DATA_HOME",
                                  "XDG_CACHE_HOME",
                                  "XDG_STATE_HOME",
                                  "XDG_RUNTIME_DIR",
                                  "DIFFSMITH_CONFIG",
                                  "SSH_AUTH_SOCK",
                                  "GPG_AGENT_INFO",
                                  "GNUPGHOME",
                                  "DBUS_SESSION_BUS_ADDRESS",
                                  "KUBECONFIG",
                                  "AWS_CONFIG_FILE",
                                  "AWS_SHARED_CREDENTIALS_FILE",
                                  "DOCKER_CONFIG",
                                  "GIT_CONFIG_GLOBAL",
                                  "NETRC"};

// Root's uid and gid inside would make programs act as root (pip, npm,
// package managers); 1000 is an ordinary user's. Anyone else keeps theirs.
unsigned sandbox_uid() { return ::getuid() == 0 ? 1000 : ::getuid(); }
unsigned sandbox_gid() { return ::getgid() == 0 ? 1000 : ::getgid(); }

std::string small_file(const std::string& path) {
  auto text = read_whole_file(path, 4096);
  return text.ok() ? *text : std::string();
}

std::string real_path(const std::string& path) {
  char* r = ::realpath(path.c_str(), nullptr);
  if (!r) return {};
  std::string out = r;
  ::free(r);
  return out;
}

// `inner` is `outer` or below it.
bool under(const std::string& inner, const std::string& outer) {
  if (outer == "/") return true;
  return inner == outer || (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
                            inner[outer.size()] == '/');
}

// A linked worktree's `.git` file names its git folder ("gitdir: X"), whose
// `commondir` names the main repository's: both, when outside the work tree.
std::vector<std::string> linked_git_dirs(const std::string& git_file) {
  std::vector<std::string> out;
  struct stat st;
  if (::lstat(git_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return out;
  std::string text = small_file(git_file);
  if (text.rfind("gitdir: ", 0) != 0) return out;
  std::string dir = text.substr(8, text.find('\n') - 8);
  if (!dir.empty() && dir[0] != '/') dir = git_file.substr(0, git_file.rfind('/') + 1) + dir;
  dir = real_path(dir);
  if (dir.empty()) return out;
  std::string common = small_file(dir + "/commondir");
  common = common.substr(0, common.find('\n'));
  if (!common.empty()) {
    if (common[0] != '/') common = dir + "/" + common;
    common = real_path(common);
  }
  // Usually the git folder is <common>/worktrees/<name>: binding the common
  // one brings both back.
  if (!common.empty()) out.push_back(common);
  if (common.empty() || !under(dir, common)) out.push_back(dir);
  return out;
}

}  // namespace

std::vector<HiddenPath> hidden_paths(const std::string& work_tree) {
  std::vector<std::string> dirs;
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v && *v == '/' ? v : "";
  };
  for (const char* name : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                           "XDG_RUNTIME_DIR", "GNUPGHOME"})
    dirs.push_back(env(name));
  dirs.push_back("/root");
  {
    passwd pw{};
    passwd* found = nullptr;
    char buf[4096];
    if (::getpwuid_r(::getuid(), &pw, buf, sizeof buf, &found) == 0 && found && pw.pw_dir)
      dirs.push_back(pw.pw_dir);
  }
  dirs.push_back("/run");
  dirs.push_back("/var/run");  // usually a link to /run: then the same folder
  std::string root_tree = real_path(work_tree);
  if (root_tree.empty()) root_tree = work_tree;

  std::vector<std::string> found;
  for (const auto& d : dirs) {
    std::string r = d.empty() ? std::string() : real_path(d);
    struct stat st;
    if (r.empty() || r == "/" || ::stat(r.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    // A folder inside the work tree is part of what the model sees anyway,
    // and one that holds the work tree is hidden around it (the tree is
    // bound back afterwards).
    if (!under(r, root_tree)) found.push_back(r);
  }
  // Shorter paths first: a folder inside one already hidden is left out.
  std::sort(found.begin(), found.end(),
            [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
  std::vector<HiddenPath> out;
  auto hidden = [&](const std::string& p) {
    return std::any_of(out.begin(), out.end(),
                       [&](const HiddenPath& h) { return h.directory && under(p, h.path); });
  };
  for (const auto& r : found)
    if (!hidden(r)) out.push_back({r, true});
  // diffsmith's config file named by DIFFSMITH_CONFIG, and, when root
  // starts the sandbox (its uid still owns root's files), the password
  // hashes: an empty, unreadable file over each.
  std::vector<std::string> files = {env("DIFFSMITH_CONFIG")};
  if (::getuid() == 0)
    files.insert(files.end(), {"/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-"});
  for (const auto& f : files) {
    std::string r = f.empty() ? std::string() : real_path(f);
    struct stat st;
    if (r.empty() || ::stat(r.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || under(r, root_tree) || hidden(r))
      continue;
    out.push_back({r, false});
  }
  return out;
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

std::vector<std::string> bwrap_arguments(const SandboxConfig& cfg, bool with_proc, const std::string& cwd,
                                         const std::vector<std::string>& writable) {
  // Its own user namespace whatever uid starts it, as an unprivileged uid
  // with no capabilities at all: bwrap run by root would otherwise keep
  // every capability (umount .git, remount / read-write). The uid inside maps
  // to the caller's uid outside, so files it creates belong to the caller.
  // --disable-userns: no nested namespace that would regain capabilities.
  std::string id = std::to_string(sandbox_uid()), gid = std::to_string(sandbox_gid());
  std::vector<std::string> a = {
      "--unshare-user", "--uid", id,  "--gid", gid,   "--disable-userns", "--cap-drop", "ALL",
      "--ro-bind",      "/",     "/", "--dev", "/dev"};
  // A fresh /proc shows only the sandbox's own processes: no reading
  // /proc/<our pid>/environ for the API key. When the kernel refuses it,
  // the host's /proc is hidden rather than shown.
  if (with_proc)
    a.insert(a.end(), {"--proc", "/proc"});
  else
    a.insert(a.end(), {"--tmpfs", "/proc"});
  a.insert(a.end(), {"--tmpfs", "/dev/shm"});
  // The user's home, config and sockets hidden (hidden_paths says which).
  // /run holds the sockets of the system's daemons (dbus, docker,
  // systemd), which a root caller's uid could connect to; with the network
  // shared, the resolver's files there come back.
  for (const auto& h : hidden_paths(cfg.work_tree)) {
    if (h.directory)
      a.insert(a.end(), {"--tmpfs", h.path});
    else
      a.insert(a.end(), {"--ro-bind", "/dev/null", h.path});
  }
  // What the caller hides besides (the work tree itself never).
  std::string tree = real_path(cfg.work_tree);
  for (const auto& h : cfg.hide) {
    std::string r = real_path(h);
    struct stat st;
    if (r.empty() || r == "/" || ::stat(r.c_str(), &st) != 0 || under(r, tree.empty() ? cfg.work_tree : tree))
      continue;
    if (S_ISDIR(st.st_mode))
      a.insert(a.end(), {"--tmpfs", r});
    else
      a.insert(a.end(), {"--ro-bind", "/dev/null", r});
  }
  if (cfg.network) a.insert(a.end(), {"--ro-bind-try", "/run/systemd/resolve", "/run/systemd/resolve"});
  a.insert(a.end(), {"--tmpfs", "/tmp", "--dir", kHome});
  // The work tree is bound after /tmp and the hidden folders, so a tree
  // under /tmp or under $HOME stays visible and writable.
  a.insert(a.end(), {"--bind", cfg.work_tree, cfg.work_tree});
  for (const auto& r : cfg.readable)
    if (exists(r)) a.insert(a.end(), {"--ro-bind", r, r});
  // `.git` (a folder, or the file of a linked worktree) read-only: no hooks,
  // no config, no refs written by a command. A linked worktree's git
  // folders elsewhere (possibly under a hidden home) come back read-only.
  std::string git = cfg.work_tree + "/.git";
  if (exists(git)) a.insert(a.end(), {"--ro-bind", git, git});
  for (const auto& dir : linked_git_dirs(git)) a.insert(a.end(), {"--ro-bind", dir, dir});
  // Folders the command may write besides the work tree (a scratch tree
  // under the read-only `.git`): bound after it, so writable again.
  for (const auto& w : writable) a.insert(a.end(), {"--bind", w, w});
  a.insert(a.end(), {"--unshare-all"});
  if (cfg.network) a.push_back("--share-net");
  a.insert(a.end(), {"--die-with-parent", "--new-session"});
  // No path into the real home or config left in the environment.
  for (const char* name : kUnset) a.insert(a.end(), {"--unsetenv", name});
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

SandboxProbe SandboxRunner::probe() const {
  std::lock_guard<std::mutex> lock(mu_);
  return probe_;
}

Result<RunResult> SandboxRunner::run(const RunRequest& req) {
  SandboxProbe probe = this->probe();
  if (!probe.ok) return make_error("the sandbox is not available: " + probe.problem);
  Result<RunResult> r = run_with(req, probe);
  if (probe.cache_file.empty()) return r;
  return check_remembered(req, probe, std::move(r));
}

Result<RunResult> SandboxRunner::run_with(const RunRequest& req, const SandboxProbe& probe) {
  RunRequest outer = req;
  outer.command = wrapped_command(probe.bwrap_path,
                                  bwrap_arguments(cfg_, probe.with_proc, req.cwd, req.writable), req.command);
  outer.cwd = cfg_.work_tree;
  return inner_.run(outer);
}

// A remembered probe is confirmed by the first command bwrap sets up; when
// bwrap fails instead (exit 1, its complaint first), the entry goes and the
// probe runs as at start-up.
Result<RunResult> SandboxRunner::check_remembered(const RunRequest& req, const SandboxProbe& used,
                                                  Result<RunResult> r) {
  bool bwrap_failed = r.ok() && r->exit_code == 1 && r->output.rfind("bwrap: ", 0) == 0;
  std::lock_guard<std::mutex> lock(mu_);
  if (!bwrap_failed || probe_.cache_file.empty() || probe_.with_proc != used.with_proc) {
    if (!bwrap_failed) probe_.cache_file.clear();  // confirmed
    return r;
  }
  ::unlink(probe_.cache_file.c_str());
  probe_ = probe_sandbox(cfg_, inner_);
  if (!probe_.ok) return make_error("the sandbox is not available: " + probe_.problem);
  if (probe_.with_proc == used.with_proc) return r;  // it works now: the command's own failure
  return run_with(req, probe_);
}

}  // namespace ds::exec
