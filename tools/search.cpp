// search: a regular expression over tracked files, matches as file:line.
#include <fnmatch.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "text/utf8.hpp"
#include "tools/tool.hpp"

namespace ds::tools {
namespace {

constexpr size_t kMaxMatches = 100;
constexpr size_t kMaxFileBytes = 2u << 20;
constexpr size_t kMaxLineChars = 200;

ToolOutcome search(const json::Value& args, ToolContext& ctx) {
  std::string pattern = args["pattern"].as_string();
  std::string glob = args["glob"].as_string();
  if (pattern.empty()) return tool_error("search needs a `pattern` (a regular expression).");
  std::regex re;
  try {
    re = std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    return tool_error("invalid regular expression '" + pattern + "': " + e.what());
  }
  std::string out;
  size_t matches = 0;
  for (const auto& path : ctx.tracked) {
    if (!glob.empty() && fnmatch(glob.c_str(), path.c_str(), 0) != 0) continue;
    std::ifstream in(ctx.root + "/" + path, std::ios::binary);
    if (!in) continue;
    std::stringstream buf;
    buf << in.rdbuf();
    std::string content = buf.str();
    if (content.size() > kMaxFileBytes || text::looks_binary(content)) continue;
    size_t line_no = 0, start = 0;
    while (start < content.size()) {
      size_t nl = content.find('\n', start);
      if (nl == std::string::npos) nl = content.size();
      ++line_no;
      std::string line = content.substr(start, nl - start);
      start = nl + 1;
      if (!std::regex_search(line, re)) continue;
      if (++matches > kMaxMatches) break;
      if (line.size() > kMaxLineChars) line = line.substr(0, kMaxLineChars) + "…";
      out += path + ":" + std::to_string(line_no) + ": " + text::sanitize_utf8(line) + "\n";
    }
    if (matches > kMaxMatches) break;
  }
  if (matches == 0) return ToolOutcome{"No matches for /" + pattern + "/.", false, {}, false, {}};
  if (matches > kMaxMatches) out += "[more than " + std::to_string(kMaxMatches) + " matches; narrow the pattern or glob.]\n";
  return ToolOutcome{std::move(out), false, {}, false, {}};
}

}  // namespace

Tool search_tool() {
  json::Value props = json::Value::object();
  props.set("pattern", string_prop("ECMAScript regular expression matched against each line."));
  props.set("glob", string_prop("Only search paths matching this glob (e.g. '*.py'). Empty searches all."));
  return Tool{{"search", "Search the tracked files for a regular expression; shows up to 100 matches as path:line: text.",
               object_schema(std::move(props), {"pattern", "glob"})},
              search};
}

}  // namespace ds::tools
