// System prompt and first user message.
#include "agent/context.hpp"

#include <algorithm>
#include <map>

#include "agent/embedded.hpp"
#include "text/tokens.hpp"

namespace ds::agent {

namespace {

// prompts/<name> without its final newline(s).
std::string part(const std::string& name) {
  std::string s(prompt(name));
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

void fill(std::string& text, const std::string& marker, const std::string& with) {
  if (auto pos = text.find(marker); pos != std::string::npos) text.replace(pos, marker.size(), with);
}

}  // namespace

std::string system_prompt(const PromptOptions& o) {
  std::string sys(prompt("system.md"));
  bool tests = std::find(o.tools.begin(), o.tools.end(), "run_tests") != o.tools.end();
  std::string tools;
  for (const auto& name : o.tools) {
    std::string line = part("tool_" + name + ".md");
    if (!line.empty()) tools += (tools.empty() ? "" : "\n") + line;
  }
  fill(sys, "{{TESTING}}", part(tests ? "testing_tests.md" : "testing_no_tests.md"));
  fill(sys, "{{HIDDEN_TESTS}}", o.hidden_tests ? part("hidden_tests.md") + "\n" : "");
  fill(sys, "{{TOOLS}}", tools);
  fill(sys, "{{COLLAPSE}}", o.collapse ? part("collapse.md") + "\n" : "");
  fill(sys, "{{EDIT_FORMAT}}",
       part(o.edit_format == edit::Format::Patch ? "edit_patch.md" : "edit_search_replace.md"));
  while (!sys.empty() && sys.back() == '\n') sys.pop_back();
  return sys;
}

namespace {

struct Dir {
  std::vector<std::string> files;
  std::map<std::string, Dir> dirs;
  size_t total = 0;
};

void insert(Dir& root, const std::string& path) {
  Dir* d = &root;
  ++d->total;
  size_t start = 0;
  for (size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1) {
    d = &d->dirs[path.substr(start, slash - start)];
    ++d->total;
  }
  d->files.push_back(path.substr(start));
}

// Renders `d` with full listing down to `depth`, collapsing deeper dirs.
void render(const Dir& d, const std::string& indent, int depth, std::string& out) {
  for (const auto& [name, sub] : d.dirs) {
    if (depth <= 0) {
      out += indent + name + "/ (" + std::to_string(sub.total) + " files)\n";
      continue;
    }
    out += indent + name + "/\n";
    render(sub, indent + "  ", depth - 1, out);
  }
  if (d.files.empty()) return;
  std::string line = indent;
  for (const auto& f : d.files) {
    if (line.size() > indent.size() && line.size() + f.size() > 100) {
      out += line + "\n";
      line = indent;
    }
    if (line.size() > indent.size()) line += "  ";
    line += f;
  }
  out += line + "\n";
}

}  // namespace

std::string file_tree(const std::vector<std::string>& tracked, size_t max_tokens) {
  Dir root;
  for (const auto& p : tracked) insert(root, p);
  // The deepest full listing that fits the budget.
  std::string best;
  for (int depth = 0; depth < 32; ++depth) {
    std::string out;
    render(root, "", depth, out);
    if (depth > 0 && text::estimate_tokens(out) > max_tokens) break;
    best = std::move(out);
    if (best.find(" files)\n") == std::string::npos) break;  // nothing collapsed
  }
  return best;
}

std::string initial_user_message(const InitialContext& c) {
  std::string m = c.instructions;
  m += "# Task\n\n" + c.task + "\n\n";
  switch (c.mode) {
    case RunMode::Fix:
      m += "# Test command\n\n`" + c.test_cmd +
           "`, run from the repository root. It fails now; the task is solved when it passes.\n\n";
      break;
    case RunMode::Change:
      m += "# Test command\n\n`" + c.test_cmd +
           "`, run from the repository root. It passes now, so passing tests do not mean the task is done: "
           "make "
           "the whole change the task asks for, keep the tests passing, then call finish.\n\n";
      break;
    case RunMode::Untested:
      m += "# Tests\n\nNo test command is configured for this run. Check your change by reading the code; "
           "call "
           "finish with a summary when the whole task is done.\n\n";
      break;
  }
  if (c.reproduce)
    m +=
        "# Proof\n\nThis run must prove its fix. First write a test or script that fails because of the "
        "issue, and call set_reproduction with the command that runs it and its files: it is run on the "
        "unchanged code plus only those files and must fail there. Then fix the code. The run is solved when "
        "the reproduction passes on your changed code and no test that passed before fails. The "
        "reproduction's "
        "files are not part of the final patch.\n\n";
  m += "# Repository files (tracked)\n\n" + c.tree + "\n";
  if (!c.repo_map.empty()) m += "# Repo map (most relevant definitions)\n\n" + c.repo_map + "\n";
  for (const auto& p : c.pinned) m += "# File " + p.path + "\n\n" + p.content + "\n";
  if (c.mode != RunMode::Untested)
    m += "# Current test result (before any change)\n\n" + c.first_test_result + "\n\n";
  switch (c.mode) {
    case RunMode::Fix:
      m += "Now solve the task: investigate with the tools, edit the files, and make the test command pass.";
      break;
    case RunMode::Change:
      m +=
          "Now do the task: investigate with the tools, edit the files, and call finish when it is complete.";
      break;
    case RunMode::Untested:
      m += "Now do the task: investigate with the tools, edit the files, then call finish.";
      break;
  }
  return m;
}

std::string follow_up_message(const InitialContext& c) {
  std::string m = "# Follow-up\n\n" + c.task + "\n\n";
  switch (c.mode) {
    case RunMode::Fix:
      m += "# Test command\n\n`" + c.test_cmd + "` fails now; this follow-up is solved when it passes.\n\n";
      break;
    case RunMode::Change:
      m += "# Test command\n\n`" + c.test_cmd +
           "` passes now, so passing tests do not mean the follow-up is done: make the whole change it asks "
           "for, keep the tests passing, then call finish.\n\n";
      break;
    case RunMode::Untested:
      m += "# Tests\n\nNo test command is configured for this run; call finish with a summary when the "
           "follow-up is done.\n\n";
      break;
  }
  for (const auto& p : c.pinned) m += "# File " + p.path + "\n\n" + p.content + "\n";
  if (c.mode != RunMode::Untested)
    m += "# Current test result (before this follow-up's changes)\n\n" + c.first_test_result + "\n\n";
  m += c.mode == RunMode::Fix ? "Now do the follow-up and make the test command pass."
                              : "Now do the follow-up, then call finish.";
  return m;
}

}  // namespace ds::agent
