// diffsmith's entry point: hands argv to the command table (agent/cli.cpp).
#include "agent/cli.hpp"

int main(int argc, char** argv) { return ds::agent::main_cli(argc, argv); }
