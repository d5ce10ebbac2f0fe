// Line-number prefixes: the read_file tool shows lines as `cat -n` does (the
// number right-aligned in 6 columns, then a TAB), and models copy those
// prefixes into SEARCH texts and patch context; these helpers add and remove
// them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ds::edit {

// "%6zu\t" + line.
std::string number_line(size_t n, std::string_view line);

// When EVERY non-empty line of `text` carries a number_line prefix and the
// numbers ascend by 1 (empty lines take a number too), removes the prefixes
// and returns true; otherwise leaves `text` unchanged and returns false. A
// line holding only its right-aligned number (the TAB was trimmed away) counts
// as a prefixed empty line when another line carries a full prefix.
bool strip_line_number_prefixes(std::string& text);

// When `line` starts with a number_line prefix, returns its length and sets
// `number`; otherwise returns 0.
size_t line_number_prefix(std::string_view line, size_t& number);

}  // namespace ds::edit
