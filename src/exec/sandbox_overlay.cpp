// SandboxRunner::run_on_overlay: `unshare` makes a user and mount namespace
// (we are root in it, over our own files only), a tmpfs is mounted at the
// mount point and the overlay over it with its upper and work folders in
// that tmpfs, the paths to remove are deleted in the overlay (whiteouts in
// the tmpfs), and bwrap is started from there as for any command: it copies
// the namespace's mounts, so the command sees the overlay where the mount
// point is. Nothing is mounted outside the namespace; when the command ends
// the namespace, the tmpfs and every write in it are gone. bwrap 0.8 has no
// --overlay-src, hence the namespace of our own. The removals run as the
// namespace's root, i.e. with the caller's rights (root's, for root): they
// only make whiteouts in the tmpfs, and git::base_layer's paths come from
// git's walk of the work tree, which does not follow links, so none leads
// out through one (unless the tree changes between that walk and the mount).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "exec/program.hpp"
#include "exec/sandbox.hpp"

namespace ds::exec {

namespace {

namespace fs = std::filesystem;

// A temporary folder of ours, removed with what it holds.
struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/ds-overlay-XXXXXX";
    if (::mkdtemp(tmpl.data())) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

// overlayfs separates layers with ':' and options with ','.
bool mountable(const std::string& path) {
  return !path.empty() && path.find_first_of(":,\\\n") == std::string::npos;
}

std::string setup_script(const OverlayTree& t, const std::string& remove_list, const std::string& ready,
                         const std::string& bwrap_line) {
  std::string mp = shell_quote(t.mount_point);
  std::string lower;
  for (const auto& l : t.lower) lower += (lower.empty() ? "" : ":") + l;
  std::string opts = "lowerdir=" + lower + ",upperdir=" + t.mount_point + "/.upper,workdir=" + t.mount_point +
                     "/.work,userxattr";
  return "set -e; mount -t tmpfs -o mode=0755 diffsmith-scratch " + mp + "; mkdir " +
         shell_quote(t.mount_point + "/.upper") + " " + shell_quote(t.mount_point + "/.work") +
         "; mount -t overlay diffsmith-tree -o " + shell_quote(opts) + " " + mp + "; cd " + mp + "; " +
         (remove_list.empty() ? "rm -rf -- \"$@\"" : "xargs -0 -r rm -rf -- < " + shell_quote(remove_list)) +
         "; : > " + shell_quote(ready) + "; " + bwrap_line;
}

}  // namespace

Result<RunResult> SandboxRunner::run_on_overlay(const RunRequest& req, const OverlayTree& tree) {
  SandboxProbe probe = this->probe();
  if (!probe.ok) return make_error("the sandbox is not available: " + probe.problem);
  std::string unshare = find_program("unshare");
  if (unshare.empty()) return make_error("no `unshare` on PATH (util-linux)");
  if (!mountable(tree.mount_point) || tree.lower.empty())
    return make_error("the overlay's folders cannot be named in mount options");
  for (const auto& l : tree.lower)
    if (!mountable(l)) return make_error("the overlay's folders cannot be named in mount options");
  TempDir tmp;
  if (tmp.path.empty()) return make_error("cannot create a temporary folder for the overlay");
  // The paths to remove as the script's arguments (one exec fewer), or in a
  // file for xargs when they are many (the whole line is one argument of
  // the inner runner's sh -c, at most 128 KiB).
  std::string remove_list, ready = tmp.path + "/ready", args;
  for (const auto& r : tree.remove) args += " " + shell_quote(r);
  if (args.size() > (32u << 10)) {
    args.clear();
    remove_list = tmp.path + "/remove";
    std::ofstream out(remove_list, std::ios::binary);
    for (const auto& r : tree.remove) out << r << '\0';
    if (!out.flush()) return make_error("cannot write " + remove_list);
  }
  std::string bwrap_line = "exec " + shell_quote(probe.bwrap_path);
  for (const auto& a : bwrap_arguments(cfg_, probe.with_proc, req.cwd, req.writable))
    bwrap_line += " " + shell_quote(a);
  bwrap_line += " -- /bin/sh -c " + shell_quote(req.command);
  RunRequest outer = req;
  outer.command = "exec " + shell_quote(unshare) + " --user --map-root-user --mount /bin/sh -c " +
                  shell_quote(setup_script(tree, remove_list, ready, bwrap_line)) + " diffsmith-overlay" +
                  args;
  outer.cwd = cfg_.work_tree;
  auto r = inner_.run(outer);
  if (!r.ok()) return r;
  if (!fs::exists(ready) && !r->interrupted && !r->timed_out) {
    std::string said = r->output.substr(0, r->output.find('\n'));
    return make_error("the overlay could not be set up (exit " + std::to_string(r->exit_code) +
                      (said.empty() ? std::string() : ": " + said) + ")");
  }
  return r;
}

bool SandboxRunner::overlay_available() {
  if (int known = overlay_.load(); known >= 0) return known == 1;
  if (!probe().ok) return false;  // not remembered: the sandbox may be probed again
  TempDir tmp;
  if (tmp.path.empty()) return false;
  overlay_ = 0;
  std::error_code ec;
  fs::create_directories(tmp.path + "/lower", ec);
  fs::create_directories(tmp.path + "/tree", ec);
  std::ofstream(tmp.path + "/lower/probe") << "lower\n";
  RunRequest req;
  req.command = "test -f probe && ! test -e gone && echo w > probe";
  req.cwd = tmp.path + "/tree";
  req.writable = {req.cwd};
  req.timeout = std::chrono::seconds(20);
  req.output_cap = 16 << 10;
  req.scrub = secret_env_patterns();
  std::ofstream(tmp.path + "/lower/gone") << "removed in the overlay\n";
  auto r = run_on_overlay(req, {tmp.path + "/tree", {tmp.path + "/lower"}, {"gone"}});
  // Written in the overlay only: the lower file keeps its content.
  std::ifstream in(tmp.path + "/lower/probe");
  std::string line;
  std::getline(in, line);
  overlay_ = r.ok() && r->exit_code == 0 && line == "lower" && fs::exists(tmp.path + "/lower/gone") ? 1 : 0;
  return overlay_ == 1;
}

}  // namespace ds::exec
