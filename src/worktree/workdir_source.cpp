// WorkdirSource: text::read_repo_file (which refuses unsafe paths, symbolic
// links on the way, folders, binary files) plus a final realpath check that
// the file really lies inside the work tree and outside .git/.
#include "worktree/workdir_source.hpp"

#include <stdlib.h>

#include <memory>

#include "text/repo_paths.hpp"

namespace ds::worktree {

using namespace git;  // the repository, its error kinds and handles
namespace {

std::string real_path(const std::string& p) {
  std::unique_ptr<char, decltype(&::free)> r(::realpath(p.c_str(), nullptr), &::free);
  return r ? std::string(r.get()) : std::string();
}

}  // namespace

WorkdirSource::WorkdirSource(const git::Repository& repo)
    : root_(repo.root()), real_root_(real_path(repo.root())) {}

Result<std::optional<std::string>> WorkdirSource::read(const std::string& path) {
  auto content = text::read_repo_file(root_, path);
  if (!content) return make_error(content.error().message, ErrorKind::PathRefused);
  if (!content->has_value()) return content;

  // Belt and braces: read_repo_file refuses every symbolic link on the way,
  // so this only fires if the tree changed under us (or the root moved).
  auto rel = text::normalize_repo_path(path);
  std::string real = real_path(root_ + "/" + *rel);
  std::string inside = real_root_ + "/";
  if (real.compare(0, inside.size(), inside) != 0)
    return make_error("'" + *rel + "' resolves to " + (real.empty() ? "nothing" : real) +
                          ", outside the repository " + real_root_ + "; edit files inside it only",
                      ErrorKind::PathRefused);
  auto first = real.substr(inside.size(), real.find('/', inside.size()) - inside.size());
  if (first == ".git")
    return make_error("'" + *rel + "' resolves into .git/; edit files of the work tree only",
                      ErrorKind::PathRefused);
  return content;
}

}  // namespace ds::worktree
