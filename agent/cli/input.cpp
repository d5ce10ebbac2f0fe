// Reading a command's input text (agent/cli/input.hpp).
#include "agent/cli/input.hpp"

#include <iostream>
#include <sstream>

#include "base/file_io.hpp"

namespace ds::agent {

Result<std::string> read_input(const std::string& input, std::istream& in) {
  if (input != "-") return read_whole_file(input);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace ds::agent
