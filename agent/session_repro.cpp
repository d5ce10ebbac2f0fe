// Reproduce, fix, verify (--reproduce; DESIGN.md, "The verdict"). The model
// writes a reproduction and names it with set_reproduction; it is run on a
// scratch copy of the base tree plus only its files, and must fail there.
// After each change it is run on the work tree; the run is solved when it
// passes there and no test that passed on the base fails. Its files stay
// out of the patch (session_end.cpp).
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "agent/session.hpp"
#include "base/atomic_write.hpp"
#include "exec/sandbox.hpp"
#include "exec/trim.hpp"
#include "git/checkpoint.hpp"
#include "git/export_overlay.hpp"
#include "git/export_tree.hpp"
#include "text/duration.hpp"
#include "worktree/lock.hpp"
#include "worktree/workdir_source.hpp"

namespace ds::agent {

namespace {

namespace fs = std::filesystem;

// A scratch folder removed when it goes out of scope.
struct Scratch {
  std::string path;
  ~Scratch() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

// A folder for the overlay's top layer, outside the work tree (overlayfs
// refuses layers inside one another); "" when none can be made.
std::string base_layer_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/ds-base-layer-XXXXXX";
  return ::mkdtemp(tmpl.data()) ? tmpl : std::string();
}

// The base tree at `mount_point` as an overlay: the work tree below, the
// base's versions of the files that differ in `layer` above it (the
// reproduction's files are written there next), and the work tree's paths
// the base lacks removed. Only in the sandbox, which mounts it in a
// namespace of the command's own: the command reads the user's files
// through the overlay and every write lands in a tmpfs, so nothing it does
// reaches the work tree through the scratch path (its writable bind of the
// work tree itself is the sandbox's as for any command). False when that is
// not possible here or not exact for this tree (base_layer says why).
bool base_on_overlay(git::Repository& repo, exec::ProcessRunner& runner, const std::string& base,
                     const std::vector<std::string>& files, const std::string& layer,
                     const std::string& mount_point, exec::OverlayTree& tree) {
  auto* sandbox = dynamic_cast<exec::SandboxRunner*>(&runner);
  if (!sandbox || !sandbox->overlay_available()) return false;
  auto plan = git::base_layer(repo, base, layer + "/tree", files);
  if (!plan.ok()) return false;
  tree.mount_point = mount_point;
  tree.lower = {layer + "/tree", repo.root()};
  tree.remove = std::move(plan->remove);
  return true;
}

std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

bool Session::is_repro_file(const std::string& path) const {
  return repro_ && std::find(repro_->files.begin(), repro_->files.end(), path) != repro_->files.end();
}

std::vector<std::string> Session::changed_code() {
  std::vector<std::string> out;
  auto changed = git::changed_between(repo_, out_.start_commit, out_.end_commit);
  for (const auto& p : edited_) {
    if (is_repro_file(p)) continue;
    if (changed.ok() && !std::binary_search(changed->begin(), changed->end(), p)) continue;
    out.push_back(p);
  }
  return out;
}

std::string Session::set_reproduction(const std::string& command, const std::vector<std::string>& files) {
  if (!cfg_.container_image.empty())
    return "Error: the reproduction cannot be checked on the base tree when tests run in a container "
           "(--container); this run cannot be verified.";
  worktree::WorkdirSource source(repo_);
  Repro r;
  r.command = command;
  for (std::string path : files) {
    while (path.starts_with("./")) path.erase(0, 2);
    auto content = source.read(path);
    if (!content.ok()) return "Error: reproduction file " + path + ": " + content.error().message;
    if (!content->has_value())
      return "Error: reproduction file " + path +
             " does not exist. Write it first with the edit tool, then call set_reproduction.";
    if (std::find(r.files.begin(), r.files.end(), path) == r.files.end()) r.files.push_back(path);
  }
  repro_ = std::move(r);
  return check_on_base(nullptr);
}

// The reproduction on a scratch copy of the base tree plus only its files.
// Returns what the model is told; `t` (when the check is a re-check after
// the files changed) gets it as feedback.
std::string Session::check_on_base(TurnResult* t) {
  Repro& r = *repro_;
  r.failed_on_base = r.passes_now = false;
  r.checked_at.clear();
  r.checked.clear();
  auto ds_dir = git::diffsmith_dir(repo_);
  if (!ds_dir.ok()) return "Error: no scratch folder for the base tree: " + ds_dir.error().message;
  // Under .git: not part of the work tree (no test run or snapshot sees it);
  // the sandbox binds it writable for the reproduction (run_reproduction).
  Scratch scratch{*ds_dir + "/scratch-" + cfg_.run_id};
  std::error_code ec;
  fs::remove_all(scratch.path, ec);
  fs::create_directories(scratch.path, ec);
  if (ec) return "Error: cannot create the scratch folder " + scratch.path + ": " + ec.message();
  // The reproduction's files as they are now, with their executable bit.
  worktree::WorkdirSource source(repo_);
  std::vector<std::pair<std::string, bool>> modes;
  for (const auto& path : r.files) {
    auto content = source.read(path);
    if (!content.ok() || !content->has_value()) return "Error: cannot read reproduction file " + path;
    struct stat st {};
    modes.emplace_back(path, ::stat((repo_.root() + "/" + path).c_str(), &st) == 0 && (st.st_mode & S_IXUSR));
    r.checked[path] = std::move(**content);
  }
  auto write_files = [&](const std::string& root) -> std::string {
    for (const auto& [path, exec] : modes) {
      std::string dest = root + "/" + path;
      fs::create_directories(fs::path(dest).parent_path(), ec);
      if (Status w = write_file_atomic(dest, r.checked[path], new_file_mode(exec)); !w.ok())
        return "Error: " + w.error().message;
    }
    return "";
  };
  // Sandboxed: the base tree as an overlay over the work tree, written only
  // where it differs (base_on_overlay); else the whole tree written out.
  std::optional<ReproRun> on_overlay;
  {
    Scratch layer{base_layer_dir()};
    exec::OverlayTree tree;
    if (!layer.path.empty() &&
        base_on_overlay(repo_, runner_, out_.start_commit, r.files, layer.path, scratch.path, tree)) {
      if (std::string failed = write_files(layer.path + "/tree"); !failed.empty()) return failed;
      on_overlay = run_reproduction(scratch.path, "base", &tree);
      if (on_overlay->overlay_failed) on_overlay.reset();
    }
  }
  if (!on_overlay) {
    if (Status st = git::export_tree(repo_, out_.start_commit, scratch.path); !st.ok())
      return "Error: " + st.error().message;
    if (std::string failed = write_files(scratch.path); !failed.empty()) return failed;
  }
  ReproRun run = on_overlay ? std::move(*on_overlay) : run_reproduction(scratch.path, "base");
  std::string tail = run.output.empty() ? "(no output)" : exec::trim_for_model(run.output, 600);
  std::string text;
  if (!run.ran) {
    text = "The reproduction could not be run on the base tree: " + run.error +
           ". Fix the command and call set_reproduction again.";
  } else if (run.passed) {
    text =
        "The reproduction PASSES on the base tree (the unchanged code plus " + listed(r.files) +
        "), so it reproduces nothing. Change it until it fails because of the bug, and call set_reproduction "
        "again. Its output on the base:\n" +
        tail;
  } else {
    r.failed_on_base = true;
    text = "The reproduction fails on the base tree (exit " + std::to_string(run.exit_code) +
           "), as it must. Now fix the code: the run is solved when it passes on your changed tree and no "
           "test that passed at the start fails. Its output on the base:\n" +
           tail;
  }
  if (t)
    t->feedback.push_back(
        "Your reproduction's files changed since set_reproduction, so it was checked "
        "on the base tree again. " +
        text);
  return text;
}

// After a change (or a new reproduction): the reproduction on the work tree.
void Session::check_reproduction(TurnResult& t) {
  if (!repro_ || interrupted()) return;
  // Files edited after their base check: check them on the base again.
  worktree::WorkdirSource source(repo_);
  for (const auto& [path, content] : repro_->checked) {
    auto now = source.read(path);
    if (now.ok() && now->has_value() && **now == content) continue;
    (void)check_on_base(&t);
    break;
  }
  if (!repro_->failed_on_base || repro_->checked_at == out_.end_commit) return;
  ReproRun run = run_reproduction(repo_.root(), "work");
  repro_->passes_now = run.passed;
  repro_->checked_at = out_.end_commit;
  if (!run.passed && run.ran && !edited_.empty())
    t.feedback.push_back("Your reproduction still fails on the work tree (exit " +
                         std::to_string(run.exit_code) + "):\n" + exec::trim_for_model(run.output, 600));
}

Session::ReproRun Session::run_reproduction(const std::string& cwd, const std::string& tree,
                                            const exec::OverlayTree* overlay) {
  ReproRun out;
  exec::RunRequest req = test_request(repro_->command, cwd);
  // The scratch tree lies under .git, read-only in the sandbox: a
  // reproduction may write there (caches, output files) as in the work tree.
  if (cwd != repo_.root()) req.writable.push_back(cwd);
  auto* sandbox = dynamic_cast<exec::SandboxRunner*>(&runner_);
  auto r = overlay && sandbox ? sandbox->run_on_overlay(req, *overlay) : runner_.run(req);
  if (overlay && (!sandbox || !r.ok())) {  // not set up, nothing ran: the caller writes the tree out
    out.overlay_failed = true;
    return out;
  }
  ev::Reproduction event;
  event.turn = out_.turns;
  event.command = repro_->command;
  event.files = repro_->files;
  event.tree = tree;
  if (!r.ok()) {
    out.error = r.error().message;
    event.error = out.error;
  } else if (r->interrupted) {
    out.error = "the run was interrupted";
    event.error = out.error;
  } else if (r->timed_out) {
    out.error = "it timed out after --test-timeout " + std::to_string(cfg_.test_timeout_s) + " s";
    event.error = out.error;
    out.output = r->output;
  } else if (r->exit_code == 126 || r->exit_code == 127) {
    out.error = "exit " + std::to_string(r->exit_code) + ", the command was not found or not executable";
    event.error = out.error;
    out.output = r->output;
  } else {
    out.ran = true;
    out.exit_code = r->exit_code;
    out.passed = r->exit_code == 0;
    out.output = std::move(r->output);
    event.exit_code = out.exit_code;
    event.passed = out.passed;
    event.duration_ms = static_cast<int64_t>(r->duration.count());
  }
  if (!out.ran && !out.output.empty()) out.error += ":\n" + exec::trim_for_model(out.output, 300);
  event.output = out.output;
  events_.event(event);
  return out;
}

}  // namespace ds::agent
