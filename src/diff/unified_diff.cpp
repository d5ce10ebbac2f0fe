// Unified diffs with git headers. The line diff comes from dtl on the part
// of the file between the common prefix and suffix, so a few edits in a big
// file cost little more than one pass over it.
#include "diff/unified_diff.hpp"

#include <algorithm>
#include <dtl/dtl.hpp>
#include <string_view>

#include "text/lines.hpp"

namespace ds::diff {
namespace {

using LineViews = std::vector<std::string_view>;  // lines with their endings

// One line of the edit script. `a` and `b` count the before/after lines that
// precede this one, so ' ' and '-' show before[a], '+' shows after[b].
struct Op {
  char kind;
  size_t a, b;
};

std::vector<Op> edit_script(const LineViews& before, const LineViews& after) {
  size_t na = before.size(), nb = after.size();
  size_t prefix = 0;
  while (prefix < na && prefix < nb && before[prefix] == after[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < na - prefix && suffix < nb - prefix && before[na - 1 - suffix] == after[nb - 1 - suffix]) {
    ++suffix;
  }
  std::vector<Op> ops;
  ops.reserve(std::max(na, nb) + 8);
  for (size_t i = 0; i < prefix; ++i) ops.push_back({' ', i, i});

  LineViews mid_a(before.begin() + static_cast<long>(prefix), before.end() - static_cast<long>(suffix));
  LineViews mid_b(after.begin() + static_cast<long>(prefix), after.end() - static_cast<long>(suffix));
  size_t a = prefix, b = prefix;
  std::vector<Op> dels, adds;  // a run of changes: deletions are shown first
  auto flush = [&] {
    ops.insert(ops.end(), dels.begin(), dels.end());
    ops.insert(ops.end(), adds.begin(), adds.end());
    dels.clear();
    adds.clear();
  };
  auto del = [&] { dels.push_back({'-', a++, 0}); };
  auto add = [&] { adds.push_back({'+', 0, b++}); };
  if (mid_a.empty() || mid_b.empty()) {
    for (size_t i = 0; i < mid_a.size(); ++i) del();
    for (size_t i = 0; i < mid_b.size(); ++i) add();
  } else {
    dtl::Diff<std::string_view, LineViews> diff(mid_a, mid_b);
    diff.compose();
    for (const auto& [elem, info] : diff.getSes().getSequence()) {
      if (info.type == dtl::SES_COMMON) {
        flush();
        ops.push_back({' ', a++, b++});
      } else if (info.type == dtl::SES_DELETE) {
        del();
      } else {
        add();
      }
    }
  }
  flush();
  // A deletion's `b` and an addition's `a` are the other side's position.
  size_t pa = 0, pb = 0;
  for (Op& op : ops) {
    if (op.kind == '-')
      op.b = pb;
    else if (op.kind == '+')
      op.a = pa;
    if (op.kind != '+') pa = op.a + 1;
    if (op.kind != '-') pb = op.b + 1;
  }
  for (size_t i = 0; i < suffix; ++i) ops.push_back({' ', na - suffix + i, nb - suffix + i});
  return ops;
}

std::string range(size_t start, size_t count) {
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

void emit_line(std::string& out, char kind, std::string_view line) {
  out += kind;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

void emit_hunks(std::string& out, const LineViews& before, const LineViews& after, size_t context) {
  std::vector<Op> ops = edit_script(before, after);
  auto is_change = [&](size_t i) { return ops[i].kind != ' '; };
  size_t i = 0;
  while (i < ops.size()) {
    size_t c = i;
    while (c < ops.size() && !is_change(c)) ++c;
    if (c == ops.size()) break;
    size_t start = c >= i + context ? c - context : i;
    size_t end = c;  // one past the last change of the hunk
    while (true) {
      while (end < ops.size() && is_change(end)) ++end;
      size_t next = end;
      while (next < ops.size() && !is_change(next)) ++next;
      if (next == ops.size() || next - end > 2 * context) break;
      end = next;
    }
    size_t stop = std::min(ops.size(), end + context);
    size_t old_count = 0, new_count = 0;
    for (size_t k = start; k < stop; ++k) {
      if (ops[k].kind != '+') ++old_count;
      if (ops[k].kind != '-') ++new_count;
    }
    size_t old_start = ops[start].a + (old_count ? 1 : 0);
    size_t new_start = ops[start].b + (new_count ? 1 : 0);
    out += "@@ -" + range(old_start, old_count) + " +" + range(new_start, new_count) + " @@\n";
    for (size_t k = start; k < stop; ++k) {
      const Op& op = ops[k];
      emit_line(out, op.kind, op.kind == '+' ? after[op.b] : before[op.a]);
    }
    i = stop;
  }
}

}  // namespace

// C-quoted when the path holds a quote, a backslash or a control character
// (as git does), and also when it holds a space: libgit2 1.5 cannot split an
// unquoted `diff --git a/x y b/x y` line and then fails (or crashes) on
// creations and deletions; git accepts the quotes.
std::string header_path(std::string_view prefix, std::string_view path) {
  bool quote = std::any_of(path.begin(), path.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c <= 0x20 || c == 0x7f || c == '"' || c == '\\';
  });
  if (!quote) return std::string(prefix) + std::string(path);
  std::string out = "\"" + std::string(prefix);
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          const char oct[] = {'\\', static_cast<char>('0' + (c >> 6)),
                              static_cast<char>('0' + ((c >> 3) & 7)), static_cast<char>('0' + (c & 7)),
                              '\0'};
          out += oct;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string unified_diff_file(const FileChange& change, int context) {
  if (change.before == change.after) return {};
  const std::string a_name = header_path("a/", change.path);
  const std::string b_name = header_path("b/", change.path);
  std::string out = "diff --git " + a_name + " " + b_name + "\n";
  const std::string_view before = change.before ? std::string_view(*change.before) : std::string_view();
  const std::string_view after = change.after ? std::string_view(*change.after) : std::string_view();
  if (!change.before) out += "new file mode 100644\n";
  if (!change.after) out += "deleted file mode 100644\n";
  // Always ---/+++ lines, even for an empty file created or deleted (no
  // hunk): libgit2 1.5's parser rejects a header without them, git accepts both.
  out += "--- " + (change.before ? a_name : std::string("/dev/null")) + "\n";
  out += "+++ " + (change.after ? b_name : std::string("/dev/null")) + "\n";
  emit_hunks(out, text::split_lines_keep(before), text::split_lines_keep(after),
             static_cast<size_t>(std::max(context, 0)));
  return out;
}

std::string unified_diff(const std::vector<FileChange>& changes, int context) {
  std::string out;
  for (const auto& change : changes) out += unified_diff_file(change, context);
  return out;
}

}  // namespace ds::diff
