// Benchmark of the edit engine: a ~1 MB source file, 100 SEARCH/REPLACE
// blocks spread through it, timing plan_edits + unified_diff (median of
// several runs). Also the same edits at the indentation level and as one V4A
// update with 100 chunks. Usage: bench_apply [runs]   (default 15)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "diff/unified_diff.hpp"
#include "edit/plan.hpp"
#include "tests/support/memory_source.hpp"

using namespace ds::edit;
using ds::test::MemorySource;

namespace {

// A C-like file of small functions, about `bytes` long; lines like "}" and
// "    return r;" repeat thousands of times, as in real code.
std::vector<std::string> make_source(size_t bytes) {
  std::vector<std::string> lines;
  size_t size = 0;
  for (int f = 0; size < bytes; ++f) {
    std::string n = std::to_string(f);
    for (std::string l :
         std::vector<std::string>{"int function_" + n + "(int a, int b) {", "    int r = a * " + n + " + b;",
                                  "    if (r > " + std::to_string(f % 91) + ") {",
                                  "        r -= helper_" + n + "(a);", "    }", "    return r;", "}", ""}) {
      size += l.size() + 1;
      lines.push_back(std::move(l));
    }
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines, size_t from, size_t count,
                 const std::string& indent = "") {
  std::string out;
  for (size_t i = from; i < from + count; ++i) out += (lines[i].empty() ? "" : indent) + lines[i] + "\n";
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Timing {
  double plan_ms, diff_ms, cpu_ms;  // wall clock, wall clock, CPU time of both
};

double cpu_now_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

void report(const char* name, const std::vector<Timing>& runs, size_t applied, size_t expected,
            size_t diff_bytes) {
  std::vector<double> total, plan, diff, cpu;
  for (const auto& t : runs) {
    total.push_back(t.plan_ms + t.diff_ms);
    plan.push_back(t.plan_ms);
    diff.push_back(t.diff_ms);
    cpu.push_back(t.cpu_ms);
  }
  std::printf(
      "%-34s median %6.2f ms wall (plan %6.2f + diff %6.2f; min %6.2f, max %6.2f), %6.2f ms CPU;"
      " applied %zu/%zu, patch %zu bytes\n",
      name, median(total), median(plan), median(diff), *std::min_element(total.begin(), total.end()),
      *std::max_element(total.begin(), total.end()), median(cpu), applied, expected, diff_bytes);
}

template <class Build>
bool run(const char* name, int runs, MemorySource& src, Build build_edits, size_t expected) {
  ParsedEdits edits = build_edits();
  std::vector<Timing> timings;
  size_t applied = 0, diff_bytes = 0;
  for (int r = 0; r < runs; ++r) {
    double c0 = cpu_now_ms();
    auto t0 = std::chrono::steady_clock::now();
    EditPlan plan = plan_edits(edits, src);
    auto t1 = std::chrono::steady_clock::now();
    std::string diff = unified_diff(plan.changes);
    auto t2 = std::chrono::steady_clock::now();
    timings.push_back({std::chrono::duration<double, std::milli>(t1 - t0).count(),
                       std::chrono::duration<double, std::milli>(t2 - t1).count(), cpu_now_ms() - c0});
    applied = plan.applied();
    diff_bytes = diff.size();
    if (plan.failed() && r == 0) std::fprintf(stderr, "%s", plan.failure_report().c_str());
  }
  report(name, timings, applied, expected, diff_bytes);
  return applied == expected;
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
  const size_t kBlocks = 100;
  std::vector<std::string> lines = make_source(1 << 20);
  MemorySource src;
  src.files["big.c"] = join(lines, 0, lines.size());
  std::printf("file: %zu bytes, %zu lines; %zu blocks; %d runs\n", src.files["big.c"].size(), lines.size(),
              kBlocks, runs);

  // Block k edits the function starting near k/100 of the way through.
  auto block_start = [&](size_t k) {
    size_t at = lines.size() * k / kBlocks + 8;
    return at - at % 8;  // a function header
  };
  auto sr_edits = [&](const std::string& indent) {
    return [&, indent] {
      ParsedEdits e;
      for (size_t k = 0; k < kBlocks; ++k) {
        size_t at = block_start(k);
        SearchReplaceBlock b;
        b.index = static_cast<int>(k + 1);
        b.path = "big.c";
        b.search = join(lines, at, 4, indent);
        b.replace = indent + lines[at] + "\n" + indent + "    // edited by block " + std::to_string(k + 1) +
                    "\n" + join(lines, at + 1, 3, indent);
        e.blocks.push_back(b);
      }
      return e;
    };
  };
  bool ok = run("search/replace, exact", runs, src, sr_edits(""), kBlocks);
  ok &= run("search/replace, indentation level", runs, src, sr_edits("  "), kBlocks);
  ok &= run(
      "V4A, one update with 100 chunks", runs, src,
      [&] {
        ParsedEdits e;
        e.format = Format::Patch;
        PatchOp op;
        op.index = 1;
        op.path = "big.c";
        for (size_t k = 0; k < kBlocks; ++k) {
          size_t at = block_start(k);
          PatchChunk c;
          c.scopes.push_back(lines[at]);
          c.lines = {{' ', lines[at + 1]},
                     {'-', lines[at + 2]},
                     {'+', lines[at + 2] + "  // edited"},
                     {' ', lines[at + 3]}};
          op.chunks.push_back(c);
        }
        e.ops.push_back(op);
        return e;
      },
      1);
  return ok ? 0 : 1;
}
