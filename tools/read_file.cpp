// read_file: a tracked or new file with line numbers, paged when large.
// The path passes the one path check (git/path_check.hpp) like every path
// the model names.
#include <algorithm>

#include "edit/line_numbers.hpp"
#include "git/path_check.hpp"
#include "text/lines.hpp"
#include "text/utf8.hpp"
#include "tools/tool.hpp"

namespace ds::tools {
namespace {

constexpr int64_t kPageLines = 800;
constexpr size_t kPageBytes = 60000;
constexpr size_t kMaxFileBytes = 64u << 20;

ToolOutcome read_file(const json::Value& args, ToolContext& ctx) {
  std::string path = args["path"].as_string();
  if (path.empty()) return tool_error("read_file needs a `path` (relative to the repository root).");
  auto check = git::PathCheck::open(*ctx.repo);
  if (!check) return tool_error(check.error().message);
  auto rel = check->file(path, git::PathUse::Read);
  if (!rel) return tool_error(rel.error().message);
  auto content = check->read(*rel, kMaxFileBytes);
  if (!content.ok()) return tool_error(content.error().message);
  if (!content->has_value()) return tool_error("no file at '" + path + "'. Use list_files to see the files.");
  if (text::looks_binary(**content))
    return tool_error("'" + *rel + "' is a binary file; diffsmith only reads and edits text files.");
  if (std::find(ctx.worked_on.begin(), ctx.worked_on.end(), *rel) == ctx.worked_on.end())
    ctx.worked_on.push_back(*rel);
  // A byte order mark is not shown: edits keep it, and a model that copies
  // it into SEARCH text would only be confused by it.
  std::string_view raw = **content;
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  std::string text = text::sanitize_utf8(raw);
  auto lines = text::split_lines(text);
  int64_t total = static_cast<int64_t>(lines.size());
  int64_t start = std::max<int64_t>(1, args["start_line"].as_int(1));
  int64_t end = args["end_line"].as_int(0);
  if (end <= 0 || end > total) end = total;
  if (total == 0) return ToolOutcome{path + " is empty.", false, {}, false, {}};
  if (start > total)
    return tool_error(path + " has " + std::to_string(total) + " lines; start_line " + std::to_string(start) +
                      " is past the end.");
  std::string out;
  int64_t shown_end = start - 1;
  for (int64_t i = start; i <= end; ++i) {
    if (i - start >= kPageLines || out.size() >= kPageBytes) break;
    out += edit::number_line(static_cast<size_t>(i), lines[static_cast<size_t>(i - 1)]);
    out += '\n';
    shown_end = i;
  }
  if (shown_end < end) {
    out += "[" + path + " has " + std::to_string(total) + " lines; showing " + std::to_string(start) + "-" +
           std::to_string(shown_end) + ". Call read_file with start_line=" + std::to_string(shown_end + 1) +
           " for more.]\n";
  }
  return ToolOutcome{std::move(out), false, {}, false, {}};
}

}  // namespace

Tool read_file_tool() {
  json::Value props = json::Value::object();
  props.set("path", string_prop("File path relative to the repository root."));
  props.set("start_line", integer_prop("First line to show (1-based). Optional."));
  props.set("end_line", integer_prop("Last line to show. Optional; large files are shown a page at a time."));
  return Tool{{"read_file",
               "Read a file of the repository. Each line is shown prefixed by its number and a tab; the "
               "numbers are not part of the file. Large files are shown a page at a time.",
               object_schema(std::move(props), {"path"})},
              read_file};
}

}  // namespace ds::tools
