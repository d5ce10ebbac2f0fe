// The parsed forms of the two edit formats (see shared/docs/edit-formats.md).
// Parsers (search_replace_parser, v4a_parser) produce these; the planner
// (plan.hpp) resolves them against file contents.
#pragma once

#include <string>
#include <vector>

namespace ds::edit {

enum class Format { Auto, SearchReplace, Patch };

// One SEARCH/REPLACE block. `search` and `replace` hold the texts exactly as
// they will be located: LF line endings, every line ending in "\n" (an empty
// text is ""). An empty `search` creates the file, or appends to it.
struct SearchReplaceBlock {
  int index = 0;  // 1-based position among all items of the reply
  int line = 0;   // 1-based line of the edit text where the block starts
  std::string path;
  std::string search;
  std::string replace;
};

// V4A (`*** Begin Patch`) structures.
enum class PatchOpKind { Add, Update, Delete };

struct PatchLine {
  char kind = ' ';   // ' ' context, '-' removed, '+' added
  std::string text;  // without the marker and without a line ending
};

struct PatchChunk {
  int line = 0;                     // 1-based line of the chunk's first line
  std::vector<std::string> scopes;  // text after each `@@` (may be empty)
  std::vector<PatchLine> lines;
  bool end_of_file = false;  // `*** End of File`: anchor at the end
};

struct PatchOp {
  int index = 0;  // 1-based position among all items of the reply
  int line = 0;   // 1-based line of the `*** ... File:` header
  PatchOpKind op = PatchOpKind::Update;
  std::string path;
  std::string move_to;             // Update only; empty when not moved
  std::vector<PatchChunk> chunks;  // Update only
  std::string content;             // Add only: the new file text, LF, final "\n"
};

// A malformed block: where parsing stopped, and why (quoting what was found
// and what was expected there).
struct ParseIssue {
  int index = 0;
  int line = 0;
  std::string error;
};

struct ParsedEdits {
  Format format = Format::SearchReplace;   // the format actually parsed
  std::vector<SearchReplaceBlock> blocks;  // format == SearchReplace
  std::vector<PatchOp> ops;                // format == Patch
  std::vector<ParseIssue> errors;
  size_t item_count() const { return blocks.size() + ops.size() + errors.size(); }
};

inline const char* op_name(PatchOpKind k) {
  return k == PatchOpKind::Add ? "add" : k == PatchOpKind::Delete ? "delete" : "update";
}

}  // namespace ds::edit
