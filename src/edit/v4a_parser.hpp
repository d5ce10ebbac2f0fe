// V4A patch parser (`*** Begin Patch` ... `*** End Patch`, the apply_patch
// format of shared/docs/edit-formats.md section 2), lenient about wrappers
// (shell heredoc, code fence, JSON string, {"input": ...}) and marker spacing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "edit/edit_types.hpp"

namespace ds::edit {

// Parses every patch in `text` (a reply may hold several Begin/End pairs).
// Never fails as a whole: a malformed file section becomes a ParseIssue and
// parsing goes on at the next `*** ... File:` header. Line numbers are those
// of the patch text (of the decoded string when the patch came as JSON).
// Result format: Patch.
ParsedEdits parse_v4a(std::string_view text);

// `*** Begin Patch`, with any spacing, any case, an optional trailing `***`.
bool is_begin_patch_line(std::string_view line);

// True when a line of `s` is a `*** Begin Patch` line.
bool has_begin_patch_line(std::string_view s);

// When `text` is JSON (a string literal, {"input": "..."}, or any JSON value
// holding a string with a `*** Begin Patch` line, such as
// {"command": ["apply_patch", "..."]}), the decoded patch text; else nullopt.
// Lenient: raw newlines inside JSON strings are accepted.
std::optional<std::string> unwrap_json_patch(std::string_view text);

}  // namespace ds::edit
