// A command's input text: a FILE, or "-" for stdin (apply's edit text, run's
// task and --task-file).
#pragma once

#include <iosfwd>
#include <string>

#include "base/result.hpp"

namespace ds::agent {

// The text of `input`: a path, or "-" for all of `in`. The error names the
// path and why it could not be read.
Result<std::string> read_input(const std::string& input, std::istream& in);

}  // namespace ds::agent
