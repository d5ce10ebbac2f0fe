// diffsmith's entry point: makes the process non-dumpable (every command,
// run and batch alike, may hold the API key), then hands argv to the command
// table (agent/cli/cli.cpp).
#include <sys/prctl.h>

#include "agent/cli/cli.hpp"

int main(int argc, char** argv) {
  // The key lives in this process (its environment, request headers): a core
  // dump would carry it (and land in the work tree with the default
  // core_pattern), and a test command, which the model writes, could read it
  // from /proc/<pid>/environ or ptrace us. A non-dumpable process allows
  // neither; children get their own dumpable state back at exec.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  return ds::agent::main_cli(argc, argv);
}
