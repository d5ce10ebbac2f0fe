// Naming a program and its words for /bin/sh: where a program is on PATH,
// and a string quoted as one shell word.
#pragma once

#include <string>
#include <string_view>

namespace ds::exec {

// The path of program `name` on PATH (or `name` itself when it holds a '/'
// and is executable); "" when there is none.
std::string find_program(const std::string& name);

// `s` as one word for /bin/sh: 'a'\''b'.
std::string shell_quote(std::string_view s);

}  // namespace ds::exec
