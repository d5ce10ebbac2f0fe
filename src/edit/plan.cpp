// The planner's frame: files as lines, the workspace of one reply, the
// per-item dispatch, and the failure report sent back to the model.
#include "edit/plan.hpp"

#include <algorithm>
#include <unordered_set>

#include "edit/plan_internal.hpp"
#include "text/repo_paths.hpp"

namespace ds::edit {
namespace detail {

FileLines FileLines::parse(std::string_view text_in) {
  FileLines f;
  f.bom = text_in.substr(0, kBom.size()) == kBom;
  std::string_view content = f.storage->emplace_back(f.bom ? text_in.substr(kBom.size()) : text_in);
  f.eol = text::detect_eol(content);
  auto raw = text::split_lines_keep(content);
  f.lines.reserve(raw.size());
  f.ends.reserve(raw.size());
  for (std::string_view l : raw) {
    LineEnd end = LineEnd::None;
    if (!l.empty() && l.back() == '\n') {
      l.remove_suffix(1);
      end = LineEnd::Lf;
      if (!l.empty() && l.back() == '\r') {
        l.remove_suffix(1);
        end = LineEnd::Crlf;
      }
    }
    f.lines.push_back(l);
    f.ends.push_back(end);
  }
  return f;
}

std::string FileLines::join() const {
  size_t total = 0;
  for (const auto& l : lines) total += l.size() + 2;
  std::string out;
  out.reserve(total + kBom.size());
  if (bom) out += kBom;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (ends[i] == LineEnd::Lf) out += '\n';
    if (ends[i] == LineEnd::Crlf) out += "\r\n";
  }
  return out;
}

void FileLines::splice(size_t start, size_t count, Lines replacement) {
  // A file without a final newline keeps none (edit-formats.md §4), even
  // when the edit replaces or appends after its last line.
  bool keep_no_final = !ends.empty() && ends.back() == LineEnd::None && start + count >= lines.size();
  if (start == lines.size() && start > 0 && ends[start - 1] == LineEnd::None) {
    ends[start - 1] = new_end();
  }
  LineViews added;
  added.reserve(replacement.size());
  for (auto& l : replacement) added.push_back(storage->emplace_back(std::move(l)));
  size_t common = std::min(count, added.size());
  for (size_t i = 0; i < common; ++i) {
    lines[start + i] = added[i];
    ends[start + i] = new_end();
  }
  auto at = [](auto& v, size_t i) { return v.begin() + static_cast<long>(i); };
  if (added.size() > count) {
    lines.insert(at(lines, start + count), at(added, count), added.end());
    ends.insert(at(ends, start + count), added.size() - count, new_end());
  } else if (count > common) {
    lines.erase(at(lines, start + common), at(lines, start + count));
    ends.erase(at(ends, start + common), at(ends, start + count));
  }
  if (keep_no_final && !ends.empty()) ends.back() = LineEnd::None;
}

void FileLines::ensure_final_newline() {
  if (!ends.empty() && ends.back() == LineEnd::None) ends.back() = new_end();
}

const FileLines* FileState::original_split() {
  if (!original) return nullptr;
  if (!original_lines) original_lines = FileLines::parse(*original);
  return &*original_lines;
}

FileState& Workspace::file(const std::string& path) {
  auto it = files_.find(path);
  if (it != files_.end()) return it->second;
  FileState& st = files_[path];
  order_.push_back(path);
  auto read = source_.read(path);
  if (!read) {
    st.read_error = read.error();
  } else {
    st.original = std::move(*read);
    if (st.original) st.current = FileLines::parse(*st.original);
  }
  return st;
}

std::vector<FileChange> Workspace::changes() const {
  std::vector<FileChange> out;
  for (const auto& path : order_) {
    const FileState& st = files_.at(path);
    if (st.read_error) continue;
    std::optional<std::string> after;
    if (st.current) after = st.current->join();
    if (after == st.original) continue;
    out.push_back({path, st.original, std::move(after)});
  }
  return out;
}

std::string block_name(int index, std::string_view what) {
  return "Block " + std::to_string(index) + " (" + std::string(what) + ")";
}

}  // namespace detail

