// run_tests, finish, repo_map and set_reproduction: tools that ask the agent
// to act.
#include "tools/tool.hpp"

namespace ds::tools {
namespace {

ToolOutcome run_tests(const json::Value&, ToolContext& ctx) {
  if (!ctx.run_tests) return tool_error("no test command is configured for this run.");
  return ToolOutcome{ctx.run_tests(), false, {}, false, {}};
}

ToolOutcome finish(const json::Value& args, ToolContext&) {
  ToolOutcome o;
  o.finish = true;
  o.summary = args["summary"].as_string();
  o.content = "Finish noted.";
  return o;
}

ToolOutcome repo_map(const json::Value& args, ToolContext& ctx) {
  if (!ctx.repo_map) return tool_error("the repo map is disabled for this run.");
  std::vector<std::string> focus;
  for (const auto& v : args["focus"].items())
    if (v.is_string()) focus.push_back(v.as_string());
  std::string map = ctx.repo_map(focus);
  if (map.empty())
    return ToolOutcome{"The repo map is empty (no source files with definitions).", false, {}, false, {}};
  return ToolOutcome{std::move(map), false, {}, false, {}};
}

ToolOutcome set_reproduction(const json::Value& args, ToolContext& ctx) {
  if (!ctx.set_reproduction)
    return tool_error("this run does not take a reproduction (it needs --reproduce).");
  const std::string& command = args["command"].as_string();
  if (command.find_first_not_of(" \t\r\n") == std::string::npos)
    return tool_error("set_reproduction needs a `command`: the shell command that runs your reproduction.");
  std::vector<std::string> files;
  for (const auto& v : args["files"].items()) {
    if (!v.is_string() || v.as_string().empty())
      return tool_error(
          "set_reproduction's `files` must be a list of file paths relative to the repository root.");
    files.push_back(v.as_string());
  }
  if (files.empty())
    return tool_error(
        "set_reproduction needs `files`: the test or script files you wrote for the reproduction (write them "
        "first with the edit tool).");
  return ToolOutcome{ctx.set_reproduction(command, files), false, {}, false, {}};
}

}  // namespace

Tool set_reproduction_tool() {
  json::Value props = json::Value::object();
  props.set("command", string_prop("Shell command that runs the reproduction from the repository root, e.g. "
                                   "`python3 -m pytest -q tests/test_issue.py`."));
  json::Value files = json::Value::object();
  files.set("type", "array").set("items", json::Value::object().set("type", "string"));
  files.set("description",
            "The reproduction's own files (the test or script you wrote), relative to the repository root.");
  props.set("files", std::move(files));
  return Tool{
      {"set_reproduction",
       "Declare the reproduction of the issue: a command that fails because of the bug. It is run on "
       "the unchanged code (the base) plus only these files, and must fail there; the run is solved "
       "when it passes on your fixed code and no test that passed before fails. The files stay out of "
       "the final patch. Call it again to replace the reproduction.",
       object_schema(std::move(props), {"command", "files"})},
      set_reproduction};
}

Tool run_tests_tool() {
  return Tool{{"run_tests",
               "Run the configured test command and show its exit code and (trimmed) output. Tests also run "
               "automatically after every turn that changes files.",
               object_schema(json::Value::object(), {})},
              run_tests};
}

Tool finish_tool() {
  json::Value props = json::Value::object();
  props.set("summary", string_prop("One or two sentences: what was wrong and what you changed."));
  return Tool{{"finish", "Declare the task done. Call it only when the tests pass.",
               object_schema(std::move(props), {"summary"})},
              finish};
}

Tool repo_map_tool() {
  json::Value props = json::Value::object();
  json::Value focus = json::Value::object();
  focus.set("type", "array").set("items", json::Value::object().set("type", "string"));
  focus.set("description", "File paths or identifiers to focus the map on.");
  props.set("focus", std::move(focus));
  return Tool{{"repo_map",
               "Show a map of the repository: files with their most relevant definitions, ranked for the "
               "given focus paths or identifiers.",
               object_schema(std::move(props), {"focus"})},
              repo_map};
}

}  // namespace ds::tools
