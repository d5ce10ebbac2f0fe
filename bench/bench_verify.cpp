// What --reproduce's base check costs: the start tree written out to a
// scratch folder (git::export_tree, as set_reproduction does), the
// reproduction file copied in, one `python3 repro.py` run there, and the
// folder removed, on a generated repository of N files (~1 KB each, 50 per
// folder), plus the same reproduction in the bwrap sandbox as runs use it by
// default (the scratch folder bound writable), and the process CPU time of the
// exports. Then the same check as runs make it when the sandbox can mount an
// overlay (git::base_layer + SandboxRunner::run_on_overlay: only the files
// that differ from the base written), after the "model" changed 5 files,
// added one and deleted one; and an attempt's scratch work tree
// (git::reset_scratch_worktree, --attempts): first made (cold), and reused
// (reset after an attempt changed a few files). The repository is committed with
// `git fast-import` (one process, no command line per file) and its index
// filled by `git reset`. Usage: bench_verify [files] [runs] (default 2000
// files, 20 runs)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "exec/process.hpp"
#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "git/checkpoint.hpp"
#include "git/export_overlay.hpp"
#include "git/export_tree.hpp"
#include "git/repository.hpp"
#include "git/scratch.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double cpu_ms() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

void report(const char* name, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::printf("%-48s median %8.2f ms   p90 %8.2f ms   (n=%zu)\n", name, v[v.size() / 2], v[v.size() * 9 / 10],
              v.size());
}

}  // namespace

