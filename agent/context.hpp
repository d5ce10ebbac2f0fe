// The context builder: the system prompt (prompts/, embedded), and the first
// user message (task, test command, repo overview, repo map, pinned files,
// first test result). Everything here is deterministic for the same inputs,
// so the request prefix is byte-identical across turns and runs.
#pragma once

#include <string>
#include <vector>

#include "agent/config/run_config.hpp"
#include "edit/edit_types.hpp"

namespace ds::agent {

// What the system prompt is built from. It names only the tools in `tools`
// (the ones the request offers, in their order), each with its line from
// prompts/tool_<name>.md.
struct PromptOptions {
  edit::Format edit_format = edit::Format::SearchReplace;
  std::vector<std::string> tools;  // the offered tools' names
  bool hidden_tests = false;       // standard SWE-bench mode: hidden tests judge the change
  bool collapse = false;           // old tool outputs are collapsed to stubs (context_window.hpp)
};

std::string system_prompt(const PromptOptions& o);

// A compact tree of tracked files within about `max_tokens` tokens: files
// listed under their directory; directories that do not fit are collapsed
// to "dir/ (N files)".
std::string file_tree(const std::vector<std::string>& tracked, size_t max_tokens);

struct PinnedFile {
  std::string path;
  std::string content;  // already numbered for the model
};

struct InitialContext {
  std::string instructions;  // the project instructions' section (instructions.hpp); "" = none
  std::string task;
  std::string test_cmd;  // empty: no tests
  RunMode mode = RunMode::Fix;
  bool reproduce = false;  // --reproduce: the model must prove its fix (set_reproduction)
  std::string tree;
  std::string repo_map;  // empty: none
  std::vector<PinnedFile> pinned;
  std::string first_test_result;
};

std::string initial_user_message(const InitialContext& c);

// The user message that starts a follow-up (`run --continue`), after the
// conversation so far: the new instruction (c.task), the test command's state
// now (the mode is decided again from this run's first test run), and the
// pinned files. The tree and the repo map are not repeated.
std::string follow_up_message(const InitialContext& c);

}  // namespace ds::agent
