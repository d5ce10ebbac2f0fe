// The syntax guard on real model replies: Aider's public SWE-bench Lite run
// (bench/aider_replay.py extracts its replies and the repositories at their
// base commits). Each chat session is replayed from the base tree: every
// reply is parsed and planned by diffsmith's own edit engine, each file it
// changes is checked as the agent would check it, and then written (as
// Aider did, guard or not) so later replies see it. Counts: applied file
// changes, those with a checker, those whose result does not parse although
// the pre-image did (what the guard refuses), those broken on the base too
// (not blamed); the guard's cost per checked change, unsandboxed and in the
// bwrap sandbox.
// Usage: bench_guard REPLAY_DIR [--sandbox]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "edit/parse.hpp"
#include "edit/plan.hpp"
#include "exec/sandbox.hpp"
#include "worktree/syntax_guard.hpp"

namespace fs = std::filesystem;
using namespace ds;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The base tree on disk with the session's writes over it.
class Overlay : public edit::FileSource {
 public:
  explicit Overlay(fs::path base) : base_(std::move(base)) {}
  Result<std::optional<std::string>> read(const std::string& path) override {
    if (auto it = files_.find(path); it != files_.end()) return it->second;
    return base_.read(path);
  }
  void write(const edit::FileChange& c) { files_[c.path] = c.after; }

 private:
  edit::DirectorySource base_;
  std::map<std::string, std::optional<std::string>> files_;
};

struct Counts {
  size_t replies = 0, blocks = 0, blocks_failed = 0, changes = 0, checked = 0;
  size_t refused = 0;      // result fails, pre-image parsed: the guard refuses
  size_t broken_base = 0;  // result fails, pre-image failed too: not blamed
  std::vector<double> ms;  // guard.check per checked change
  std::vector<std::string> refused_where;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void replay_instance(const fs::path& dir, exec::ProcessRunner& runner, const std::string& scratch,
                     Counts& n) {
  std::vector<fs::path> sessions;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename() != "base") sessions.push_back(e.path());
  std::sort(sessions.begin(), sessions.end());
  for (const auto& s : sessions) {
    Overlay tree(dir / "base");
    std::vector<fs::path> replies;
    for (const auto& e : fs::directory_iterator(s)) replies.push_back(e.path());
    std::sort(replies.begin(), replies.end());
    for (const auto& r : replies) {
      ++n.replies;
      auto parsed = edit::parse_edits(slurp(r), edit::Format::SearchReplace);
      auto plan = edit::plan_edits(parsed, tree);
      n.blocks += plan.results.size();
      n.blocks_failed += plan.failed();
      for (const auto& c : plan.changes) {
        ++n.changes;
        worktree::SyntaxGuard guard({{}, scratch, (dir / "base").string(), std::chrono::milliseconds(10000)},
                                    runner);
        auto t0 = std::chrono::steady_clock::now();
        auto problem = guard.check(c);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (guard.checks() > 0) {
          ++n.checked;
          n.ms.push_back(ms);
        }
        if (problem) {
          ++n.refused;
          n.refused_where.push_back(dir.filename().string() + "/" + s.filename().string() + "/" +
                                    r.filename().string() + " " + c.path + ":" +
                                    std::to_string(problem->line) + " " +
                                    problem->message.substr(problem->message.rfind('\n') + 1));
        } else if (guard.checks() == 2) {
          ++n.broken_base;
        }
        tree.write(c);
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_guard REPLAY_DIR [--sandbox]\n");
    return 2;
  }
  fs::path root = argv[1];
  bool sandbox = argc > 2 && std::string(argv[2]) == "--sandbox";
  std::string scratch = (root / ".scratch").string();
  fs::create_directories(scratch);
  exec::SystemRunner system;
  std::unique_ptr<exec::SandboxRunner> sandboxed;
  exec::ProcessRunner* runner = &system;
  if (sandbox) {
    // The copies live under the replay folder, which the sandbox binds as the work tree.
    exec::SandboxConfig cfg;
    cfg.work_tree = fs::canonical(root).string();
    auto probe = exec::probe_sandbox(cfg, system);
    if (!probe.ok) {
      std::fprintf(stderr, "sandbox: %s\n", probe.problem.c_str());
      return 1;
    }
    sandboxed = std::make_unique<exec::SandboxRunner>(cfg, probe, system);
    runner = sandboxed.get();
  }
  std::vector<fs::path> instances;
  for (const auto& e : fs::directory_iterator(root))
    if (e.is_directory() && fs::exists(e.path() / "base")) instances.push_back(e.path());
  std::sort(instances.begin(), instances.end());
  Counts n;
  for (const auto& i : instances) replay_instance(i, *runner, scratch, n);
  std::printf("instances %zu, replies with edit blocks %zu, blocks %zu (%zu did not apply)\n",
              instances.size(), n.replies, n.blocks, n.blocks_failed);
  std::printf("applied file changes %zu, with a checker %zu\n", n.changes, n.checked);
  std::printf("result does not parse, pre-image did (refused): %zu (%.1f%% of checked changes)\n", n.refused,
              n.checked ? 100.0 * static_cast<double>(n.refused) / static_cast<double>(n.checked) : 0.0);
  std::printf("result and pre-image both fail (not blamed): %zu\n", n.broken_base);
  std::printf("guard cost per checked change (%s): median %.1f ms, p90 %.1f ms, max %.1f ms\n",
              sandbox ? "bwrap sandbox" : "no sandbox", median(n.ms), percentile(n.ms, 0.9),
              n.ms.empty() ? 0.0 : *std::max_element(n.ms.begin(), n.ms.end()));
  for (const auto& w : n.refused_where) std::printf("  refused: %s\n", w.c_str());
  std::error_code ec;
  fs::remove_all(scratch, ec);
  return 0;
}
