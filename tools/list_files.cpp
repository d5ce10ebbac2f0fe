// list_files: tracked files matching a glob. Only paths that pass the one
// path check are listed (not links, not submodules), so the model is not
// shown files it could neither read nor edit.
#include <fnmatch.h>

#include "git/path_check.hpp"
#include "tools/tool.hpp"

namespace ds::tools {
namespace {

constexpr size_t kMaxListed = 400;

bool glob_match(const std::string& glob, const std::string& path) {
  if (glob.empty()) return true;
  if (fnmatch(glob.c_str(), path.c_str(), 0) == 0) return true;  // '*' crosses '/'
  // A bare directory name or prefix lists everything below it.
  std::string dir = glob.back() == '/' ? glob : glob + "/";
  return path.compare(0, dir.size(), dir) == 0;
}

ToolOutcome list_files(const json::Value& args, ToolContext& ctx) {
  std::string glob = args["glob"].as_string();
  auto check = git::PathCheck::open(*ctx.repo);
  if (!check) return tool_error(check.error().message);
  std::string out;
  size_t matched = 0, hidden = 0;
  for (const auto& p : ctx.tracked) {
    if (!glob_match(glob, p)) continue;
    if (!check->file(p, git::PathUse::Read)) {
      ++hidden;
      continue;
    }
    if (++matched <= kMaxListed) out += p + "\n";
  }
  if (matched == 0) out = "No tracked file matches '" + glob + "'.\n";
  if (matched > kMaxListed)
    out += "[" + std::to_string(matched - kMaxListed) + " more files match; narrow the glob.]\n";
  if (hidden > 0)
    out +=
        "[" + std::to_string(hidden) +
        " matching tracked path(s) not listed: symbolic links or submodules, which diffsmith does not read "
        "or edit.]\n";
  return ToolOutcome{std::move(out), false, {}, false, {}};
}

}  // namespace

Tool list_files_tool() {
  json::Value props = json::Value::object();
  props.set("glob", string_prop("Glob over paths, e.g. 'src/*.py' or '*test*' ('*' also matches '/'), or a "
                                "directory name. Empty lists every tracked file."));
  return Tool{{"list_files", "List the repository's tracked files, optionally filtered by a glob.",
               object_schema(std::move(props), {"glob"})},
              list_files};
}

}  // namespace ds::tools
