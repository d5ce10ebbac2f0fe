// Benchmark of a huge model reply (issue 21, item 6): N SEARCH/REPLACE
// blocks whose SEARCH is nowhere in the file, handled the way a run handles
// them: streamed line by line through the human sink's filter (EditStream),
// parsed whole (parse_edits), and planned against a 2,000-line file
// (plan_edits, which stops after kMaxFailedEditsPerReply failures). CPU time of
// each stage, per block count.
// "before" times what the filter did until issue 21 (at each SEARCH marker,
// parse the whole reply so far) and what locating every block costs (planned
// in slices of kMaxFailedEditsPerReply, so the cap does not apply). Only up to
// 8,000 blocks: the old filter is quadratic.
// Usage: bench_long_reply [BLOCKS...]   (default 1000 2000 4000 8000 200000)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "agent/sinks/edit_stream.hpp"
#include "edit/parse.hpp"
#include "edit/plan.hpp"
#include "tests/support/memory_source.hpp"
#include "text/lines.hpp"

namespace {

using ds::edit::kMaxFailedEditsPerReply;
using ds::edit::ParsedEdits;

double cpu_now_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// About 60 bytes a block, as in the issue (8,000 blocks, 0.5 MB).
std::string reply(size_t blocks) {
  std::string text = "Here are the edits.\n\n";
  for (size_t i = 0; i < blocks; ++i)
    text += "src/app.py\n```python\n<<<<<<< SEARCH\nno such line " + std::to_string(i) +
            "\n=======\nx = 1\n>>>>>>> REPLACE\n```\n";
  return text;
}

std::string source_file() {
  std::string s;
  for (int i = 0; i < 2000; ++i)
    s += "def f" + std::to_string(i) + "(a):\n    return a + " + std::to_string(i) + "\n";
  return s;
}

// The filter as it was: each block's path read by re-parsing the whole text so far.
double old_stream_ms(const std::vector<std::string>& lines) {
  double t0 = cpu_now_ms();
  std::string text;
  for (const auto& l : lines) {
    text += l + "\n";
    if (ds::edit::is_search_marker(l))
      ds::edit::parse_edits(text + "=======\n>>>>>>> REPLACE\n", ds::edit::Format::SearchReplace);
  }
  return cpu_now_ms() - t0;
}

// Locating every block of the reply, as before the cap.
double uncapped_plan_ms(const ParsedEdits& parsed, ds::test::MemorySource& src) {
  double t0 = cpu_now_ms();
  for (size_t from = 0; from < parsed.blocks.size(); from += kMaxFailedEditsPerReply) {
    ParsedEdits slice;
    size_t to = std::min(parsed.blocks.size(), from + kMaxFailedEditsPerReply);
    slice.blocks.assign(parsed.blocks.begin() + static_cast<long>(from),
                        parsed.blocks.begin() + static_cast<long>(to));
    ds::edit::plan_edits(slice, src);
  }
  return cpu_now_ms() - t0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> counts;
  for (int i = 1; i < argc; ++i) counts.push_back(std::strtoul(argv[i], nullptr, 10));
  if (counts.empty()) counts = {1000, 2000, 4000, 8000, 200000};
  std::printf("%9s %10s %10s %10s %10s %8s | %13s %13s\n", "blocks", "bytes", "stream ms", "parse ms",
              "plan ms", "failed", "before stream", "before plan");
  for (size_t n : counts) {
    std::string text = reply(n);
    std::vector<std::string> lines = ds::text::split_lines(text);

    double t0 = cpu_now_ms();
    ds::agent::EditStream stream;
    size_t announced = 0;
    for (const auto& l : lines)
      for (const auto& p : stream.line(l)) announced += p.edit;
    stream.end();
    double t1 = cpu_now_ms();
    ParsedEdits parsed = ds::edit::parse_edits(text);
    double t2 = cpu_now_ms();
    ds::test::MemorySource src;
    src.files["src/app.py"] = source_file();
    ds::edit::EditPlan plan = ds::edit::plan_edits(parsed, src);
    double t3 = cpu_now_ms();
    if (announced != n || parsed.blocks.size() != n || plan.failed() != n) {
      std::fprintf(stderr, "expected %zu blocks: streamed %zu, parsed %zu, failed %zu\n", n, announced,
                   parsed.blocks.size(), plan.failed());
      return 1;
    }
    std::printf("%9zu %10zu %10.1f %10.1f %10.1f %8zu |", n, text.size(), t1 - t0, t2 - t1, t3 - t2,
                plan.failed());
    if (n <= 8000)
      std::printf(" %13.1f %13.1f\n", old_stream_ms(lines), uncapped_plan_ms(parsed, src));
    else
      std::printf(" %13s %13s\n", "-", "-");
    std::fflush(stdout);
  }
  return 0;
}
