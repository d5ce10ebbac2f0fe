// Benchmark of the repo map: cold (no tag cache), warm (cache valid, nothing
// changed), warm with task terms, and one edited file, on a git repository
// (bench/gen_tree.py makes a 70,000-file one). Each measurement runs in a
// forked child so its peak RSS is its own (wait4's rusage).
//
//   bench_repomap DIR [--runs N] [--tokens N] [--ctags] [--edit] [--threads N]
//
// --edit appends a comment line to one tracked file and restores it after,
// so use it only on a generated tree.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "repomap/map.hpp"

using namespace ds::repomap;

namespace {

struct Sample {
  double ms = 0;      // wall time of build_map in the child
  long rss_kb = 0;    // the child's peak RSS
  double cpu_ms = 0;  // the child's user + system CPU time (whole process)
  MapStats stats;
  bool ok = false;
};

// Runs build_map in a child process; the child sends back its timing and counts.
Sample measure(const std::string& dir, const MapOptions& opt) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    MapStats st;
    auto t0 = std::chrono::steady_clock::now();
    auto m = build_map(dir, opt, &st);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    char buf[512];
    int n =
        std::snprintf(buf, sizeof buf, "%d %.3f %zu %zu %zu %zu %zu %zu %zu %d %.3f %.3f %.3f %.3f %zu %.3f",
                      m.ok() ? 1 : 0, ms, st.files_considered, st.files_parsed, st.files_cached,
                      st.files_hashed, st.definitions, st.identifiers, st.graph_edges, st.rank_iterations,
                      st.ms_scan, st.ms_extract, st.ms_rank, st.ms_render, st.map_tokens, st.ms_lexical);
    if (!m.ok()) std::fprintf(stderr, "build_map failed: %s\n", m.error().message.c_str());
    if (write(fds[1], buf, static_cast<size_t>(n)) != n) _exit(2);
    _exit(0);
  }
  ::close(fds[1]);
  std::string msg;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) msg.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  struct rusage ru {};
  ::wait4(pid, &status, 0, &ru);
  Sample s;
  s.rss_kb = ru.ru_maxrss;
  s.cpu_ms =
      (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  int ok = 0;
  std::istringstream in(msg);
  in >> ok >> s.ms >> s.stats.files_considered >> s.stats.files_parsed >> s.stats.files_cached >>
      s.stats.files_hashed >> s.stats.definitions >> s.stats.identifiers >> s.stats.graph_edges >>
      s.stats.rank_iterations >> s.stats.ms_scan >> s.stats.ms_extract >> s.stats.ms_rank >>
      s.stats.ms_render >> s.stats.map_tokens >> s.stats.ms_lexical;
  s.ok = ok == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return s;
}

void report(const char* label, const std::vector<Sample>& runs) {
  if (runs.empty()) return;
  std::vector<Sample> sorted = runs;
  std::sort(sorted.begin(), sorted.end(), [](const Sample& a, const Sample& b) { return a.ms < b.ms; });
  const Sample& med = sorted[sorted.size() / 2];
  long rss = 0;
  for (const Sample& s : runs) rss = std::max(rss, s.rss_kb);
  std::vector<double> cpu;
  for (const Sample& s : runs) cpu.push_back(s.cpu_ms);
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "%-14s median %9.1f ms  min %9.1f ms  cpu %9.1f ms  peak RSS %7.1f MB  | files %zu parsed %zu cached "
      "%zu "
      "hashed %zu | defs %zu names %zu edges %zu iters %d | scan %.1f extract %.1f rank %.1f "
      "(lexical %.1f) render %.1f ms | map %zu tokens%s\n",
      label, med.ms, sorted.front().ms, cpu[cpu.size() / 2], static_cast<double>(rss) / 1024.0,
      med.stats.files_considered, med.stats.files_parsed, med.stats.files_cached, med.stats.files_hashed,
      med.stats.definitions, med.stats.identifiers, med.stats.graph_edges, med.stats.rank_iterations,
      med.stats.ms_scan, med.stats.ms_extract, med.stats.ms_rank, med.stats.ms_lexical, med.stats.ms_render,
      med.stats.map_tokens,
      std::all_of(runs.begin(), runs.end(), [](const Sample& s) { return s.ok; }) ? "" : "  (FAILED)");
  std::fflush(stdout);
}

