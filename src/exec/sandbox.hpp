// The bubblewrap sandbox for commands the model runs (Codex does the same on
// Linux): its own user namespace with no capabilities (also when root starts
// it), the whole file system read-only, the user's home, config and /run
// hidden, the work tree writable but its `.git` read-only, a private /tmp and
// HOME, no network unless asked, its own PID namespace that dies with us, a
// new session (no terminal to inject into). SandboxRunner wraps another ProcessRunner (the SystemRunner),
// which keeps doing the environment scrubbing, output capping and killing: killing bwrap kills the whole
// sandbox (--die-with-parent ends its PID 1, and the kernel then kills everything in the namespace).
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "exec/process.hpp"

namespace ds::exec {

struct SandboxConfig {
  std::string work_tree;  // absolute path; writable inside the sandbox except its `.git`
  bool network = false;   // share the host's network (default: none, not even the host's loopback)
  std::string bwrap;      // bwrap's path; "" looks up `bwrap` on PATH
  // More to cover up, besides hidden_paths(): a folder gets an empty tmpfs
  // (the work tree is bound back when inside it), a file an empty one
  // (batch: the tasks file, the predictions, other tasks' checkouts).
  std::vector<std::string> hide;
  // Shown read-only again after everything is hidden (also under /tmp),
  // e.g. a file the test command reads; existing paths only.
  std::vector<std::string> readable;
};

// What the start-up probe (running `true` once in the sandbox) found.
struct SandboxProbe {
  bool ok = false;
  std::string bwrap_path;  // resolved path of bwrap
  bool with_proc = true;   // a fresh /proc; false when the kernel refused it (host /proc hidden by a tmpfs)
  std::string problem;     // when !ok: what failed and how to fix it, one paragraph
  // Remembered from an earlier run (sandbox_probe_cache.hpp), not probed:
  // the entry the first command forgets if bwrap then fails. "" when probed.
  std::string cache_file;
};

// Runs `true` in the sandbox through `inner`; when mounting /proc is refused
// (as in some containers), tries again with /proc hidden instead. Never
// throws and never runs anything outside the sandbox.
SandboxProbe probe_sandbox(const SandboxConfig& cfg, ProcessRunner& inner);

// What the sandbox covers up: a folder gets an empty tmpfs, a file an
// empty unreadable one.
struct HiddenPath {
  std::string path;
  bool directory = true;
};

// Read from the environment and /etc/passwd at each call: the real $HOME,
// the XDG config/data/cache/state/runtime folders, GNUPGHOME, /root, the
// home /etc/passwd gives our uid, /run (daemons' sockets); the file
// DIFFSMITH_CONFIG names; as root, /etc/shadow and /etc/gshadow. Folders
// inside `work_tree` are left alone (the model sees the tree anyway);
// one holding it is hidden and the tree bound back after it.
std::vector<HiddenPath> hidden_paths(const std::string& work_tree);

// bwrap's arguments (without the bwrap path and without the command) for a
// command run in `cwd` (empty: the work tree). `writable`: folders bound
// writable as well (RunRequest::writable), e.g. a scratch tree under `.git`.
std::vector<std::string> bwrap_arguments(const SandboxConfig& cfg, bool with_proc, const std::string& cwd,
                                         const std::vector<std::string>& writable = {});

// A tree the kernel assembles for one sandboxed command (the reproduction's
// base tree; sandbox_overlay.cpp): the `lower` folders stacked (first on
// top), mounted at `mount_point` (an existing empty folder) over a private
// tmpfs that takes every write, in a mount namespace of the command's own,
// and `remove` (paths relative to the mount point) deleted in the overlay
// before the command starts. The lower folders are only read.
struct OverlayTree {
  std::string mount_point;
  std::vector<std::string> lower;
  std::vector<std::string> remove;
};

// Runs every request's command in the sandbox. Requires a probe that is ok.
// With a remembered probe, the first command whose bwrap fails to set up
// forgets it and probes: an error with the probe's explanation when the
// sandbox does not work, else the command's result (run again when the
// fresh probe needs /proc hidden instead).
class SandboxRunner final : public ProcessRunner {
 public:
  SandboxRunner(SandboxConfig cfg, SandboxProbe probe, ProcessRunner& inner);
  Result<RunResult> run(const RunRequest& req) override;
  // Whether run_on_overlay works here: `unshare` installed, overlayfs
  // mountable in a user namespace (Linux 5.11+), bwrap nested in it. Probed
  // once, with `true` on a tiny overlay.
  bool overlay_available();
  // `req` run in the sandbox with `tree` mounted first. An error (and
  // nothing run) when the overlay could not be set up: the caller falls back
  // to a tree written out.
  Result<RunResult> run_on_overlay(const RunRequest& req, const OverlayTree& tree);
  const SandboxConfig& config() const { return cfg_; }
  SandboxProbe probe() const;

 private:
  Result<RunResult> run_with(const RunRequest& req, const SandboxProbe& probe);
  Result<RunResult> check_remembered(const RunRequest& req, const SandboxProbe& used, Result<RunResult> r);

  SandboxConfig cfg_;
  mutable std::mutex mu_;  // guards probe_ (commands may run from several threads)
  SandboxProbe probe_;
  ProcessRunner& inner_;
  // overlay_available: -1 not probed yet, else 0 or 1 (two threads may both
  // probe at first; they find the same).
  std::atomic<int> overlay_{-1};
};

}  // namespace ds::exec
