// Benchmark of writing edits to the work tree: worktree::apply_changes replacing
// one line of a 24 MB file in a real repository (journal + temp file +
// rename + read-back check), and the checkpoint that follows. Median of the
// runs, wall and process CPU time. Usage: bench_write [runs]   (default 9)
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "git/checkpoint.hpp"
#include "worktree/apply.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double cpu_ms() { return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 9;
  std::string dir = (std::filesystem::temp_directory_path() / "ds-bench-write-XXXXXX").string();
  if (!::mkdtemp(dir.data())) return 1;
  std::string big;
  for (int i = 0; big.size() < (24u << 20); ++i)
    big += "line " + std::to_string(i) + " of a large data file\n";
  { std::ofstream(dir + "/big.txt", std::ios::binary) << big; }
  std::string init = "cd '" + dir +
                     "' && git init -q && git -c user.name=b -c user.email=b@b add -A && "
                     "git -c user.name=b -c user.email=b@b commit -qm base";
  if (std::system(init.c_str()) != 0) return 1;
  auto repo = ds::git::Repository::open(dir);
  if (!repo.ok()) return 1;
  if (!ds::git::checkpoint(*repo, "refs/diffsmith/bench", "start").ok()) return 1;

  std::vector<double> apply_wall, apply_cpu, cp_wall;
  std::string current = big;
  for (int i = 0; i < runs; ++i) {
    std::string next = current;
    std::string from = "line 1000 of", to = i % 2 ? "line 1000 of" : "LINE 1000 of";
    next.replace(next.find(i % 2 ? "LINE 1000 of" : "line 1000 of"), from.size(), to);
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_ms();
    auto st = ds::worktree::apply_changes(*repo, {{"big.txt", current, next}});
    apply_cpu.push_back(cpu_ms() - c0);
    apply_wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!st.ok()) {
      std::fprintf(stderr, "apply failed: %s\n", st.error().message.c_str());
      return 1;
    }
    current = next;
    t0 = std::chrono::steady_clock::now();
    if (!ds::git::checkpoint(*repo, "refs/diffsmith/bench", "turn").ok()) return 1;
    cp_wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::printf("24 MB file, one line changed, %d runs\n", runs);
  std::printf("apply_changes: median wall %.1f ms, median CPU %.1f ms\n", median(apply_wall),
              median(apply_cpu));
  std::printf("checkpoint after it: median wall %.1f ms\n", median(cp_wall));
  std::filesystem::remove_all(dir);
  return 0;
}
