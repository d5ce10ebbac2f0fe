// What --reproduce's base check costs: the start tree written out to a
// scratch folder (git::export_tree, as set_reproduction does), the
// reproduction file copied in, one `python3 repro.py` run there, and the
// folder removed, on a generated repository of N files (~1 KB each, 50 per
// folder), plus the same reproduction in the bwrap sandbox as runs use it by
// default (the scratch folder bound writable), and the process CPU time of the
// exports. Usage: bench_verify [files] [runs] (default 2000 files, 20 runs)
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
#include "git/export_tree.hpp"
#include "git/repository.hpp"

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
  for (int i = 0; i < files; ++i) {
    std::string sub = dir + "/pkg/d" + std::to_string(i / 50);
    fs::create_directories(sub);
    std::ofstream(sub + "/m" + std::to_string(i) + ".py")
        << "def f" << i << "():\n    return '" << body << "'\n";
  }
  std::ofstream(dir + "/calc.py") << "def add(a, b):\n    return a - b\n";
  std::string init = "cd " + ds::exec::shell_quote(dir) +
                     " && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm init";
  if (std::system(init.c_str()) != 0) return 1;
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
  std::printf("%d files, %d runs\n", files + 1, runs);
  report("export the base tree (git::export_tree)", exported);
  report("  its CPU time (all threads)", export_cpu);
  report("`python3 repro.py` in it (SystemRunner)", command);
  if (!sandboxed.empty()) report("`python3 repro.py` in it, sandboxed", sandboxed);
  report("remove the scratch folder", removed);
  report("the whole base check (both runs)", whole);
  fs::remove_all(dir);
  return 0;
}
