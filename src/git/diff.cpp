// diff_commits: git_diff_tree_to_tree + git_diff_to_buf(GIT_DIFF_FORMAT_PATCH).
#include "git/diff.hpp"

#include "git/handles.hpp"

namespace ds::git {

Result<std::string> diff_commits(Repository& repo, const std::string& from_commit,
                                 const std::string& to_commit) {
  ensure_libgit2();
  auto from = find_tree(repo, from_commit);
  if (!from) return from.error();
  auto to = find_tree(repo, to_commit);
  if (!to) return to.error();

  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 3;
  // SHOW_BINARY: a binary change becomes a "GIT binary patch" that git apply
  // can apply, instead of "Binary files differ", which it cannot.
  opts.flags = GIT_DIFF_SHOW_BINARY;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_tree(&raw, repo.raw(), from->get(), to->get(), &opts) != 0)
    return git_failure("cannot diff " + from_commit + ".." + to_commit);
  DiffPtr diff(raw);
  Buf buf;
  if (git_diff_to_buf(&buf.buf, raw, GIT_DIFF_FORMAT_PATCH) != 0)
    return git_failure("cannot format the diff " + from_commit + ".." + to_commit);
  return buf.str();
}

}  // namespace ds::git
