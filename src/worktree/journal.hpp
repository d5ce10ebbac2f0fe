// The write journal of a run. Before apply_changes replaces or deletes files,
// it appends one line per file to <worktree's git dir>/diffsmith/journal/<run>,
// naming the file and the blob id of the bytes about to be written. The run
// is the checkpoint ref last made through the same git::Repository object
// (git::Repository::journal_ref, set by checkpoint()), so a session journals its
// writes just by making its start checkpoint first.
//
// Why: a run killed (SIGKILL, power cut of the terminal) between two
// checkpoints has written files no checkpoint records. `diffsmith undo` reads
// the journal to know which files the run may have changed, and which
// contents were the run's (anything else there is the user's later work).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "git/repository.hpp"

namespace ds::worktree {

struct JournalEntry {
  std::string path;  // repository-relative
  std::string blob;  // hex blob id of the bytes written; "" for a deletion
};

// The blob id git gives `data` (hex), without storing it.
std::string blob_id_of(std::string_view data);

// Appends `entries` to the journal of repo.journal_ref(), in one write. Does
// nothing when no checkpoint was made through `repo` (e.g. `diffsmith apply`).
Status journal_writes(git::Repository& repo, const std::vector<JournalEntry>& entries);

// The entries recorded for `ref` in this work tree, oldest first; empty when
// there is no journal. A torn last line (killed mid-append) is skipped.
Result<std::vector<JournalEntry>> read_journal(git::Repository& repo, const std::string& ref);

}  // namespace ds::worktree
