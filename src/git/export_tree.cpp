// export_tree through libgit2's checkout into a target directory.
#include "git/export_tree.hpp"

#include <git2.h>

#include "git/handles.hpp"

namespace ds::git {

Status export_tree(Repository& repo, const std::string& commit, const std::string& dir) {
  ensure_libgit2();
  auto tree = find_tree(repo, commit);
  if (!tree.ok()) return tree.error();
  git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
  // FORCE writes every file (the target is empty); the index is the
  // repository's and stays as it is; filters would change the bytes.
  opts.checkout_strategy =
      GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
  opts.target_directory = dir.c_str();
  opts.disable_filters = 1;
  if (git_checkout_tree(repo.raw(), reinterpret_cast<const git_object*>(tree->get()), &opts) != 0)
    return git_failure("cannot write commit " + commit.substr(0, 12) + "'s files to " + dir,
                       ErrorKind::IoError);
  return Ok{};
}

}  // namespace ds::git
