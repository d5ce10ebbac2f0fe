// Plain file-system helpers for every file diffsmith writes (the work tree's
// files, checkpoints restored, runs' records, batch outputs, reports): raw
// reads, atomic replacement (temp file + rename in the same folder), folders.
// Errors carry FileErrorKind::IoError.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace ds {

// The file's bytes, std::nullopt when it does not exist. No filters, no checks.
Result<std::optional<std::string>> read_file_raw(const std::string& abs_path);

// Replaces `abs_path` with `data` atomically: a temporary file in the same
// folder (".<name>.diffsmith-XXXXXX"), chmod `mode`, rename over the target.
// Readers never see a partial file, and a process killed at any moment leaves
// either the old or the new file (plus, at worst, the temporary file).
// The one temp-and-rename helper of the code base: use it for every file
// diffsmith replaces.
//
// Test hook: with DIFFSMITH_TEST_KILL_AT_WRITE=N in the environment, the
// process sends itself SIGKILL in the middle of its Nth call (half of the
// bytes in the temporary file), as a crash or `kill -9` would.
Status write_file_atomic(const std::string& abs_path, std::string_view data, mode_t mode);

// write_file_atomic for data that comes in pieces (a big blob streamed from
// the object database): `next` is called until it returns an empty piece or
// an error; on an error the temporary is removed and the target untouched.
// The test hook kills halfway through the first piece.
using Pieces = std::function<Result<std::string_view>()>;
Status write_file_atomic_pieces(const std::string& abs_path, const Pieces& next, mode_t mode);

// The leftover temporary files of write_file_atomic(abs_path, …) (from a
// process that was killed while writing), as absolute paths.
std::vector<std::string> leftover_temporaries(const std::string& abs_path);

// Replaces `abs_path` with a symbolic link to `target`, atomically.
Status write_symlink_atomic(const std::string& abs_path, const std::string& target);

// Creates the folders leading to root/rel (not rel itself). Errors when one of
// them exists as something other than a folder. The folders it made are
// appended to `created` (outermost first) when given; on failure the ones it
// made are removed again, so a failed create leaves no empty folders behind.
Status make_parent_dirs(const std::string& root, const std::string& rel,
                        std::vector<std::string>* created = nullptr);

// Removes the folders make_parent_dirs created (innermost first) as long as
// they are empty.
void remove_created_dirs(const std::vector<std::string>& created);

// True when every folder leading to root/rel exists as a real folder (no
// symbolic link to follow out of the tree).
bool parents_are_real_dirs(const std::string& root, const std::string& rel);

// Removes the now-empty folders above root/rel, bottom up, stopping at root.
void remove_empty_parents(const std::string& root, const std::string& rel);

// What git would create: 0666 or 0777 minus the process umask.
mode_t new_file_mode(bool executable);

// Writes all of `data` to `fd`, retrying interrupted and short writes; false
// on an error (errno says which).
bool write_all_fd(int fd, std::string_view data);

}  // namespace ds
