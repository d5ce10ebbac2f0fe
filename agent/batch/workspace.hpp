// Where each batch task runs: the repository source (a --repos-dir mirror, a
// local path, or a clone cached once under --work-dir/repos), the task's own
// checkout at base_commit under --work-dir/worktrees/<id> (so workers never
// share a work tree), and the test command with its placeholders filled in.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "agent/batch/tasks.hpp"
#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::agent {

struct WorkspaceOptions {
  std::string repos_dir;  // --repos-dir: mirrors named owner__name (or owner__name.git, owner/name)
  std::string work_dir;   // --work-dir: repos/ (cache), worktrees/, trajs/
  std::string tasks_dir;  // folder of the tasks file: relative repo paths may be relative to it
  const std::atomic<bool>* cancel = nullptr;
};

// Finds and checks out task repositories; thread-safe. Each remote
// repository is cloned at most once per work dir, even when several workers
// ask for it at the same time.
class Workspace {
 public:
  explicit Workspace(WorkspaceOptions o) : o_(std::move(o)) {}

  // What to clone the task's repository from: a mirror in repos_dir, a local
  // path, or the cache of a URL (file://, https://, owner/name from GitHub),
  // cloned now when missing.
  Result<std::string> source_for(const BatchTask& t);

  // The task's private checkout at its base_commit in `dir` (removed first
  // if a crashed run left it). A cached source is fetched again once when the
  // commit is missing.
  Result<git::Repository> checkout(const BatchTask& t, const std::string& dir);

  const WorkspaceOptions& options() const { return o_; }

 private:
  std::shared_ptr<std::mutex> lock_for(const std::string& key);
  bool is_cache(const std::string& path) const;

  WorkspaceOptions o_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> locks_;
};

// A file-name-safe form of a task id: [A-Za-z0-9._-] kept, anything else
// '_', plus a short hash suffix when something was replaced, so two ids never
// share a name.
std::string safe_name(std::string_view id);

// The test command for a task under --oracle-tests (standard mode uses
// standard_test_command, agent/batch/mode.hpp): its own test_cmd, else `template_cmd`, with
// {tests} → FAIL_TO_PASS + PASS_TO_PASS ids, {fail_to_pass} → only the
// former, {test_files} → the files test_patch touches (each shell-quoted,
// space-separated), {tests_file} → `tests_file` (a file listing the ids one
// per line, for id lists too long for one command line), {id}, {repo},
// {version} → those fields, quoted. "" when neither command is set.
std::string test_command_for(const BatchTask& t, const std::string& template_cmd,
                             const std::vector<std::string>& test_files, const std::string& tests_file = "");

}  // namespace ds::agent
