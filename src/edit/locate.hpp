// The locator: finds where a block of lines (a SEARCH text, or a V4A chunk's
// context) sits in a file's lines, from the strictest level of matching to
// the loosest, and explains failures with the closest region of the file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ds::edit {

using Lines = std::vector<std::string>;           // lines without their endings
using LineViews = std::vector<std::string_view>;  // the same, viewing storage kept elsewhere

LineViews as_views(const Lines& lines);

// Level names, strictest first, as reported in BlockResult::level.
inline constexpr const char* kLevelExact = "exact";
inline constexpr const char* kLevelWhitespace = "whitespace";        // trailing whitespace, CRLF
inline constexpr const char* kLevelIndentation = "indentation";      // consistent leading indent
inline constexpr const char* kLevelBlankLines = "blank-lines";       // spurious first/last blank line
inline constexpr const char* kLevelUnicode = "unicode";              // punctuation folded
inline constexpr const char* kLevelElision = "elision";              // `...` lines skip file lines
inline constexpr const char* kLevelTrim = "surrounding-whitespace";  // V4A only
inline constexpr const char* kLevelPrefix = "prefix";                // V4A scope lines only

struct Located {
  enum class Status { Found, NotFound, Ambiguous };
  Status status = Status::NotFound;
  std::string level;               // Found / Ambiguous: the level that decided
  size_t start = 0;                // Found: first file line replaced (0-based)
  size_t count = 0;                // Found: how many file lines are replaced
  Lines replacement;               // Found: the lines that take their place
  std::vector<size_t> candidates;  // Ambiguous: 1-based first lines (at most 20)
  std::string note;                // NotFound: why a loose level did not apply
  bool found() const { return status == Status::Found; }
};

// Locates `search` (non-empty) in `file` and computes the lines replacing the
// match. Lines carry no endings, so a CRLF file matches an LF SEARCH exactly. Levels, strictest first: exact;
// whitespace (trailing whitespace ignored); indentation (a consistent leading-indent difference; REPLACE is
// re-indented by it, keeping relative indentation); blank-lines (a blank first
// and/or last line dropped from SEARCH, and from REPLACE when blank there
// too); unicode (punctuation folded, then the levels above); elision (`...`
// lines in SEARCH and REPLACE, same count, stand for unchanged file lines).
// The first level with any match decides: one match is Found, more are
// Ambiguous. Replacement lines that repeat a SEARCH line verbatim keep the
// file's own line, so loose matching never rewrites untouched lines.
// Cost: a few linear passes over `file`, more only when nothing is found.
Located locate_block(const LineViews& file, const Lines& search, const Lines& replace);
inline Located locate_block(const Lines& file, const Lines& search, const Lines& replace) {
  return locate_block(as_views(file), search, replace);
}

// The best partial match of `search` in `file`, to show the model: `line` is
// the 1-based line where the match would start (0 when the file is empty),
// `text` holds up to `max_lines` lines around it, each numbered as read_file
// shows them. Bounded cost: one hashed pass over the file (lines that occur
// very often are ignored), plus a bigram-similarity pass when no line of
// `search` occurs in the file at all.
struct ClosestRegion {
  size_t line = 0;
  size_t first = 0, last = 0;  // 1-based range shown
  std::string text;
};
ClosestRegion closest_region(const LineViews& file, const Lines& search, size_t max_lines = 40);
inline ClosestRegion closest_region(const Lines& file, const Lines& search, size_t max_lines = 40) {
  return closest_region(as_views(file), search, max_lines);
}

// V4A: the first position >= `from` where `needle` (non-empty) matches, trying
// exact, then trailing whitespace ignored, then surrounding whitespace
// ignored, then punctuation folded. With `at_end`, the position that puts
// the needle at the very end of the file is tried first at each level.
struct Seek {
  bool found = false;
  size_t pos = 0;
  std::string level;
};
Seek seek_forward(const LineViews& file, const Lines& needle, size_t from, bool at_end = false);
inline Seek seek_forward(const Lines& file, const Lines& needle, size_t from, bool at_end = false) {
  return seek_forward(as_views(file), needle, from, at_end);
}

// V4A `@@` scope lines: the first line >= `from` equal to `line` (same
// levels), else the first whose trimmed text starts with the trimmed `line`
// (models drop the trailing `:` or `{`), preferring a whole-word prefix.
Seek seek_line_forward(const LineViews& file, std::string_view line, size_t from);
inline Seek seek_line_forward(const Lines& file, std::string_view line, size_t from) {
  return seek_line_forward(as_views(file), line, from);
}

// True for a line that is only `...` (or `…`), an elision marker.
bool is_elision_line(std::string_view line);

}  // namespace ds::edit
