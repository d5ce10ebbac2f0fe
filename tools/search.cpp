// search: a regular expression over the tracked files, matches as path:line.
// The pattern comes from the model, so it runs on RE2 (linear time, no
// recursion: std::regex crashed on long lines and stalled on (a+)+b), every
// file passes the one path check (no links, no submodules), and the search
// stops at a match count, a time cap, or an interrupt.
#include <fnmatch.h>
#include <re2/re2.h>

#include <atomic>
#include <chrono>

#include "git/path_check.hpp"
#include "text/utf8.hpp"
#include "tools/tool.hpp"

namespace ds::tools {
namespace {

constexpr size_t kMaxMatches = 100;
constexpr size_t kMaxFileBytes = 2u << 20;
constexpr size_t kMaxLineBytes = 200;  // shown per matching line
constexpr size_t kContextBefore = 60;  // bytes shown before a match in a long line
constexpr std::chrono::seconds kMaxTime{10};

// `s` cut back to a UTF-8 character boundary at or before `at`.
size_t char_start(std::string_view s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

// The matching line as shown: whole when short; else a window of
// kMaxLineBytes around the match (a minified file is one 100 KB line).
std::string shown_line(std::string_view line, size_t match_at) {
  if (line.size() <= kMaxLineBytes) return text::sanitize_utf8(line);
  size_t from = match_at > kContextBefore ? char_start(line, match_at - kContextBefore) : 0;
  size_t to = char_start(line, std::min(line.size(), from + kMaxLineBytes));
  std::string out = from > 0 ? "…" : "";
  out += text::sanitize_utf8(line.substr(from, to - from));
  if (to < line.size()) out += "… [line of " + std::to_string(line.size()) + " bytes]";
  return out;
}

struct Scan {
  std::string out;
  size_t matches = 0;
  size_t skipped = 0;  // files the path check or the size cap left out
  bool timed_out = false;
  bool interrupted = false;
  bool full() const { return matches > kMaxMatches; }
};

void search_file(const std::string& path, std::string_view content, const RE2& re, Scan& scan,
                 const std::function<bool()>& stop) {
  size_t line_no = 0, start = 0;
  while (start < content.size() && !scan.full()) {
    size_t nl = content.find('\n', start);
    if (nl == std::string_view::npos) nl = content.size();
    ++line_no;
    std::string_view line = content.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = nl + 1;
    if ((line_no & 1023) == 0 && stop()) return;
    re2::StringPiece m;
    if (!re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED, &m, 1))
      continue;
    if (++scan.matches > kMaxMatches) return;
    size_t at = static_cast<size_t>(m.data() - line.data());
    scan.out += path + ":" + std::to_string(line_no) + ": " + shown_line(line, at) + "\n";
  }
}

ToolOutcome search(const json::Value& args, ToolContext& ctx) {
  std::string pattern = args["pattern"].as_string();
  std::string glob = args["glob"].as_string();
  if (pattern.empty()) return tool_error("search needs a `pattern` (a regular expression).");
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re(pattern, opts);
  if (!re.ok())
    return tool_error(
        "invalid regular expression '" + pattern + "': " + re.error() +
        ". Patterns use RE2 syntax (like Python's re, without look-around or back-references).");
  auto check = git::PathCheck::open(*ctx.repo);
  if (!check) return tool_error(check.error().message);

  Scan scan;
  auto began = std::chrono::steady_clock::now();
  std::function<bool()> stop = [&] {
    if (ctx.interrupted && ctx.interrupted->load()) scan.interrupted = true;
    if (std::chrono::steady_clock::now() - began > kMaxTime) scan.timed_out = true;
    return scan.interrupted || scan.timed_out;
  };
  for (const auto& path : ctx.tracked) {
    if (scan.full() || stop()) break;
    if (!glob.empty() && fnmatch(glob.c_str(), path.c_str(), 0) != 0) continue;
    auto rel = check->file(path, git::PathUse::Read);
    if (!rel) {
      ++scan.skipped;
      continue;
    }
    auto content = check->read(*rel, kMaxFileBytes);
    if (!content || !content->has_value()) {
      scan.skipped += content ? 0 : 1;
      continue;
    }
    if (text::looks_binary(**content)) continue;
    search_file(path, **content, re, scan, stop);
  }

  std::string out = std::move(scan.out);
  if (scan.matches == 0 && !scan.timed_out && !scan.interrupted) out = "No matches for /" + pattern + "/.\n";
  if (scan.full())
    out += "[more than " + std::to_string(kMaxMatches) + " matches; narrow the pattern or glob.]\n";
  if (scan.timed_out)
    out += "[the search stopped after " + std::to_string(kMaxTime.count()) +
           " s; the matches above are from the files searched so far. Narrow the glob.]\n";
  if (scan.interrupted) out += "[the search was interrupted.]\n";
  if (scan.skipped > 0)
    out += "[" + std::to_string(scan.skipped) +
           " tracked path(s) not searched: symbolic links, submodules, or files over " +
           std::to_string(kMaxFileBytes >> 20) + " MB.]\n";
  return ToolOutcome{std::move(out), false, {}, false, {}};
}

}  // namespace

Tool search_tool() {
  json::Value props = json::Value::object();
  props.set("pattern", string_prop("Regular expression (RE2 syntax, like Python's re without look-around or "
                                   "back-references) matched against each line."));
  props.set("glob", string_prop("Only search paths matching this glob (e.g. '*.py'). Empty searches all."));
  return Tool{
      {"search",
       "Search the tracked files for a regular expression; shows up to 100 matches as path:line: text.",
       object_schema(std::move(props), {"pattern", "glob"})},
      search};
}

}  // namespace ds::tools
