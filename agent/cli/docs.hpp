// A plain description of the command table (commands, their options and help
// texts), read from the CLI11 parser in agent/cli/cli.cpp, and the generators that
// turn it into shell completions (bash, zsh, fish) and the man page. Both are
// produced by the built binary itself, so they cannot drift from the parser.
#pragma once

#include <string>
#include <vector>

namespace ds::agent {

struct OptionDoc {
  std::vector<std::string> names;    // as typed: "-t", "--test"; a positional has its NAME only
  std::string value_name;            // "" for a flag; e.g. "TURNS", "FILE"
  std::vector<std::string> choices;  // fixed values, when the help text starts "a | b | c"
  std::string help;
  bool repeatable = false;
  bool positional = false;
};

struct CommandDoc {
  std::string name, description;
  std::vector<OptionDoc> options;  // positionals first, in order, then options
};

struct CliDoc {
  std::string version;
  std::vector<OptionDoc> global_options;
  std::vector<CommandDoc> commands;
};

// The values an option's help text lists up front ("auto | search-replace |
// patch [default: auto]" gives {auto, search-replace, patch}); empty otherwise.
std::vector<std::string> choices_from_help(const std::string& help);

std::string bash_completion(const CliDoc& doc);
std::string zsh_completion(const CliDoc& doc);
std::string fish_completion(const CliDoc& doc);

// The man page (roff, section 1).
std::string man_page(const CliDoc& doc);

}  // namespace ds::agent
