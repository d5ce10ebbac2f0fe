// Entry points of the edit-text parsers: format detection and dispatch to the
// SEARCH/REPLACE or V4A parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "edit/edit_types.hpp"
#include "edit/search_replace_parser.hpp"
#include "edit/v4a_parser.hpp"

namespace ds::edit {

// Patch when a V4A `*** Begin Patch` marker line (lenient forms, also inside
// a JSON-wrapped patch) comes before any `<<<<<<< SEARCH` line; else
// SearchReplace.
Format detect_format(std::string_view text);

// Parses `text` in format `f` (Auto: detect_format). Never fails as a whole;
// see ParsedEdits::errors.
ParsedEdits parse_edits(std::string_view text, Format f = Format::Auto);

// "search-replace", "patch" or "auto".
const char* format_name(Format f);

}  // namespace ds::edit
