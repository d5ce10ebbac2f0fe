// What one sandboxed command costs: `true` run N times through the plain
// SystemRunner and through the bwrap SandboxRunner (in a fresh git work tree),
// plus the whole cost of one run_command call in the session's terms: the
// sandboxed command plus the two work-tree snapshots that find the files it
// changed (in a tree of 1,000 tracked files). Usage: bench_sandbox [runs] (default 50)
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

#include "exec/program.hpp"
#include "exec/sandbox.hpp"
#include "git/repository.hpp"
#include "git/worktree_changes.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void report(const char* name, std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  std::printf("%-44s median %7.2f ms   mean %7.2f ms   p90 %7.2f ms   (n=%zu)\n", name, v[v.size() / 2],
              sum / static_cast<double>(v.size()), v[v.size() * 9 / 10], v.size());
}

std::vector<double> time_runs(ds::exec::ProcessRunner& runner, const std::string& cwd, int runs) {
  std::vector<double> out;
  for (int i = 0; i < runs; ++i) {
    ds::exec::RunRequest req;
    req.command = "true";
    req.cwd = cwd;
    req.scrub = ds::exec::secret_env_patterns();
    auto t = Clock::now();
    auto r = runner.run(req);
    double ms = ms_since(t);
    if (!r.ok() || r->exit_code != 0) {
      std::fprintf(stderr, "bench_sandbox: `true` failed: %s\n",
                   r.ok() ? r->output.c_str() : r.error().message.c_str());
      std::exit(1);
    }
    out.push_back(ms);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 50;
  char tmpl[] = "/tmp/ds-bench-sandbox-XXXXXX";
  if (!::mkdtemp(tmpl)) return 1;
  std::string dir = tmpl;
  for (int i = 0; i < 1000; ++i) {
    fs::create_directories(dir + "/src/d" + std::to_string(i / 50));
    std::ofstream(dir + "/src/d" + std::to_string(i / 50) + "/f" + std::to_string(i) + ".py")
        << "def f" << i << "():\n    return " << i << "\n";
  }
  std::string init = "cd " + ds::exec::shell_quote(dir) +
                     " && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm init";
  if (std::system(init.c_str()) != 0) return 1;

  ds::exec::SystemRunner system;
  ds::exec::SandboxConfig cfg;
  cfg.work_tree = dir;
  auto probe_start = Clock::now();
  ds::exec::SandboxProbe probe = ds::exec::probe_sandbox(cfg, system);
  double probe_ms = ms_since(probe_start);
  if (!probe.ok) {
    std::fprintf(stderr, "bench_sandbox: the sandbox does not work here: %s\n", probe.problem.c_str());
    return 1;
  }
  ds::exec::SandboxRunner sandbox(cfg, probe, system);

  time_runs(system, dir, 3);  // warm-up
  time_runs(sandbox, dir, 3);
  report("`true`, plain SystemRunner", time_runs(system, dir, runs));
  report("`true`, bwrap SandboxRunner", time_runs(sandbox, dir, runs));

  auto repo = ds::git::Repository::open(dir);
  if (!repo.ok()) return 1;
  std::vector<double> whole;
  for (int i = 0; i < runs; ++i) {
    auto t = Clock::now();
    auto before = ds::git::snapshot_worktree(*repo);
    if (!before.ok()) return 1;
    time_runs(sandbox, dir, 1);
    auto changes = ds::git::worktree_changes(*repo, *before);
    if (!changes.ok()) return 1;
    whole.push_back(ms_since(t));
  }
  report("`true` + 2 snapshots (1,000 files)", whole);
  std::printf("probe (once per run)                         %7.2f ms\n", probe_ms);
  fs::remove_all(dir);
  return 0;
}
