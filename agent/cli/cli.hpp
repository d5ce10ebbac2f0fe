// The command-line front end: one table of subcommands, each parsed with
// CLI11 here and dispatched to its own agent/cli/<command>.cpp function.
#pragma once

namespace ds::agent {
int main_cli(int argc, char** argv);
}
