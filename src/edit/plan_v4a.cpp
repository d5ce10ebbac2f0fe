// Planning one V4A patch operation (Add / Delete / Update, with Move to):
// chunks are located scanning forward through the file, each after the one
// before, then applied together.
#include <string>

#include "edit/line_numbers.hpp"
#include "edit/plan_internal.hpp"
#include "text/repo_paths.hpp"

namespace ds::edit::detail {
namespace {

int level_rank(std::string_view level) {
  if (level == kLevelWhitespace) return 1;
  if (level == kLevelTrim) return 2;
  if (level == kLevelUnicode) return 3;
  return 0;
}

// The chunk's lines with `cat -n` prefixes removed, when every old line
// (context and removed) carries one, numbered consecutively.
std::vector<PatchLine> without_line_numbers(const std::vector<PatchLine>& lines) {
  std::string old_text;
  for (const auto& l : lines) {
    if (l.kind != '+') old_text += l.text + "\n";
  }
  if (old_text.empty() || !strip_line_number_prefixes(old_text)) return lines;
  Lines stripped = text::split_lines(old_text);
  std::vector<PatchLine> out = lines;
  bool added_numbered = true;
  for (const auto& l : lines) {
    size_t n = 0;
    if (l.kind == '+' && line_number_prefix(l.text, n) == 0) added_numbered = false;
  }
  size_t k = 0;
  for (auto& l : out) {
    size_t n = 0;
    if (l.kind != '+') {
      l.text = stripped[k++];
    } else if (added_numbered) {
      l.text = l.text.substr(line_number_prefix(l.text, n));
    }
  }
  return out;
}

std::string quote_lines(const Lines& lines, size_t max) {
  std::string out;
  for (size_t i = 0; i < lines.size() && i < max; ++i) out += "    " + lines[i] + "\n";
  if (lines.size() > max) out += "    ... (" + std::to_string(lines.size() - max) + " more)\n";
  return out;
}

struct Replacement {
  size_t start, count;
  Lines lines;
};

// Applies the chunks to `work`; on failure fills res.error / closest / line.
bool apply_chunks(const PatchOp& op, FileLines& work, BlockResult& res, const std::string& who,
                  Workspace& ws) {
  const LineViews& file = work.lines;
  std::vector<Replacement> reps;
  size_t cursor = 0;
  std::string loosest = kLevelExact;
  for (size_t c = 0; c < op.chunks.size(); ++c) {
    const PatchChunk& chunk = op.chunks[c];
    const std::string where =
        who + ", chunk " + std::to_string(c + 1) + " (patch line " + std::to_string(chunk.line) + ")";
    std::string missing_scope;
    for (const auto& scope : chunk.scopes) {
      if (text::trim(scope).empty()) continue;
      // Scope lines are hints (OpenAI's reference apply_patch goes on
      // without one it cannot find): the chunk's own context decides.
      Seek s = seek_line_forward(file, scope, cursor);
      if (s.found)
        cursor = s.pos + 1;
      else if (missing_scope.empty())
        missing_scope = scope;
    }
    auto lines = without_line_numbers(chunk.lines);
    Lines old_lines;
    for (const auto& l : lines) {
      if (l.kind != '+') old_lines.push_back(l.text);
    }
    Replacement rep{0, old_lines.size(), {}};
    if (old_lines.empty() && !missing_scope.empty()) {  // nothing but the scope could place it
      res.error = where + ": the scope line `@@ " + missing_scope + "` was not found in " + op.path +
                  (cursor ? " after line " + std::to_string(cursor) : std::string()) +
                  ", and the chunk has no context lines to locate it otherwise. Scope lines must copy "
                  "a line of the file (a class or function header); or add context lines around the "
                  "added ones.";
      return false;
    }
    if (old_lines.empty()) {  // pure addition: after the scope, else at the end
      bool scoped = !chunk.scopes.empty() && cursor > 0 && !chunk.end_of_file;
      rep.start = scoped ? cursor : file.size();
    } else {
      Seek s = seek_forward(file, old_lines, cursor, chunk.end_of_file);
      if (!s.found) {
        res.error = where + ": these context/removed lines were not found in " + op.path +
                    (cursor ? " after line " + std::to_string(cursor) : std::string()) + ":\n" +
                    quote_lines(old_lines, 6);
        Seek anywhere = seek_forward(file, old_lines, 0, false);
        if (anywhere.found && cursor > 0) {
          res.error += "They occur at line " + std::to_string(anywhere.pos + 1) +
                       ", before the previous chunk: chunks must follow the order of the file.";
        } else {
          res.error += "Context and `-` lines must copy the current lines of the file exactly.";
        }
        if (ws.diagnose_failure()) {
          ClosestRegion region = closest_region(file, old_lines);
          res.closest = region.text;
          res.line = static_cast<int>(region.line);
        }
        return false;
      }
      rep.start = s.pos;
      if (level_rank(s.level) > level_rank(loosest)) loosest = s.level;
    }
    size_t k = 0;
    for (const auto& l : lines) {
      if (l.kind == ' ') rep.lines.emplace_back(file[rep.start + k]);  // keep the file's own line
      if (l.kind != '+') ++k;
      if (l.kind == '+') rep.lines.push_back(l.text);
    }
    cursor = rep.start + rep.count;
    reps.push_back(std::move(rep));
  }
  res.level = loosest;
  res.line = reps.empty() ? 1 : static_cast<int>(reps.front().start) + 1;
  for (auto it = reps.rbegin(); it != reps.rend(); ++it)
    work.splice(it->start, it->count, std::move(it->lines));
  return true;
}

}  // namespace

BlockResult plan_patch_op(const PatchOp& op, Workspace& ws) {
  BlockResult res;
  res.index = op.index;
  res.path = op.path;
  auto path = text::normalize_repo_path(op.path);
  if (!path) {
    res.error =
        block_name(op.index, std::string(op_name(op.op)) + " " + op.path) + ": " + path.error().message;
    return res;
  }
  res.path = *path;
  const std::string who = block_name(op.index, std::string(op_name(op.op)) + " " + *path);
  FileState& f = ws.file(*path);
  if (f.read_error) {
    res.error = who + ": " + f.read_error->message;
    return res;
  }

  switch (op.op) {
    case PatchOpKind::Add:
      if (f.current) {
        res.error =
            who + ": " + *path + " already exists; to change it, use `*** Update File: " + *path + "`.";
        return res;
      }
      f.current = FileLines::parse(op.content);
      f.current->ensure_final_newline();
      res.level = "create";
      res.line = 1;
      break;
    case PatchOpKind::Delete:
      if (!f.current) {
        res.error = who + ": " + *path + " does not exist, so it cannot be deleted; check the path.";
        return res;
      }
      f.current.reset();
      res.level = "delete";
      break;
    case PatchOpKind::Update: {
      if (!f.current) {
        res.error = who + ": " + *path + " does not exist; check the path, or use `*** Add File: " + *path +
                    "` to create it.";
        return res;
      }
      FileLines work = *f.current;
      if (!apply_chunks(op, work, res, who, ws)) return res;
      work.ensure_final_newline();
      if (op.move_to.empty()) {
        f.current = std::move(work);
        break;
      }
      auto dest = text::normalize_repo_path(op.move_to);
      if (!dest) {
        res.error = who + ": cannot move to '" + op.move_to + "': " + dest.error().message;
        return res;
      }
      if (*dest == *path) {
        f.current = std::move(work);
        break;
      }
      FileState& d = ws.file(*dest);
      if (d.read_error || d.current) {
        res.error = who + ": cannot move to " + *dest + ": " +
                    (d.read_error ? d.read_error->message : *dest + " already exists; choose another name");
        return res;
      }
      d.current = std::move(work);
      f.current.reset();
      d.applied_blocks.push_back(op.index);
      res.level = "move";
      break;
    }
  }
  res.applied = true;
  f.applied_blocks.push_back(op.index);
  return res;
}

}  // namespace ds::edit::detail
