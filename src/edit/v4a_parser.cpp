// V4A parsing. Each `*** Begin Patch` starts a patch; its body is a series of
// file sections (Add / Delete / Update [+ Move to] with @@ chunks) read line
// by line. A section with an error is dropped with one ParseIssue and the
// parser skips to the next `***` header, so the other sections still count.
#include "edit/v4a_parser.hpp"

#include <cctype>
#include <optional>

#include "edit/json_strings.hpp"
#include "edit/quote.hpp"
#include "text/lines.hpp"

namespace ds::edit {
namespace {

using text::starts_with;
using text::trim;

enum class Header { None, Begin, End, Add, Update, Delete, MoveTo, EndOfFile, Unknown };

struct HeaderLine {
  Header kind = Header::None;
  std::string arg;  // the path of Add/Update/Delete/Move to
};

// Lower case, runs of spaces collapsed: "End  Patch" -> "end patch".
std::string normalized(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string clean_path(std::string_view s) {
  s = trim(s);
  if (s.size() >= 4 && s.substr(s.size() - 4) == " ***") s = trim(s.substr(0, s.size() - 4));
  while (s.size() >= 2 && (s.front() == '`' || s.front() == '"' || s.front() == '\'') &&
         s.back() == s.front())
    s = trim(s.substr(1, s.size() - 2));
  return std::string(s);
}

// A `***` line (leading whitespace already judged by the caller).
HeaderLine classify(std::string_view line) {
  std::string_view s = trim(line);
  if (!starts_with(s, "***")) return {};
  std::string_view rest = trim(s.substr(3));
  std::string_view words = rest;
  while (!words.empty() && words.back() == '*') words.remove_suffix(1);
  std::string w = normalized(words);
  if (w == "begin patch") return {Header::Begin, ""};
  if (w == "end patch") return {Header::End, ""};
  if (w == "end of file") return {Header::EndOfFile, ""};
  static const struct {
    const char* key;
    Header kind;
  } kSections[] = {{"add file", Header::Add},
                   {"update file", Header::Update},
                   {"delete file", Header::Delete},
                   {"move to", Header::MoveTo}};
  // "Update File: p", also "Update  file:p"; the key is what precedes the ':'.
  size_t colon = rest.find(':');
  std::string key = normalized(rest.substr(0, colon));
  for (const auto& sec : kSections) {
    if (key == sec.key)
      return {sec.kind, colon == std::string_view::npos ? "" : clean_path(rest.substr(colon + 1))};
  }
  return {Header::Unknown, ""};
}

// The word that ends a heredoc opened on `line`: apply_patch <<'EOF' -> EOF.
std::string heredoc_word(std::string_view line) {
  size_t p = line.find("<<");
  if (p == std::string_view::npos) return "";
  std::string_view r = line.substr(p + 2);
  if (!r.empty() && r[0] == '-') r.remove_prefix(1);
  r = trim(r);
  if (!r.empty() && (r[0] == '\'' || r[0] == '"')) {
    size_t e = r.find(r[0], 1);
    return e == std::string_view::npos ? "" : std::string(r.substr(1, e - 1));
  }
  size_t e = 0;
  while (e < r.size() && (std::isalnum(static_cast<unsigned char>(r[e])) || r[e] == '_')) ++e;
  return std::string(r.substr(0, e));
}

bool is_fence_open(std::string_view line) {
  std::string_view t = trim(line);
  return starts_with(t, "```") || starts_with(t, "~~~");
}

// A closing ``` at the start of the line (" ```" is a context line).
bool is_bare_fence(std::string_view line) {
  std::string_view t = text::rtrim(line);
  return t.size() >= 3 && t.find_first_not_of(t[0]) == std::string_view::npos && (t[0] == '`' || t[0] == '~');
}

// "@@ -12,7 +12,8 @@ def run" (a unified-diff hunk header) -> "def run".
std::string_view drop_hunk_range(std::string_view scope) {
  std::string_view t = trim(scope);
  if (t.size() >= 2 && t[0] == '-' && std::isdigit(static_cast<unsigned char>(t[1]))) {
    size_t at = t.find("@@");
    if (at != std::string_view::npos) return t.substr(at + 2);
  }
  return scope;
}

class V4aParser {
 public:
  explicit V4aParser(std::vector<std::string> lines) : lines_(std::move(lines)) {}

  ParsedEdits run() {
    out_.format = Format::Patch;
    size_t i = 0;
    bool any_patch = false;
    while (true) {
      size_t b = i;
      while (b < lines_.size() && !is_begin_patch_line(lines_[b])) ++b;
      if (b >= lines_.size()) break;
      any_patch = true;
      i = parse_patch(i, b);
    }
    if (!any_patch) no_begin_marker();
    return std::move(out_);
  }

 private:
  int num(size_t i) const {
    return static_cast<int>(i < lines_.size() ? i : lines_.empty() ? 0 : lines_.size() - 1) + 1;
  }

  void issue(size_t at, const std::string& message) {
    out_.errors.push_back(
        ParseIssue{next_index_++, num(at), "line " + std::to_string(num(at)) + ": " + message});
  }

  // The current section is malformed: report it, drop it, skip its lines.
  void fail(size_t at, const std::string& message) {
    issue(at, message);
    op_.reset();
    skipping_ = true;
  }

  std::string section_name() const {
    static const char* kHeads[] = {"*** Add File: ", "*** Update File: ", "*** Delete File: "};
    return "'" + std::string(kHeads[static_cast<int>(op_->op)]) + op_->path + "' (line " +
           std::to_string(op_->line) + ")";
  }

  void no_begin_marker() {
    size_t first = 0;
    while (first < lines_.size() && trim(lines_[first]).empty()) ++first;
    size_t h = first;
    while (h < lines_.size()) {
      Header k = classify(lines_[h]).kind;
      if (k == Header::Add || k == Header::Update || k == Header::Delete) break;
      ++h;
    }
    if (h >= lines_.size()) {
      issue(first, first < lines_.size()
                       ? "expected '*** Begin Patch', but found " + quote_line(lines_[first]) +
                             " and no file section at all. A patch is '*** Begin Patch', file "
                             "sections ('*** Update File: <path>' ...), '*** End Patch'."
                       : "the patch is empty: expected '*** Begin Patch', file sections "
                         "('*** Update File: <path>' ...), then '*** End Patch'.");
      return;
    }
    issue(first, "expected '*** Begin Patch' as the first line of the patch, but found " +
                     quote_line(lines_[first]) +
                     "; the file sections below were read anyway. "
                     "Start the patch with '*** Begin Patch' and end it with '*** End Patch'.");
    parse_body(h, h, "", false, "");
  }

  // The patch whose Begin marker is line `b`; `from` is where the text after
  // the previous patch starts (for the wrapper lines). Returns where to resume.
  size_t parse_patch(size_t from, size_t b) {
    std::string terminator;
    bool fenced = false;
    int looked = 0;
    for (size_t k = b; k-- > from && looked < 2;) {
      if (trim(lines_[k]).empty()) continue;
      ++looked;
      if (terminator.empty()) terminator = heredoc_word(lines_[k]);
      fenced = fenced || is_fence_open(lines_[k]);
    }
    // A patch indented as a whole (inside a list item, say) loses that indent.
    std::string indent = lines_[b].substr(0, lines_[b].find_first_not_of(" \t"));
    for (size_t k = b + 1; k < lines_.size() && !indent.empty(); ++k) {
      if (classify(lines_[k]).kind == Header::End) break;
      if (!trim(lines_[k]).empty() && !starts_with(lines_[k], indent)) indent.clear();
    }
    return parse_body(b + 1, b, terminator, fenced, indent);
  }

  size_t parse_body(size_t start, size_t begin, const std::string& terminator, bool fenced,
                    const std::string& indent) {
    size_t items_before = out_.item_count();
    op_.reset();
    skipping_ = false;
    for (size_t j = start; j < lines_.size(); ++j) {
      std::string_view line = lines_[j];
      if (!indent.empty() && starts_with(line, indent)) line.remove_prefix(indent.size());
      if ((!terminator.empty() && text::rtrim(line) == terminator) || (fenced && is_bare_fence(line))) {
        finish_section();
        issue(j, "expected '*** End Patch' before " + quote_line(lines_[j]) +
                     ", which ends the wrapper. End every patch with '*** End Patch'.");
        return j + 1;
      }
      HeaderLine h = header_of(line);
      switch (h.kind) {
        case Header::End:
          finish_section();
          if (out_.item_count() == items_before)
            issue(j, "the patch from line " + std::to_string(num(begin)) + " to " + quote_line(lines_[j]) +
                         " has no file sections: expected '*** Add "
                         "File: <path>', '*** Update File: <path>' or '*** Delete File: <path>' "
                         "after '*** Begin Patch'.");
          return j + 1;
        case Header::Begin:
          finish_section();
          issue(j, "expected '*** End Patch' before the next " + quote_line(lines_[j]) +
                       ". End every patch with '*** End Patch'.");
          return j;
        case Header::Add:
        case Header::Update:
        case Header::Delete:
          finish_section();
          start_section(h, j);
          break;
        case Header::MoveTo:
          move_to(h, j);
          break;
        case Header::EndOfFile:
          end_of_file(j);
          break;
        case Header::Unknown:
          finish_section();
          fail(j, "unknown header " + quote_line(line) +
                      ": expected '*** Add File: <path>', "
                      "'*** Update File: <path>', '*** Delete File: <path>', '*** Move to: <path>' "
                      "(right after Update), '*** End of File' or '*** End Patch'.");
          break;
        case Header::None:
          body_line(line, j);
          break;
      }
    }
    std::string dropped;
    if (op_ && !skipping_)
      dropped = "; the section " + section_name() + " was not kept because it may be cut off";
    op_.reset();
    issue(lines_.size(), "the text ended without '*** End Patch'" + dropped +
                             ". End the patch with '*** End Patch' (and resend any section "
                             "that was not kept).");
    return lines_.size();
  }

  // `***` lines are headers. Inside an Update section a line starting with
  // a space is context unless it is a known marker after trimming
  // (` *** End Patch`, ` *** Update File: x`): models indent those, and
  // taking them as context failed the chunk and lost the end of the patch.
  HeaderLine header_of(std::string_view line) const {
    if (starts_with(line, "***")) return classify(line);
    if (!starts_with(trim(line), "***")) return {};
    HeaderLine h = classify(line);
    if (op_ && op_->op == PatchOpKind::Update && !skipping_ && line[0] == ' ' && h.kind == Header::Unknown)
      return {};
    return h;
  }

  void start_section(const HeaderLine& h, size_t j) {
    skipping_ = false;
    op_ = PatchOp{};
    op_->line = num(j);
    op_->op = h.kind == Header::Add      ? PatchOpKind::Add
              : h.kind == Header::Delete ? PatchOpKind::Delete
                                         : PatchOpKind::Update;
    op_->path = h.arg;
    add_lines_.clear();
    pending_blank_ = 0;
    chunk_closed_ = false;
    trailing_empty_ = 0;
    if (h.arg.empty())
      fail(j,
           "expected a file path after " + quote_line(lines_[j]) + ", e.g. '*** Update File: src/app.py'.");
  }

  void move_to(const HeaderLine& h, size_t j) {
    if (skipping_) return;
    if (!op_ || op_->op != PatchOpKind::Update || !op_->chunks.empty() || !op_->move_to.empty())
      return fail(j, "found " + quote_line(lines_[j]) +
                         " out of place: '*** Move to: <path>' "
                         "must directly follow '*** Update File: <path>'.");
    if (h.arg.empty())
      return fail(
          j, "expected a path after " + quote_line(lines_[j]) + ", e.g. '*** Move to: src/new_name.py'.");
    op_->move_to = h.arg;
  }

  void end_of_file(size_t j) {
    if (skipping_) return;
    if (!op_ || op_->op != PatchOpKind::Update || op_->chunks.empty() || chunk_closed_)
      return fail(j, "found " + quote_line(lines_[j]) +
                         " out of place: '*** End of File' "
                         "must follow the lines of a chunk in an '*** Update File:' section.");
    trailing_empty_ = 0;  // blank lines before End of File are meant
    chunk_closed_ = true;
    op_->chunks.back().end_of_file = true;
  }

  void body_line(std::string_view line, size_t j) {
    if (skipping_) return;
    if (!op_) {
      if (trim(line).empty()) return;
      return fail(j,
                  "expected a file header ('*** Add File: <path>', '*** Update File: "
                  "<path>', '*** Delete File: <path>') or '*** End Patch', but found " +
                      quote_line(line) + ".");
    }
    switch (op_->op) {
      case PatchOpKind::Add:
        if (trim(line).empty()) {
          ++pending_blank_;  // content if more '+' lines follow, else dropped
        } else if (line[0] == '+') {
          add_lines_.insert(add_lines_.end(), pending_blank_, "");
          pending_blank_ = 0;
          add_lines_.emplace_back(line.substr(1));
        } else {
          fail(j, "every line of " + section_name() + " must start with '+', but found " + quote_line(line) +
                      ". Put '+' before each line of the new file (a lone "
                      "'+' for an empty line).");
        }
        return;
      case PatchOpKind::Delete:
        if (!trim(line).empty())
          fail(j, section_name() + " takes no lines, but found " + quote_line(line) +
                      "; expected the next '*** ' header or '*** End Patch'.");
        return;
      case PatchOpKind::Update:
        break;
    }
    if (starts_with(line, "@@")) return scope_line(line, j);
    char kind = line.empty() ? ' ' : line[0];
    if (kind != ' ' && kind != '-' && kind != '+')
      return fail(j,
                  "expected a chunk line starting with ' ' (context), '-' (removed) or '+' "
                  "(added), an '@@' line or a '*** ' header in " +
                      section_name() + ", but found " + quote_line(line) +
                      ". Prefix every unchanged line with one space.");
    if (op_->chunks.empty()) {
      op_->chunks.push_back(PatchChunk{num(j), {}, {}, false});  // first chunk without @@
    } else if (chunk_closed_) {
      return fail(j, "expected '@@' to start a new chunk after '*** End of File', but found " +
                         quote_line(line) + ".");
    }
    trailing_empty_ = line.empty() ? trailing_empty_ + 1 : 0;
    op_->chunks.back().lines.push_back(
        PatchLine{kind, line.empty() ? std::string() : std::string(line.substr(1))});
  }

  void scope_line(std::string_view line, size_t j) {
    std::string_view scope = drop_hunk_range(line.substr(2));
    if (!scope.empty() && scope[0] == ' ') scope.remove_prefix(1);
    scope = text::rtrim(scope);
    if (scope.size() >= 2 && scope.substr(scope.size() - 2) == "@@")
      scope = text::rtrim(scope.substr(0, scope.size() - 2));
    if (op_->chunks.empty() || chunk_closed_ || !op_->chunks.back().lines.empty()) {
      close_chunk();
      op_->chunks.push_back(PatchChunk{num(j), {}, {}, false});
      chunk_closed_ = false;
    }
    op_->chunks.back().scopes.emplace_back(scope);
  }

  // Blank lines that only separate a chunk from the next @@ or section are
  // layout, not empty context lines.
  void close_chunk() {
    if (!op_ || op_->chunks.empty()) return;
    auto& lines = op_->chunks.back().lines;
    for (; trailing_empty_ > 0 && !lines.empty(); --trailing_empty_) lines.pop_back();
    trailing_empty_ = 0;
  }

  void finish_section() {
    if (!op_) return;
    close_chunk();
    PatchOp op = std::move(*op_);
    op_.reset();
    if (op.op == PatchOpKind::Update) {
      for (const PatchChunk& c : op.chunks) {
        if (c.lines.empty()) {
          issue(c.line - 1, "the chunk " + quote_line(lines_[c.line - 1]) +
                                " in '*** Update "
                                "File: " +
                                op.path +
                                "' has no lines: expected lines starting with "
                                "' ' (context), '-' (removed) or '+' (added) after it.");
          return;
        }
      }
      if (op.chunks.empty() && op.move_to.empty()) {
        issue(op.line - 1, quote_line(lines_[op.line - 1]) +
                               " has no changes: expected '@@' "
                               "and lines starting with ' ', '-' or '+' after it (or '*** Move to: "
                               "<path>' to rename the file).");
        return;
      }
    }
    if (op.op == PatchOpKind::Add) {
      for (const std::string& l : add_lines_) op.content += l + "\n";
    }
    op.index = next_index_++;
    out_.ops.push_back(std::move(op));
  }

  std::vector<std::string> lines_;
  ParsedEdits out_;
  int next_index_ = 1;
  std::optional<PatchOp> op_;  // the section being read
  bool skipping_ = false;      // after an error: ignore lines up to the next header
  std::vector<std::string> add_lines_;
  int pending_blank_ = 0;      // blank lines inside an Add section, not yet placed
  bool chunk_closed_ = false;  // the last chunk ended with *** End of File
  int trailing_empty_ = 0;     // empty lines at the end of the current chunk
};

}  // namespace

bool is_begin_patch_line(std::string_view line) { return classify(line).kind == Header::Begin; }

bool has_begin_patch_line(std::string_view s) {
  for (const std::string& line : text::split_lines(s))
    if (is_begin_patch_line(line)) return true;
  return false;
}

std::optional<std::string> unwrap_json_patch(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return std::nullopt;
  size_t e = text.find_last_not_of(" \t\r\n");
  std::string_view t = text.substr(b, e + 1 - b);
  if (t[0] != '"' && t[0] != '{' && t[0] != '[') return std::nullopt;
  std::optional<JsonStringValues> js = json_string_values(t);
  if (!js) return std::nullopt;
  for (std::string& s : js->strings)
    if (has_begin_patch_line(s)) return std::move(s);
  if (js->input) return js->input;
  if (js->top_is_string) return std::move(js->strings.front());
  return std::nullopt;
}

ParsedEdits parse_v4a(std::string_view text) {
  if (std::optional<std::string> inner = unwrap_json_patch(text))
    return V4aParser(text::split_lines(*inner)).run();
  return V4aParser(text::split_lines(text)).run();
}

}  // namespace ds::edit
