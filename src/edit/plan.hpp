// The edit planner: resolves parsed edits (SEARCH/REPLACE blocks or V4A patch
// operations) against the files they name, in memory, into whole new file
// contents plus a result for every block. Nothing is written here; the
// caller turns `changes` into a patch (unified_diff.hpp) and applies it.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "diff/file_change.hpp"
#include "edit/edit_types.hpp"

namespace ds::edit {

// How the planner reads files; paths are repo-relative with '/'.
class FileSource {
 public:
  virtual ~FileSource() = default;
  // The file's bytes; std::nullopt when it does not exist. An Error when the
  // path is unsafe (absolute, '..', .git/, symlink escape), the file is
  // binary, or unreadable; the planner reports that error for the block.
  virtual Result<std::optional<std::string>> read(const std::string& path) = 0;
};

// Reads a work tree on disk with read_repo_file (paths.hpp): no symbolic
// links, no binary files, nothing outside `root`.
class DirectorySource : public FileSource {
 public:
  explicit DirectorySource(std::filesystem::path root) : root_(std::move(root)) {}
  Result<std::optional<std::string>> read(const std::string& path) override;

 private:
  std::filesystem::path root_;
};

// The plan's output: whole contents before and after (diff/file_change.hpp).
using diff::FileChange;

struct BlockResult {
  int index = 0;     // the item's 1-based index in the reply
  std::string path;  // normalised when valid, else as written
  bool applied = false;
  std::string level;    // applied: locate level, or create/append/delete/move
  std::string error;    // failed: names the block and file, says why and what to do
  std::string closest;  // failed: numbered lines of the file near the best partial match
  int line = 0;         // applied: 1-based first line changed; failed: first line of the best
                        // partial match (0 if none), or for a parse error the reply line
  std::string note;     // applied: what the model should know (applied to another file than named)
};

// Failed blocks whose error and closest region a failure report shows in
// full; the others are listed by number only.
inline constexpr size_t kDetailedFailures = 20;

// Failed edits (SEARCH/REPLACE blocks, V4A file sections) after which the
// rest of a reply is not located: those fail with a message asking for them
// in a later reply. A failing block costs a few passes over its file (every
// level is tried, then the diagnosis), so a reply of thousands of failing
// blocks would otherwise cost minutes; blocks that apply cost one pass, and a
// reply of 10,000 of them still applies whole.
inline constexpr size_t kMaxFailedEditsPerReply = 200;

struct EditPlan {
  std::vector<FileChange> changes;   // net effect of every applied block, in first-touch order
  std::vector<BlockResult> results;  // one per item, in index order
  // Items not located at all (after kMaxFailedEditsPerReply failures, or after
  // PlanOptions::stop), by index, and why.
  std::vector<int> not_planned;
  std::string not_planned_why;

  size_t applied() const;
  size_t failed() const;
  // The message to the model: for each failed block why it failed, the
  // closest region, whether the REPLACE text is already present, and which
  // blocks were applied so that only the failed ones are resent. Empty when
  // nothing failed. The no-argument form assumes the applied blocks were
  // written (--partial); pass false when the caller wrote nothing.
  std::string failure_report() const;
  std::string failure_report(bool applied_blocks_written) const;
};

struct PlanOptions {
  // Files a SEARCH/REPLACE block may have meant when it names the wrong one:
  // when SEARCH is not found in the named file (or that file is missing) but
  // matches exactly (or up to trailing whitespace) once across these files,
  // the block is applied there and BlockResult::note says so. For `apply`:
  // the other files named in the same reply; for a run: the files the model
  // read or edited.
  std::vector<std::string> other_candidates;
  // Asked before each edit: a non-empty answer (why: "the run was
  // interrupted") stops planning, and that edit and the rest fail with it.
  std::function<std::string()> stop;
};

// Blocks for the same file apply in order, each against the result of the
// previous one. Failed blocks do not stop later ones. A ParsedEdits' own
// errors (malformed blocks) appear as failed results, keeping their index.
EditPlan plan_edits(const ParsedEdits& edits, FileSource& files, const PlanOptions& opts = {});

}  // namespace ds::edit
