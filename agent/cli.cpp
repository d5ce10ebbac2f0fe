// Placeholder front end until the command table lands.
#include "agent/cli.hpp"

#include <cstdio>

namespace ds::agent {
int main_cli(int, char**) {
  std::puts("diffsmith " DIFFSMITH_VERSION);
  return 0;
}
}  // namespace ds::agent
