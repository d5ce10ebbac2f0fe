// `diffsmith parse`: reads edit text (SEARCH/REPLACE blocks or a V4A patch)
// and lists what the parsers found, touching no repository.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct ParseCommandOptions {
  std::string input = "-";      // a file, or "-" for the input stream
  std::string format = "auto";  // auto | search-replace | patch
  bool json = false;            // one JSON object instead of a readable listing
};

// Exit codes: 0 everything parsed (zero blocks is fine), 1 a block is
// malformed, 2 usage error (bad --format, unreadable input).
int run_parse_command(const ParseCommandOptions& o, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
