// The tool table and the dispatcher.
#include "tools/tool.hpp"

namespace ds::tools {

json::Value object_schema(json::Value properties, std::vector<std::string> required) {
  json::Value req = json::Value::array();
  for (auto& r : required) req.push(std::move(r));
  json::Value schema = json::Value::object();
  schema.set("type", "object").set("properties", std::move(properties)).set("required", std::move(req));
  schema.set("additionalProperties", false);
  return schema;
}

json::Value string_prop(const char* description) {
  return json::Value::object().set("type", "string").set("description", description);
}

json::Value integer_prop(const char* description) {
  return json::Value::object().set("type", "integer").set("description", description);
}

ToolOutcome tool_error(std::string message) {
  ToolOutcome o;
  o.content = "Error: " + std::move(message);
  o.is_error = true;
  return o;
}

std::vector<Tool> make_tools(edit::Format edit_format, bool with_repo_map, bool with_commands,
                             bool with_reproduction) {
  std::vector<Tool> tools;
  tools.push_back(read_file_tool());
  tools.push_back(list_files_tool());
  tools.push_back(search_tool());
  if (with_repo_map) tools.push_back(repo_map_tool());
  tools.push_back(edit_format == edit::Format::Patch ? apply_patch_tool() : apply_edits_tool());
  tools.push_back(run_tests_tool());
  if (with_commands) tools.push_back(run_command_tool());
  if (with_reproduction) tools.push_back(set_reproduction_tool());
  tools.push_back(finish_tool());
  return tools;
}

ToolOutcome call_tool(const std::vector<Tool>& tools, const llm::ToolCall& call, ToolContext& ctx) {
  for (const auto& t : tools) {
    if (t.def.name != call.name || !t.offered()) continue;
    if (!call.args.is_object()) {
      return tool_error("the arguments of " + call.name + " are not a JSON object: " +
                        (call.arguments.size() > 200 ? call.arguments.substr(0, 200) + "…" : call.arguments) +
                        ". Send the arguments as JSON matching the tool's schema.");
    }
    return t.handler(call.args, ctx);
  }
  std::string names;
  for (const auto& t : tools)
    if (t.offered()) names += (names.empty() ? "" : ", ") + t.def.name;
  return tool_error("there is no tool named '" + call.name + "'. Available tools: " + names + ".");
}

}  // namespace ds::tools
