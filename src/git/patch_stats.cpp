// Per-file line counts of a patch, from libgit2's own patch parser.
#include "git/patch_stats.hpp"

#include "git/handles.hpp"

namespace ds::git {

namespace {
using PatchPtr = Handle<git_patch, git_patch_free>;
}

Result<std::vector<FileStat>> patch_stats(std::string_view patch) {
  std::vector<FileStat> out;
  if (patch.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  ensure_libgit2();
  git_diff* raw = nullptr;
  if (git_diff_from_buffer(&raw, patch.data(), patch.size()) != 0)
    return git_failure("cannot parse the text as a `diff --git` patch", ErrorKind::ApplyFailed);
  DiffPtr diff(raw);
  size_t n = git_diff_num_deltas(diff.get());
  for (size_t i = 0; i < n; ++i) {
    git_patch* p = nullptr;
    if (git_patch_from_diff(&p, diff.get(), i) != 0) return git_failure("cannot read a file of the patch");
    PatchPtr owned(p);
    const git_diff_delta* d = git_patch_get_delta(p);
    FileStat s;
    const char* path = d->new_file.path;
    if (d->status == GIT_DELTA_DELETED || !path) path = d->old_file.path;
    s.path = path ? path : "";
    if (git_patch_line_stats(nullptr, &s.added, &s.removed, p) != 0)
      return git_failure("cannot count the lines of " + s.path);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ds::git