std::string first_tracked_source(const std::string& dir) {
  std::string cmd = "git -C '" + dir + "' ls-files -- '*.py' '*.cpp' '*.go' | head -1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {};
  char buf[4096] = {0};
  if (!std::fgets(buf, sizeof buf, p)) buf[0] = 0;
  ::pclose(p);
  std::string s = buf;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: bench_repomap DIR [--runs N] [--tokens N] [--ctags] [--edit] [--threads N]\n");
    return 2;
  }
  std::string dir = argv[1];
  int runs = 5;
  MapOptions opt;
  bool edit = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (a == "--tokens" && i + 1 < argc)
      opt.max_tokens = static_cast<size_t>(std::atol(argv[++i]));
    else if (a == "--threads" && i + 1 < argc)
      opt.threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--ctags")
      opt.use_ctags = true;
    else if (a == "--edit")
      edit = true;
    else {
      std::fprintf(stderr, "bench_repomap: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  auto stats = build_map(dir, MapOptions{.max_tokens = 1, .use_cache = false});
  if (!stats) {
    std::fprintf(stderr, "bench_repomap: %s\n", stats.error().message.c_str());
    return 4;
  }
  MapStats probe;
  (void)build_map(dir, MapOptions{.max_tokens = 1, .use_cache = false, .threads = 1}, &probe);
  std::string cache = probe.cache_path;
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) < 1) load[0] = -1;
  std::printf("repo %s, %d runs each, --tokens %zu%s, %u threads, load average %.2f\n", dir.c_str(), runs,
              opt.max_tokens, opt.use_ctags ? ", ctags" : "",
              opt.threads ? opt.threads : std::thread::hardware_concurrency(), load[0]);

  std::vector<Sample> cold, warm, terms, edited;
  for (int r = 0; r < runs; ++r) {
    std::filesystem::remove(cache);
    cold.push_back(measure(dir, opt));
  }
  report("cold", cold);
  for (int r = 0; r < runs; ++r) warm.push_back(measure(dir, opt));
  report("warm", warm);
  MapOptions with_terms = opt;
  with_terms.terms = {
      "The parser_config handler crashes in render_widget; see SessionStore and cache_index."};
  for (int r = 0; r < runs; ++r) terms.push_back(measure(dir, with_terms));
  report("warm+terms", terms);
  // An issue as users write them: prose, a quoted message, a stack trace.
  MapOptions with_issue = opt;
  with_issue.terms = {
      "Rendering a widget fails after the session store was reloaded\n\n"
      "When the cache index is rebuilt, `render_widget()` raises \"unexpected state in parser config\" "
      "instead of drawing the widget. Steps: open a session, reload the store, render.\n\n"
      "Traceback (most recent call last):\n  File \"/srv/app/pkg/render/widget.py\", line 88, in "
      "render_widget\n"
      "ValueError: unexpected state in parser config"};
  std::vector<Sample> issue;
  for (int r = 0; r < runs; ++r) issue.push_back(measure(dir, with_issue));
  report("warm+issue", issue);
  if (edit) {
    std::string file = first_tracked_source(dir);
    std::string path = dir + "/" + file;
    std::ifstream in(path, std::ios::binary);
    std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (int r = 0; r < runs; ++r) {
      std::ofstream(path, std::ios::binary | std::ios::trunc) << original << "// edit " << r << "\n";
      edited.push_back(measure(dir, opt));
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc) << original;
    report("1 file edited", edited);
  }
  return 0;
}
