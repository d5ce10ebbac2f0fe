// `diffsmith map [-C DIR] [--tokens N] [--stats] [--ctags] [--no-cache] [TERMS…]`:
// prints the repository map for the given task terms, for users and for
// debugging what the model is shown.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace ds::agent {

struct MapCommandOptions {
  std::string dir = ".";
  size_t tokens = 4096;
  std::vector<std::string> terms;  // task text or identifiers / paths
  std::vector<std::string> focus;  // files to boost as if pinned
  bool stats = false;              // timing and counts on `err`
  bool ctags = false;              // definitions from universal-ctags
  bool no_cache = false;           // neither read nor write the tag cache
};

// The map goes to `out`, stats and errors to `err`. Exit codes: 0 ok,
// 2 bad usage (DIR missing), 4 not a git repository / repository error.
int run_map_command(const MapCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
