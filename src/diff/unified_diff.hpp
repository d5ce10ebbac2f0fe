// An exact git-style patch for whole-file changes: what libgit2's git_apply
// and `git apply` accept (libgit2 applies hunks only at their exact line
// numbers, so every number here is computed, never guessed).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diff/file_change.hpp"

namespace ds::diff {

// One `diff --git` section per change whose before and after differ:
// `new file mode 100644` / `deleted file mode 100644` for creations and
// deletions, `--- /dev/null` / `+++ /dev/null`, hunks with true counts and
// `context` lines of context, `\ No newline at end of file` where a side's
// last line has no newline. Lines are copied byte for byte (CRLF stays CRLF).
// Paths with spaces, quotes, backslashes or control characters are C-quoted
// (git's quoting; spaces too, for libgit2's sake). Modes are always 100644 (FileChange carries no mode).
std::string unified_diff(const std::vector<FileChange>& changes, int context = 3);

// A path as a `diff --git` header writes it, after `prefix` ("a/", "b/",
// or "" for the path alone): C-quoted when it holds a space, a quote, a
// backslash or a control character.
std::string header_path(std::string_view prefix, std::string_view path);

// The section for one change ("" when before == after).
std::string unified_diff_file(const FileChange& change, int context = 3);

}  // namespace ds::diff
