// A lenient JSON reader that only extracts strings (ds_edit does not link
// ds_json): how a patch sent as a JSON value is unwrapped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ds::edit {

// The string values (not keys) of one JSON document, in order; the top-level
// "input" member when it is a string; whether the document is one string.
// Raw control characters inside strings are accepted: models write literal
// newlines. std::nullopt when `text` is not one JSON document.
struct JsonStringValues {
  std::vector<std::string> strings;
  std::optional<std::string> input;
  bool top_is_string = false;
};
std::optional<JsonStringValues> json_string_values(std::string_view text);

}  // namespace ds::edit
