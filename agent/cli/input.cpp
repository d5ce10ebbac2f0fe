// Reading a command's input text (agent/cli/input.hpp).
#include "agent/cli/input.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace ds::agent {

bool read_input(const std::string& input, std::istream& in, std::string& text, std::ostream& err) {
  std::stringstream buf;
  if (input == "-") {
    buf << in.rdbuf();
  } else {
    std::ifstream f(input, std::ios::binary);
    if (!f) {
      err << "diffsmith: cannot read edit text from '" << input << "': no such file or not readable\n";
      return false;
    }
    buf << f.rdbuf();
  }
  text = buf.str();
  return true;
}

}  // namespace ds::agent
