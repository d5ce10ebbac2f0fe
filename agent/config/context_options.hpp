// The options of what the model is shown beyond the task: project
// instructions (AGENTS.md) and the collapse of old tool outputs. Here, in the
// config layer, so RunConfig can carry them; the loop's context_window.hpp and
// instructions.hpp act on them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ds::agent {

// Project instructions (AGENTS.md): --no-instructions, instructions-bytes.
struct InstructionOptions {
  bool enabled = true;         // --no-instructions: false
  uint64_t max_bytes = 32768;  // the cap on all files together
  std::string user_file;       // the user's AGENTS.md; "" = none
  std::string cwd;             // the working directory (-C), absolute; "" = the repository root
};

// The user's own AGENTS.md: $XDG_CONFIG_HOME/diffsmith/AGENTS.md, else
// ~/.config/diffsmith/AGENTS.md; "" when neither variable is set.
std::string user_instructions_path();

// Collapsing tool outputs older than the newest turns: keep-turns,
// collapse-block, context-tokens.
struct CollapseOptions {
  bool enabled = true;
  int keep_turns = 6;      // K: the newest turns always shown whole
  int block_turns = 4;     // B: turns collapsed at once
  size_t max_tokens = 0;   // ceiling on the estimated request (0: none)
  size_t min_bytes = 400;  // shorter outputs are kept: a stub would save nothing
};

}  // namespace ds::agent
