// SEARCH/REPLACE block parser (shared/docs/edit-formats.md, section 1): finds
// Aider-style blocks in a whole model reply, leniently, and turns malformed
// blocks into ParseIssues that quote the offending line.
#pragma once

#include <string>
#include <string_view>

#include "edit/edit_types.hpp"

namespace ds::edit {

// Parses every SEARCH/REPLACE block of `text`. Commentary outside blocks is
// ignored. Never fails as a whole: a malformed block becomes a ParseIssue and
// parsing goes on with the next `<<<<<<< SEARCH`. Result format: SearchReplace.
ParsedEdits parse_search_replace(std::string_view text);

// Marker lines: 5 to 9 marker characters, surrounding spaces allowed,
// SEARCH/REPLACE words in any case.
bool is_search_marker(std::string_view line);   // <<<<<<< SEARCH
bool is_divider_marker(std::string_view line);  // =======
bool is_replace_marker(std::string_view line);  // >>>>>>> REPLACE

// The file path a line names when it stands alone before a block
// ("src/app.py", "**src/app.py**", "`src/app.py`:", "# src/app.py",
// "Makefile"); "" when the line is commentary, code or `...`.
std::string path_from_line(std::string_view line);

}  // namespace ds::edit
