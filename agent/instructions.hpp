// Project instructions: AGENTS.md files, text the model reads in its first
// message. The user's own ($XDG_CONFIG_HOME/diffsmith/AGENTS.md, else
// ~/.config/diffsmith/AGENTS.md) first, then the repository's from its root
// down to the working directory, so nearer files come later and take
// precedence. Only when the repository has no AGENTS.md on that path are
// .github/copilot-instructions.md (at the root) and CLAUDE.md (root down to
// the working directory) read instead.
//
// The total is capped (instructions-bytes): nearer files are given room
// first; a file that does not fit is cut at a line end, or left out, and the
// text says so. A repository's file is text only: nothing in it is ever
// read as a setting. Symbolic links, non-regular files and binary files are
// skipped (a link could show the model a file outside the repository).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agent/config/context_options.hpp"

namespace ds::agent {

struct InstructionFile {
  std::string path;       // as shown: repository-relative, or ~/… for the user's
  uint64_t bytes = 0;     // its size
  uint64_t included = 0;  // bytes the model reads (< bytes: cut; 0: left out)
  std::string skipped;    // why it was not read at all ("a symbolic link" …); "" = read
};

struct Instructions {
  std::vector<InstructionFile> files;  // in the order the model reads them
  std::string text;                    // the first message's section; "" = none
  // One line naming the files and sizes, and what was cut ("" = none).
  std::string summary() const;
};

// Reads the instruction files of the repository at `root` (see above).
Instructions load_instructions(const std::string& root, const InstructionOptions& o);

}  // namespace ds::agent
