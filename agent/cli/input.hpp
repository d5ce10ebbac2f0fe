// A command's input text: a FILE, or "-" for stdin (apply's edit text, run's
// --task-file).
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

// Reads `input` (a path, or "-" for `in`) into `text`. On failure prints
// what could not be read on `err` and returns false.
bool read_input(const std::string& input, std::istream& in, std::string& text, std::ostream& err);

}  // namespace ds::agent
