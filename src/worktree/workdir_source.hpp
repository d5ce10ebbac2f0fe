// WorkdirSource: the edit planner's view of a repository's work tree, read
// safely (no paths outside the repository, no symbolic links, nothing under
// .git/, no binary files, no folders).
#pragma once

#include <optional>
#include <string>

#include "edit/plan.hpp"
#include "git/repository.hpp"

namespace ds::worktree {

class WorkdirSource : public edit::FileSource {
 public:
  explicit WorkdirSource(const git::Repository& repo);

  // Paths are repository-relative. std::nullopt when the file does not exist;
  // errors (kind ErrorKind::PathRefused) say why a path is refused and what to do.
  Result<std::optional<std::string>> read(const std::string& path) override;

 private:
  std::string root_;       // as the repository reports it
  std::string real_root_;  // with symbolic links resolved
};

}  // namespace ds::worktree
