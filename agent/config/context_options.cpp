// user_instructions_path: where the user's own AGENTS.md lives.
#include "agent/config/context_options.hpp"

#include <cstdlib>

namespace ds::agent {

std::string user_instructions_path() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/diffsmith/AGENTS.md";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/diffsmith/AGENTS.md";
  return "";
}

}  // namespace ds::agent
