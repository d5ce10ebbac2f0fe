// `diffsmith apply`: like `git apply`, for SEARCH/REPLACE blocks and V4A patches.
#pragma once

#include <iosfwd>
#include <string>

namespace ds::agent {

struct ApplyCommandOptions {
  std::string input = "-";  // FILE or "-" for stdin
  std::string dir = ".";
  std::string format = "auto";
  bool dry_run = false;
  bool partial = false;
  bool json = false;
};

// Exit: 0 all blocks applied; 1 one or more failed; 2 usage error or
// unreadable input; 4 not a git repository.
int run_apply_command(const ApplyCommandOptions& o, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace ds::agent
