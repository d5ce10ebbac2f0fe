// Format detection and dispatch to the SEARCH/REPLACE or V4A parser.
#include "edit/parse.hpp"

#include "text/lines.hpp"

namespace ds::edit {

Format detect_format(std::string_view text) {
  if (std::optional<std::string> inner = unwrap_json_patch(text))
    if (has_begin_patch_line(*inner)) return Format::Patch;
  for (const std::string& line : text::split_lines(text)) {
    if (is_begin_patch_line(line)) return Format::Patch;
    if (is_search_marker(line)) return Format::SearchReplace;
  }
  return Format::SearchReplace;
}

ParsedEdits parse_edits(std::string_view text, Format f) {
  if (f == Format::Auto) f = detect_format(text);
  return f == Format::Patch ? parse_v4a(text) : parse_search_replace(text);
}

const char* format_name(Format f) {
  switch (f) {
    case Format::Auto:
      return "auto";
    case Format::SearchReplace:
      return "search-replace";
    case Format::Patch:
      return "patch";
  }
  return "auto";
}

}  // namespace ds::edit
