// What --reproduce's base check costs: the start tree written out to a
// scratch folder (git::export_tree, as set_reproduction does), the
// reproduction file copied in, one `python3 repro.py` run there, and the
// folder removed, on a generated repository of N files (~1 KB each, 50 per
// folder). Usage: bench_verify [files] [runs] (default 2000 files, 20 runs)
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
  std::vector<double> exported, removed, whole, command;
  for (int i = 0; i < runs; ++i) {
    std::string scratch = repo->git_dir() + "/diffsmith/scratch-bench";
    auto t0 = Clock::now();
    fs::create_directories(scratch);
    if (auto st = ds::git::export_tree(*repo, *base, scratch); !st.ok()) {
      std::fprintf(stderr, "bench_verify: %s\n", st.error().message.c_str());
      return 1;
    }
    exported.push_back(ms_since(t0));
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
    auto t2 = Clock::now();
    fs::remove_all(scratch);
    removed.push_back(ms_since(t2));
    whole.push_back(ms_since(t0));
  }
  std::printf("%d files, %d runs\n", files + 1, runs);
  report("export the base tree (git::export_tree)", exported);
  report("`python3 repro.py` in it (SystemRunner)", command);
  report("remove the scratch folder", removed);
  report("the whole base check", whole);
  fs::remove_all(dir);
  return 0;
}