int main(int argc, char** argv) {
  int files = argc > 1 ? std::atoi(argv[1]) : 2000;
  int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  char tmpl[] = "/tmp/ds-bench-verify-XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  std::string dir = tmpl;
  std::string body(900, 'x');
  // The files on disk, and the same bytes streamed to `git fast-import`.
  std::string init = "cd " + ds::exec::shell_quote(dir) + " && git init -q && git fast-import --quiet";
  FILE* fi = ::popen(init.c_str(), "w");
  if (!fi) return 1;
  std::fprintf(fi, "commit refs/heads/main\ncommitter b <b@b> 0 +0000\ndata 4\ninit\n");
  auto add = [&](const std::string& rel, const std::string& content) {
    fs::create_directories(fs::path(dir + "/" + rel).parent_path());
    std::ofstream(dir + "/" + rel) << content;
    std::fprintf(fi, "M 100644 inline %s\ndata %zu\n", rel.c_str(), content.size());
    std::fwrite(content.data(), 1, content.size(), fi);
    std::fputc('\n', fi);
  };
  for (int i = 0; i < files; ++i)
    add("pkg/d" + std::to_string(i / 50) + "/m" + std::to_string(i) + ".py",
        "def f" + std::to_string(i) + "():\n    return '" + body + "'\n");
  add("calc.py", "def add(a, b):\n    return a - b\n");
  if (::pclose(fi) != 0) return 1;
  std::string index =
      "cd " + ds::exec::shell_quote(dir) + " && git symbolic-ref HEAD refs/heads/main && git reset -q";
  if (std::system(index.c_str()) != 0) return 1;
  auto repo = ds::git::Repository::open(dir);
  if (!repo.ok()) return 1;
  auto base = ds::git::checkpoint(*repo, "refs/diffsmith/bench", "bench");
  if (!base.ok()) return 1;
  std::string repro = "from calc import add\nassert add(2, 3) == 5\n";

  ds::exec::SystemRunner runner;
  ds::exec::SandboxConfig sandbox_cfg;
  sandbox_cfg.work_tree = dir;
  ds::exec::SandboxProbe probe = ds::exec::probe_sandbox(sandbox_cfg, runner);
  ds::exec::SandboxRunner sandbox(sandbox_cfg, probe, runner);
  std::vector<double> exported, export_cpu, removed, whole, command, sandboxed;
  for (int i = 0; i < runs; ++i) {
    std::string scratch = repo->git_dir() + "/diffsmith/scratch-bench";
    auto t0 = Clock::now();
    double c0 = cpu_ms();
    fs::create_directories(scratch);
    if (auto st = ds::git::export_tree(*repo, *base, scratch); !st.ok()) {
      std::fprintf(stderr, "bench_verify: %s\n", st.error().message.c_str());
      return 1;
    }
    exported.push_back(ms_since(t0));
    export_cpu.push_back(cpu_ms() - c0);
    std::ofstream(scratch + "/repro.py") << repro;
    ds::exec::RunRequest req;
    req.command = "python3 repro.py";
    req.cwd = scratch;
    auto t1 = Clock::now();
    auto r = runner.run(req);
    command.push_back(ms_since(t1));
    if (!r.ok() || r->exit_code == 0) {
      std::fprintf(stderr, "bench_verify: the reproduction should fail on the base\n");
      return 1;
    }
    if (probe.ok) {
      req.writable = {scratch};
      auto t3 = Clock::now();
      auto sr = sandbox.run(req);
      sandboxed.push_back(ms_since(t3));
      if (!sr.ok() || sr->exit_code != 1) {
        std::fprintf(stderr, "bench_verify: the sandboxed reproduction should fail with exit 1\n");
        return 1;
      }
    }
    auto t2 = Clock::now();
    fs::remove_all(scratch);
    removed.push_back(ms_since(t2));
    whole.push_back(ms_since(t0));
  }
  // What the model did: calc.py fixed, 4 more files changed, one added,
  // one deleted. The base check must still fail (the base's calc.py).
  std::ofstream(dir + "/calc.py") << "def add(a, b):\n    return a + b\n";
  for (int i = 1; i < 5 && i < files; ++i)
    std::ofstream(dir + "/pkg/d0/m" + std::to_string(i) + ".py", std::ios::app) << "# changed\n";
  std::ofstream(dir + "/pkg/added.py") << "x = 1\n";
  if (files > 0) fs::remove(dir + "/pkg/d0/m0.py");
  std::vector<double> layered, overlay_run, overlay_whole, overlay_true, sandbox_true, attempt, attempt_rm;
  size_t layer_files = 0, layer_removed = 0;
  bool overlay = probe.ok && sandbox.overlay_available();
  for (int i = 0; overlay && i < runs; ++i) {
    std::string scratch = repo->git_dir() + "/diffsmith/scratch-bench";
    std::string layer = dir + ".layer";
    auto t0 = Clock::now();
    fs::create_directories(scratch);
    auto plan = ds::git::base_layer(*repo, *base, layer, {"repro.py"});
    if (!plan.ok()) {
      std::fprintf(stderr, "bench_verify: %s\n", plan.error().message.c_str());
      return 1;
    }
    std::ofstream(layer + "/repro.py") << repro;
    layered.push_back(ms_since(t0));
    layer_files = plan->written + 1;
    layer_removed = plan->remove.size();
    ds::exec::RunRequest req;
    req.command = "python3 repro.py";
    req.cwd = scratch;
    req.writable = {scratch};
    auto t1 = Clock::now();
    auto r = sandbox.run_on_overlay(req, {scratch, {layer, dir}, plan->remove});
    overlay_run.push_back(ms_since(t1));
    if (!r.ok() || r->exit_code != 1) {
      std::fprintf(stderr, "bench_verify: the reproduction on the overlay should fail with exit 1: %s\n",
                   r.ok() ? r->output.c_str() : r.error().message.c_str());
      return 1;
    }
    overlay_whole.push_back(ms_since(t0));
    // The overlay's own cost: `true` on it against `true` in the sandbox.
    req.command = "true";
    auto t2 = Clock::now();
    auto ot = sandbox.run_on_overlay(req, {scratch, {layer, dir}, plan->remove});
    overlay_true.push_back(ms_since(t2));
    auto t3 = Clock::now();
    auto st = sandbox.run(req);
    sandbox_true.push_back(ms_since(t3));
    if (!ot.ok() || ot->exit_code != 0 || !st.ok() || st->exit_code != 0) return 1;
    fs::remove_all(layer);
    fs::remove_all(scratch);
  }
  // An attempt's scratch tree: made cold (no slot yet, right after the last
  // one was removed, as a first --attempts run sees it), then an "attempt"
  // edits 5 files, adds a file and a folder, deletes one and commits in it,
  // and the slot is reset for the next attempt (as the next attempt, a
  // cross-check or the next run gets it).
  std::vector<double> attempt_reset, attempt_purge;
  size_t reset_written = 0, reset_removed = 0;
  const std::string tree = dir + ".attempt";
  for (int i = 0; i < runs; ++i) {
    fs::remove_all(tree);
    fs::remove(ds::git::scratch_saved_index(tree));
    auto t0 = Clock::now();
    auto scratch = ds::git::reset_scratch_worktree(*repo, *base, tree);
    if (!scratch.ok()) {
      std::fprintf(stderr, "bench_verify: %s\n", scratch.error().message.c_str());
      return 1;
    }
    attempt.push_back(ms_since(t0));
    for (int k = 0; k < 5 && k < files; ++k)
      std::ofstream(tree + "/pkg/d" + std::to_string(k * 7 / 50) + "/m" + std::to_string(k * 7) + ".py",
                    std::ios::app)
          << "# edited\n";
    std::ofstream(tree + "/new.py") << "y = 2\n";
    fs::create_directories(tree + "/__pycache__");
    std::ofstream(tree + "/__pycache__/calc.pyc") << "junk";
    if (files > 1) fs::remove(tree + "/pkg/d0/m1.py");
    std::string commit = "cd " + ds::exec::shell_quote(tree) + " && git add -A && git -c user.name=b -c " +
                         "user.email=b@b commit -qm edit";
    if (std::system(commit.c_str()) != 0) return 1;
    ds::git::ScratchResetStats stats;
    auto t1 = Clock::now();
    auto again = ds::git::reset_scratch_worktree(*repo, *base, tree, stats);
    if (!again.ok()) {
      std::fprintf(stderr, "bench_verify: %s\n", again.error().message.c_str());
      return 1;
    }
    attempt_reset.push_back(ms_since(t1));
    auto t3 = Clock::now();
    ds::git::purge_scratch_trash(tree);  // in a run: in the background while the attempt runs
    attempt_purge.push_back(ms_since(t3));
    reset_written = stats.rewritten, reset_removed = stats.removed;
  }
  auto t2 = Clock::now();
  fs::remove_all(tree);
  fs::remove(ds::git::scratch_saved_index(tree));
  attempt_rm.push_back(ms_since(t2));
  ds::git::purge_scratch_trash(tree);

  std::printf("%d files, %d runs\n", files + 1, runs);
  report("export the base tree (git::export_tree)", exported);
  report("  its CPU time (all threads)", export_cpu);
  report("`python3 repro.py` in it (SystemRunner)", command);
  if (!sandboxed.empty()) report("`python3 repro.py` in it, sandboxed", sandboxed);
  report("remove the scratch folder", removed);
  report("the whole base check (both runs)", whole);
  if (overlay) {
    std::printf("overlay: %zu files in the layer, %zu paths removed over the work tree\n", layer_files,
                layer_removed);
    report("base_layer (index/work-tree diff, layer written)", layered);
    report("`python3 repro.py` on the overlay, sandboxed", overlay_run);
    report("the whole base check on the overlay", overlay_whole);
    report("`true` on the overlay, sandboxed", overlay_true);
    report("`true` sandboxed (no overlay)", sandbox_true);
  } else {
    std::printf("overlay: not available here (sandbox or overlayfs in a user namespace)\n");
  }
  report("an attempt's scratch tree, first (cold)", attempt);
  report("an attempt's scratch tree, reused (reset)", attempt_reset);
  std::printf(
      "  the reset wrote %zu files and moved %zu entries (and the objects and refs the attempt made) to the "
      "trash\n",
      reset_written, reset_removed);
  report("  the trash purged (in the background in a run)", attempt_purge);
  report("  removing it", attempt_rm);
  fs::remove_all(dir);
  return 0;
}
