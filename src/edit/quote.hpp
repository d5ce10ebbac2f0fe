// Quoting a line of the model's text in a parser's issue message.
#pragma once

#include <string>
#include <string_view>

namespace ds::edit {

// `line` in single quotes for an issue text, shortened when very long.
std::string quote_line(std::string_view line);

}  // namespace ds::edit
