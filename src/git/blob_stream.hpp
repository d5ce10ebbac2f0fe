// File contents between the work tree and the object database in pieces of
// 64 KiB, so that a file of any size costs a fixed amount of memory: a
// command may leave a file of gigabytes in the work tree, and checkpoints,
// undo and diffs must not read it whole (issue 21). Included only by
// src/git/*.cpp (it speaks git_oid).
#pragma once

#include <git2.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::git {

// Stores the regular file at `abs` as a blob, byte for byte (no eol or ident
// filters), and returns its id; std::nullopt when nothing (or no regular
// file) is there. A file of 1 MiB or more that this process stored before
// and that still has the inode, size and times it had then is not read
// again when it had been last written more than two seconds before that
// read (git's racy-file rule); written less long before, it is hashed
// rather than compressed again.
Result<std::optional<git_oid>> store_file(Repository& repo, const std::string& abs);

// The size of blob `id`, from its object header (the content is not read).
Result<uint64_t> blob_size(Repository& repo, const git_oid& id);

// The first `n` bytes of blob `id` (all of it when shorter), read from a
// stream; "" when the object is packed (libgit2 1.5 streams loose objects
// only), as reading it would mean reading it whole.
Result<std::string> blob_head(Repository& repo, const git_oid& id, size_t n);

// All of blob `id`, read whole: for blobs known to be small (a link's text, a
// file under the diff size limit).
Result<std::string> blob_bytes(Repository& repo, const git_oid& id);

// Whether the regular file at `abs` holds exactly blob `id`: sizes first,
// then a streamed hash.
Result<bool> file_matches_blob(Repository& repo, const std::string& abs, const git_oid& id);

// Replaces `abs` with blob `id` (write_file_atomic_pieces), streamed from the
// object database where the object is loose; a packed one is read whole.
Status write_blob_atomic(Repository& repo, const git_oid& id, const std::string& abs, mode_t mode);

}  // namespace ds::git
