// Benchmark of the model-facing tools that walk the whole repository through
// the one path check (git/path_check.hpp): list_files (every tracked path
// checked), search (every tracked file checked, read without following
// links, matched by RE2), and search with a pattern that is catastrophic for
// a backtracking engine. Run on a git repository (bench/gen_tree.py makes
// one; 70,000 files by default).
//
//   bench_tools DIR [--runs N]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "git/repository.hpp"
#include "git/status.hpp"
#include "tools/tool.hpp"

using namespace ds;

namespace {

double cpu_ms() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

struct Timing {
  double wall = 0, cpu = 0;
  size_t bytes = 0;
};

Timing time_call(const std::vector<tools::Tool>& set, tools::ToolContext& ctx, const char* name,
                 json::Value args) {
  llm::ToolCall c;
  c.name = name;
  c.args = std::move(args);
  double c0 = cpu_ms();
  auto t0 = std::chrono::steady_clock::now();
  tools::ToolOutcome o = tools::call_tool(set, c, ctx);
  auto t1 = std::chrono::steady_clock::now();
  return {std::chrono::duration<double, std::milli>(t1 - t0).count(), cpu_ms() - c0, o.content.size()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_tools DIR [--runs N]\n");
    return 2;
  }
  int runs = 5;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[i + 1]);
  auto repo = git::Repository::open(argv[1]);
  if (!repo) {
    std::fprintf(stderr, "%s\n", repo.error().message.c_str());
    return 1;
  }
  tools::ToolContext ctx;
  ctx.repo = &*repo;
  ctx.root = repo->root();
  auto tracked = git::tracked_files(*repo);
  if (!tracked) return 1;
  ctx.tracked = *tracked;
  auto set = tools::make_tools(edit::Format::SearchReplace, false);
  std::printf("%zu tracked files, %d runs each (median)\n", ctx.tracked.size(), runs);

  struct Case {
    const char* label;
    const char* tool;
    json::Value args;
  };
  std::vector<Case> cases;
  cases.push_back({"list_files ''", "list_files", json::Value::object().set("glob", "")});
  cases.push_back({"search 'def [a-z_0-9]+\\(' (capped at 100 matches)", "search",
                   json::Value::object().set("pattern", "def [a-z_0-9]+\\(").set("glob", "")});
  cases.push_back({"search 'no_such_identifier_x' (every file)", "search",
                   json::Value::object().set("pattern", "no_such_identifier_x").set("glob", "")});
  cases.push_back({"search 'function.*render' (capped at 100 matches)", "search",
                   json::Value::object().set("pattern", "function.*render").set("glob", "")});
  cases.push_back({"search '(a|b)*c(a+)+q' (every file)", "search",
                   json::Value::object().set("pattern", "(a|b)*c(a+)+q").set("glob", "")});
  for (auto& c : cases) {
    std::vector<Timing> t;
    for (int r = 0; r < runs; ++r) t.push_back(time_call(set, ctx, c.tool, c.args));
    std::sort(t.begin(), t.end(), [](const Timing& a, const Timing& b) { return a.wall < b.wall; });
    const Timing& m = t[t.size() / 2];
    std::printf("%-50s wall %8.1f ms  cpu %8.1f ms  output %zu bytes\n", c.label, m.wall, m.cpu, m.bytes);
  }
  return 0;
}
