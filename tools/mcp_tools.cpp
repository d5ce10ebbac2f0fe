// An MCP server's tools as model-facing tools: SERVER__tool, the server's
// own description and input schema, answered through mcp::Server::call.
#include <algorithm>

#include "mcp/client.hpp"
#include "tools/tool.hpp"

namespace ds::tools {

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

}  // namespace

std::vector<Tool> mcp_tools(const std::vector<std::shared_ptr<mcp::Server>>& servers) {
  std::vector<Tool> out;
  for (const auto& server : servers) {
    if (!server || !server->alive()) continue;
    for (const auto& info : server->tools()) {
      std::string name = server->spec().name + "__" + info.name;
      if (!valid_name(name) || !mcp::tool_allowed(server->spec(), info.name)) continue;
      Tool t;
      t.def.name = name;
      t.def.description = "(MCP server " + server->spec().name + ") " + info.description;
      t.def.parameters = info.input_schema;
      std::weak_ptr<mcp::Server> weak = server;
      std::string tool_name = info.name;
      t.available = [weak] {
        auto s = weak.lock();
        return s && s->alive();
      };
      t.handler = [weak, tool_name](const json::Value& args, ToolContext&) -> ToolOutcome {
        auto s = weak.lock();
        if (!s || !s->alive()) return tool_error("the MCP server of this tool is no longer running");
        auto r = s->call(tool_name, args);
        if (!r.ok()) {
          std::string msg = r.error().message;
          if (!s->alive()) msg += "; its tools are withdrawn for the rest of the run";
          return tool_error(msg);
        }
        ToolOutcome o;
        o.is_error = r->is_error;
        o.content = r->is_error ? "Error: " + r->text : r->text;
        return o;
      };
      out.push_back(std::move(t));
    }
  }
  std::sort(out.begin(), out.end(), [](const Tool& a, const Tool& b) { return a.def.name < b.def.name; });
  return out;
}

}  // namespace ds::tools
