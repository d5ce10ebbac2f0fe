// Planning one SEARCH/REPLACE block: create, append, or locate and replace,
// and when that fails, the diagnosis sent back to the model.
#include <optional>
#include <string>

#include "edit/line_numbers.hpp"
#include "edit/plan_internal.hpp"
#include "text/repo_paths.hpp"

namespace ds::edit::detail {
namespace {

std::string join_numbers(const std::vector<size_t>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  return out;
}

std::string join_blocks(const std::vector<int>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  return out;
}

bool all_blank(const Lines& lines) {
  for (const auto& l : lines) {
    if (!text::trim(l).empty()) return false;
  }
  return true;
}

// Where REPLACE already stands in the file (1-based), or 0. Only strict
// levels count: this is a hint that the edit was made before.
size_t replace_present_at(const LineViews& file, const Lines& replace) {
  if (replace.empty() || all_blank(replace)) return 0;
  Located r = locate_block(file, replace, {});
  if (r.level != kLevelExact && r.level != kLevelWhitespace && r.level != kLevelIndentation) return 0;
  if (r.found()) return r.start + 1;
  if (r.status == Located::Status::Ambiguous) return r.candidates.front();
  return 0;
}

void explain_failure(BlockResult& res, const std::string& who, const std::string& path, const Located& loc,
                     FileState& f, const Lines& search, const Lines& replace, bool diagnose) {
  const LineViews& cur = f.current->lines;
  if (loc.status == Located::Status::Ambiguous) {
    res.error = who + ": SEARCH matches " + std::to_string(loc.candidates.size()) +
                (loc.candidates.size() >= 20 ? " or more" : "") + " places in " + path + " (lines " +
                join_numbers(loc.candidates) + ", matching at the " + loc.level +
                " level); it must match exactly one. Add lines from around the place you mean "
                "to the SEARCH section (and the same lines to REPLACE) so that it is unique.";
    res.line = static_cast<int>(loc.candidates.front());
    return;
  }
  res.error = who + ": SEARCH does not match any lines of " + path + ".";
  if (!loc.note.empty()) res.error += " Note: " + loc.note + ".";
  bool earlier = false;
  if (!f.applied_blocks.empty()) {
    if (const FileLines* orig = f.original_split()) {
      earlier = locate_block(orig->lines, search, replace).status != Located::Status::NotFound;
    }
  }
  if (earlier) {
    res.error += " An earlier block of this reply (block " + join_blocks(f.applied_blocks) +
                 ") already changed these lines: this SEARCH matches the file as it was before. "
                 "Write the block against the file as it is now, or merge it into the earlier block.";
  } else {
    res.error +=
        " The SEARCH section must copy the current lines of the file exactly, "
        "including indentation, comments and blank lines.";
  }
  if (size_t at = replace_present_at(cur, replace)) {
    res.error += " The REPLACE text is already present in " + path + " at line " + std::to_string(at) +
                 ": if this change was made already, do not resend this block.";
  }
  if (!diagnose) return;
  ClosestRegion region = closest_region(cur, search);
  res.closest = region.text;
  res.line = static_cast<int>(region.line);
}

// The text of a create or an append ends the file: a blank last line the
// model left after it (as between blocks) would be a blank line at the end
// of the file, so it is dropped, as Aider does. A REPLACE that is one blank
// line keeps it. Located blocks keep theirs (edit-formats.md section 5: only
// a SEARCH ending with a blank line takes one of REPLACE's with it).
std::string without_trailing_blank_line(const std::string& text) {
  if (text.size() < 2 || text.back() != '\n') return text;
  size_t start = text.find_last_of('\n', text.size() - 2);
  if (start == std::string::npos) return text;  // the only line
  if (!text::trim(std::string_view(text).substr(start + 1, text.size() - start - 2)).empty()) return text;
  return text.substr(0, start + 1);
}

struct Elsewhere {
  std::string path;
  Located loc;
};

// The one other candidate file where SEARCH matches exactly (or up to
// trailing whitespace and line endings); nothing when none or several do.
// Looser levels do not count: applying a block to a file it does not name
// needs strong evidence.
std::optional<Elsewhere> find_elsewhere(const std::string& named, const Lines& search, const Lines& replace,
                                        Workspace& ws) {
  std::optional<Elsewhere> hit;
  for (const auto& cand : ws.other_candidates) {
    if (cand == named) continue;
    FileState& f = ws.file(cand);
    if (f.read_error || !f.current) continue;
    Located loc = locate_block(f.current->lines, search, replace);
    if (loc.status == Located::Status::NotFound) continue;
    if (loc.level != kLevelExact && loc.level != kLevelWhitespace) continue;
    if (loc.status == Located::Status::Ambiguous || hit) return std::nullopt;
    hit = Elsewhere{cand, std::move(loc)};
  }
  return hit;
}

// Applies the block to the file it matched instead of the one it named.
bool apply_elsewhere(BlockResult& res, const std::string& named, bool named_exists, const Lines& search,
                     const Lines& replace, int index, Workspace& ws) {
  auto hit = find_elsewhere(named, search, replace, ws);
  if (!hit) return false;
  FileState& f = ws.file(hit->path);
  res.applied = true;
  res.path = hit->path;
  res.level = hit->loc.level;
  res.line = static_cast<int>(hit->loc.start) + 1;
  res.note =
      "the block names " + named + (named_exists ? ", where SEARCH is not found" : ", which does not exist") +
      "; its SEARCH text matches exactly one place in " + hit->path +
      " (a file you worked on), so it was applied there. Name " + hit->path + " in blocks for that file.";
  f.current->splice(hit->loc.start, hit->loc.count, std::move(hit->loc.replacement));
  f.applied_blocks.push_back(index);
  return true;
}

}  // namespace

BlockResult plan_search_replace(const SearchReplaceBlock& block, Workspace& ws) {
  BlockResult res;
  res.index = block.index;
  res.path = block.path;
  auto path = text::normalize_repo_path(block.path);
  if (!path) {
    res.error = block_name(block.index, block.path) + ": " + path.error().message;
    return res;
  }
  res.path = *path;
  const std::string who = block_name(block.index, *path);
  FileState& f = ws.file(*path);
  if (f.read_error) {
    res.error = who + ": " + f.read_error->message;
    return res;
  }

  if (block.search.empty()) {  // create, or append
    std::string tail = without_trailing_blank_line(block.replace);
    if (!f.current) {
      f.current = FileLines::parse(tail);
      res.level = "create";
      res.line = 1;
    } else {
      res.level = "append";
      res.line = static_cast<int>(f.current->lines.size()) + 1;
      f.current->splice(f.current->lines.size(), 0, text::split_lines(tail));
    }
    res.applied = true;
    f.applied_blocks.push_back(block.index);
    return res;
  }
  if (!f.current) {
    if (apply_elsewhere(res, *path, false, text::split_lines(block.search), text::split_lines(block.replace),
                        block.index, ws))
      return res;
    res.error = who + ": " + *path + " does not exist. Check the path; to create a new file, " +
                "use an empty SEARCH section and put the whole file in REPLACE.";
    return res;
  }

  // A byte order mark copied into SEARCH or REPLACE is the file's own,
  // kept by FileLines; it is not part of the first line.
  std::string search_text(without_bom(block.search)), replace_text(without_bom(block.replace));
  Lines search = text::split_lines(search_text);
  Lines replace = text::split_lines(replace_text);
  // Line numbers copied from read_file output are not part of the file.
  bool numbered = strip_line_number_prefixes(search_text);
  Lines search_s = numbered ? text::split_lines(search_text) : search;
  Lines replace_s =
      numbered && strip_line_number_prefixes(replace_text) ? text::split_lines(replace_text) : replace;

  FileLines& cur = *f.current;
  Located loc = locate_block(cur.lines, search_s, replace_s);
  if (!loc.found() && numbered) {
    Located raw = locate_block(cur.lines, search, replace);  // the numbers were real text
    if (raw.found()) loc = std::move(raw);
  }
  if (loc.status == Located::Status::NotFound &&
      apply_elsewhere(res, *path, true, search_s, replace_s, block.index, ws))
    return res;
  if (!loc.found()) {
    explain_failure(res, who, *path, loc, f, search_s, replace_s, ws.diagnose_failure());
    return res;
  }
  res.applied = true;
  res.level = loc.level;
  res.line = static_cast<int>(loc.start) + 1;
  cur.splice(loc.start, loc.count, std::move(loc.replacement));
  f.applied_blocks.push_back(block.index);
  return res;
}

}  // namespace ds::edit::detail
