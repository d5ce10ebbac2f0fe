// The patch between two commits (typically two checkpoints: the run's start
// and its end), in the `diff --git` format that `git apply` and SWE-bench's
// harness accept; and the two forms of it that people and records see, where
// binary files and files over a size limit are named, never shown
// (edit/diff_limits.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "diff/diff_limits.hpp"
#include "git/repository.hpp"

namespace ds::git {

// `git diff from to`: full-index `diff --git` patch with 3 lines of context,
// new/deleted files, mode changes, and binary files as "GIT binary patch"
// hunks. Either side may be any revision (hex id, ref, "HEAD"); "" is the
// empty tree. Empty when the trees are equal. Reads every changed file whole:
// for applying, not for showing (diff_for_display).
Result<std::string> diff_commits(Repository& repo, const std::string& from_commit,
                                 const std::string& to_commit);

struct LimitedDiff {
  std::string text;                        // the notes of `omitted`, then the `diff --git` sections
  std::vector<std::string> shown;          // the paths that have a section, in order
  std::vector<diff::OmittedFile> omitted;  // binary files and files over the limit
};

// What a change looks like to people (diff events, the screen, the run
// records, `diffsmith show`): diff_commits' text for the files it shows
// (modes and links included), and one note line ("...; not shown") for each
// binary file and each file over `max_file_size`. A file over the limit is
// never read; the others at most once.
Result<LimitedDiff> diff_for_display(Repository& repo, const std::string& from_commit,
                                     const std::string& to_commit, uint64_t max_file_size);

// The run's patch: from..to for `paths` only (paths the same on both sides
// are skipped), each section written by diff::unified_diff_file, so that
// it applies with `git apply` and `patch -p1`. Binary files and files over
// `max_file_size` are left out, each named by a note line ("...; left out
// of this patch") at the top.
Result<LimitedDiff> patch_of_paths(Repository& repo, const std::string& from_commit,
                                   const std::string& to_commit, const std::vector<std::string>& paths,
                                   uint64_t max_file_size);

}  // namespace ds::git
