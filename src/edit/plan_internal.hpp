// Internals shared by the planner's units (plan.cpp, plan_sr.cpp,
// plan_v4a.cpp): files as editable lines, and the workspace of files one
// reply touches. Not for use outside src/edit.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edit/locate.hpp"
#include "edit/plan.hpp"
#include "text/lines.hpp"

namespace ds::edit::detail {

enum class LineEnd : uint8_t { None, Lf, Crlf };

// A file as lines plus each line's own ending, so that untouched lines are
// written back byte for byte; new lines get the file's dominant ending.
// Lines are views into storage that only grows and is shared by copies, so
// parsing allocates nothing per line and a splice moves 16-byte views.
// A UTF-8 byte order mark is kept aside (`bom`), so that an edit of the
// first line neither matches against it nor drops it.
struct FileLines {
  LineViews lines;
  std::vector<LineEnd> ends;
  text::Eol eol = text::Eol::Lf;
  bool bom = false;
  std::shared_ptr<std::deque<std::string>> storage = std::make_shared<std::deque<std::string>>();

  static FileLines parse(std::string_view content);
  std::string join() const;
  // Replaces lines [start, start+count) by `replacement`. A file whose last
  // line had no newline still has none afterwards (V4A adds one separately).
  void splice(size_t start, size_t count, Lines replacement);
  void ensure_final_newline();
  LineEnd new_end() const { return eol == text::Eol::Crlf ? LineEnd::Crlf : LineEnd::Lf; }
};

struct FileState {
  std::optional<std::string> original;      // as read; nullopt = did not exist
  std::optional<Error> read_error;          // the source refused the file
  std::optional<FileLines> current;         // nullopt = does not exist now
  std::optional<FileLines> original_lines;  // split on demand, for diagnostics
  std::vector<int> applied_blocks;          // indexes of blocks applied to it

  const FileLines* original_split();  // nullptr when it did not exist
};

// The files of one reply, each read once on first use.
class Workspace {
 public:
  Workspace(FileSource& source, std::vector<std::string> other_candidates)
      : other_candidates(std::move(other_candidates)), source_(source) {}
  FileState& file(const std::string& path);  // `path` already normalised
  std::vector<FileChange> changes() const;

  // Whether a failure gets the costly diagnosis (the closest region, one
  // pass over the file). Only the first kDetailedFailures of a reply do:
  // the report shows no more (EditPlan::failure_report), and a reply with
  // thousands of failing blocks must not cost thousands of file scans.
  bool diagnose_failure() { return ++diagnosed_ <= kDetailedFailures; }

  std::vector<std::string> other_candidates;  // PlanOptions::other_candidates, normalised

 private:
  size_t diagnosed_ = 0;
  FileSource& source_;
  std::map<std::string, FileState> files_;
  std::vector<std::string> order_;
};

inline constexpr std::string_view kBom = "\xEF\xBB\xBF";

// `s` without a leading byte order mark (models copy it from a file's first line).
inline std::string_view without_bom(std::string_view s) {
  return s.substr(0, kBom.size()) == kBom ? s.substr(kBom.size()) : s;
}

// "Block 3 (src/app.py)": how errors name a block.
std::string block_name(int index, std::string_view what);

BlockResult plan_search_replace(const SearchReplaceBlock& block, Workspace& ws);
BlockResult plan_patch_op(const PatchOp& op, Workspace& ws);

}  // namespace ds::edit::detail