Result<std::optional<std::string>> DirectorySource::read(const std::string& path) {
  return text::read_repo_file(root_, path);
}

size_t EditPlan::applied() const {
  return static_cast<size_t>(
      std::count_if(results.begin(), results.end(), [](const BlockResult& r) { return r.applied; }));
}

size_t EditPlan::failed() const { return results.size() - applied(); }

std::string EditPlan::failure_report() const { return failure_report(true); }

namespace {

// "1, 2, 5" or, past 20 numbers, runs collapsed: "1-4, 7, 9-300".
std::string number_list(const std::vector<int>& v) {
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    if (v.size() > kDetailedFailures)
      while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(v[i]);
    if (j > i) out += "-" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

// A NUL byte in new text would make the file binary (and libgit2 cannot
// write it through a text patch): such an edit is refused with a reason the
// model can act on, before any file is touched.
constexpr const char* kNulRefusal =
    " holds a NUL byte (\\0). diffsmith only writes text files; resend the block without it "
    "(write an escape such as \\x00 or \\0 in the code instead of the raw byte).";

std::optional<BlockResult> refuse_nul(const SearchReplaceBlock& b) {
  if (b.replace.find('\0') == std::string::npos && b.search.find('\0') == std::string::npos)
    return std::nullopt;
  BlockResult r;
  r.index = b.index;
  r.path = b.path;
  r.line = b.line;
  r.error = detail::block_name(b.index, b.path) + ": the " +
            (b.replace.find('\0') != std::string::npos ? "REPLACE" : "SEARCH") + " text" + kNulRefusal;
  return r;
}

std::optional<BlockResult> refuse_nul(const PatchOp& op) {
  bool nul = op.content.find('\0') != std::string::npos;
  for (const auto& c : op.chunks)
    for (const auto& l : c.lines) nul = nul || l.text.find('\0') != std::string::npos;
  if (!nul) return std::nullopt;
  BlockResult r;
  r.index = op.index;
  r.path = op.path;
  r.line = op.line;
  r.error = detail::block_name(op.index, op.path) + ": the '*** " +
            (op.op == PatchOpKind::Add ? "Add" : "Update") + " File' section" + kNulRefusal;
  return r;
}

// Why an edit was not located: after kMaxFailedEditsPerReply failures, or
// after PlanOptions::stop said `stopped`.
std::string why_not_planned(const std::string& stopped) {
  if (!stopped.empty()) return stopped + ".";
  std::string cap = std::to_string(kMaxFailedEditsPerReply);
  return cap + " blocks of this reply failed already, so the blocks after them were not tried. Correct the " +
         "failed ones first, then send these again in a later reply, with fewer blocks per reply.";
}

BlockResult unplanned_result(const ParsedEdits& edits, bool block, size_t i, const std::string& why) {
  BlockResult r;
  r.index = block ? edits.blocks[i].index : edits.ops[i].index;
  r.path = block ? edits.blocks[i].path : edits.ops[i].path;
  r.line = block ? edits.blocks[i].line : edits.ops[i].line;
  r.error = detail::block_name(r.index, r.path) + ": not applied: " + why;
  return r;
}

}  // namespace

std::string EditPlan::failure_report(bool applied_blocks_written) const {
  if (failed() == 0) return {};
  std::string out =
      std::to_string(failed()) + " of " + std::to_string(results.size()) + " edit blocks failed.";
  // Small replies name each applied block's file; big ones (thousands of
  // blocks) only their numbers, so the report stays a readable size.
  std::vector<int> applied_ids, failed_ids;
  std::string applied_list;
  for (const auto& r : results) {
    (r.applied ? applied_ids : failed_ids).push_back(r.index);
    if (r.applied && results.size() <= kDetailedFailures) {
      if (!applied_list.empty()) applied_list += ", ";
      applied_list += std::to_string(r.index) + " (" + r.path + ")";
    }
  }
  if (results.size() > kDetailedFailures) applied_list = number_list(applied_ids);
  std::string failed_list = number_list(failed_ids);
  if (applied_list.empty()) {
    out += " No block was applied.";
  } else if (applied_blocks_written) {
    out += " Applied, and now in the files: block(s) " + applied_list +
           ". Do not resend those; resend only the failed block(s) " + failed_list +
           ", corrected against the files as they are now.";
  } else {
    out += " Block(s) " + applied_list +
           " would have applied, but nothing was written because the edits apply all or nothing. "
           "Resend all the blocks, with the failed one(s) " +
           failed_list + " corrected.";
  }
  size_t shown = 0;
  for (const auto& r : results) {
    if (r.applied) continue;
    if (++shown > kDetailedFailures) break;
    out += "\n\n" + r.error;
    if (!r.closest.empty()) {
      out += "\nThe closest lines in " + r.path + " (line numbers are not part of the file):\n```\n" +
             r.closest + "```";
    }
  }
  if (failed_ids.size() > kDetailedFailures) {
    out += "\n\n" + std::to_string(failed_ids.size() - kDetailedFailures) +
           " more failed block(s) are not explained here. Send fewer blocks per reply: fix the ones above "
           "first, then resend the others.";
  }
  if (!not_planned.empty())
    out += "\n\nBlock(s) " + number_list(not_planned) + " were not applied: " + not_planned_why;
  out += '\n';
  return out;
}

EditPlan plan_edits(const ParsedEdits& edits, FileSource& files, const PlanOptions& opts) {
  enum class Kind { Block, Op, Issue };
  struct Item {
    int index;
    Kind kind;
    size_t i;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < edits.blocks.size(); ++i) items.push_back({edits.blocks[i].index, Kind::Block, i});
  for (size_t i = 0; i < edits.ops.size(); ++i) items.push_back({edits.ops[i].index, Kind::Op, i});
  for (size_t i = 0; i < edits.errors.size(); ++i) items.push_back({edits.errors[i].index, Kind::Issue, i});
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.index < b.index; });

  std::vector<std::string> candidates;
  std::unordered_set<std::string> seen;
  for (const auto& c : opts.other_candidates) {
    auto clean = text::normalize_repo_path(c);
    if (clean && seen.insert(*clean).second) candidates.push_back(*clean);
  }
  detail::Workspace ws(files, std::move(candidates));
  EditPlan plan;
  size_t failed = 0;
  std::string stopped;
  for (const Item& item : items) {
    if (item.kind != Kind::Issue) {
      if (stopped.empty() && opts.stop) stopped = opts.stop();
      if (!stopped.empty() || failed >= kMaxFailedEditsPerReply) {
        std::string why = why_not_planned(stopped);
        plan.results.push_back(unplanned_result(edits, item.kind == Kind::Block, item.i, why));
        plan.not_planned.push_back(item.index);
        if (plan.not_planned_why.empty()) plan.not_planned_why = std::move(why);
        continue;
      }
    }
    switch (item.kind) {
      case Kind::Block:
        if (auto refused = refuse_nul(edits.blocks[item.i]))
          plan.results.push_back(std::move(*refused));
        else
          plan.results.push_back(detail::plan_search_replace(edits.blocks[item.i], ws));
        break;
      case Kind::Op:
        if (auto refused = refuse_nul(edits.ops[item.i]))
          plan.results.push_back(std::move(*refused));
        else
          plan.results.push_back(detail::plan_patch_op(edits.ops[item.i], ws));
        break;
      case Kind::Issue: {
        const ParseIssue& issue = edits.errors[item.i];
        BlockResult r;
        r.index = issue.index;
        r.line = issue.line;
        r.error = "Block " + std::to_string(issue.index) + " could not be parsed (line " +
                  std::to_string(issue.line) + " of your reply): " + issue.error;
        plan.results.push_back(std::move(r));
        break;
      }
    }
    if (item.kind != Kind::Issue && !plan.results.back().applied) ++failed;
  }
  plan.changes = ws.changes();
  return plan;
}

}  // namespace ds::edit
