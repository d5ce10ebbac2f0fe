// init_repository: git_repository_init_ext with a "main" first branch.
#include "git/init.hpp"

#include "git/handles.hpp"

namespace ds::git {

Result<Repository> init_repository(const std::string& dir) {
  ensure_libgit2();
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &opts) != 0)
    return git_failure("cannot create a git repository in " + dir + "; check that the folder is writable",
                       ErrorKind::IoError);
  RepositoryPtr created(raw);  // reopened below through the usual discovery and checks
  return Repository::open(dir);
}

}  // namespace ds::git
