// `diffsmith parse`: runs the edit-text parsers over a file or stdin and
// prints every block, op and malformed block in order of appearance, as a
// readable listing or as one JSON object (--json).
#include "agent/cli/parse.hpp"

#include <algorithm>
#include <cstdio>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>
#include <vector>

#include "agent/exit_code.hpp"
#include "base/file_io.hpp"
#include "edit/parse.hpp"
#include "json/value.hpp"

namespace ds::agent {
namespace {

using edit::ParsedEdits;
using json::Value;

// Blocks, ops and errors in index order.
struct Item {
  int index;
  const edit::SearchReplaceBlock* block = nullptr;
  const edit::PatchOp* op = nullptr;
  const edit::ParseIssue* issue = nullptr;
};

std::vector<Item> items_in_order(const ParsedEdits& p) {
  std::vector<Item> items;
  for (const auto& b : p.blocks) items.push_back(Item{b.index, &b, nullptr, nullptr});
  for (const auto& o : p.ops) items.push_back(Item{o.index, nullptr, &o, nullptr});
  for (const auto& e : p.errors) items.push_back(Item{e.index, nullptr, nullptr, &e});
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.index < b.index; });
  return items;
}

Value chunk_json(const edit::PatchChunk& c) {
  Value scopes = Value::array();
  for (const std::string& s : c.scopes) scopes.push(s);
  Value lines = Value::array();
  for (const edit::PatchLine& l : c.lines) lines.push(std::string(1, l.kind) + l.text);
  Value v = Value::object();
  v.set("line", c.line).set("scopes", std::move(scopes)).set("lines", std::move(lines));
  v.set("end_of_file", c.end_of_file);
  return v;
}

Value item_json(const Item& it) {
  Value v = Value::object();
  v.set("index", it.index);
  if (it.block) {
    v.set("line", it.block->line).set("path", it.block->path);
    v.set("search", it.block->search).set("replace", it.block->replace);
  } else if (it.op) {
    const edit::PatchOp& o = *it.op;
    v.set("line", o.line).set("op", edit::op_name(o.op)).set("path", o.path);
    v.set("move_to", o.move_to.empty() ? Value() : Value(o.move_to));
    Value chunks = Value::array();
    for (const edit::PatchChunk& c : o.chunks) chunks.push(chunk_json(c));
    v.set("chunks", std::move(chunks));
    if (o.op == edit::PatchOpKind::Add) v.set("content", o.content);
  } else {
    v.set("line", it.issue->line).set("error", it.issue->error);
  }
  return v;
}

// Every line of `text` (which ends in "\n" unless empty) behind `prefix`.
void print_lines(std::ostream& out, const std::string& text, const char* prefix) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out << prefix << std::string_view(text).substr(start, nl - start) << "\n";
    start = nl + 1;
  }
}

size_t count_lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

void print_item(std::ostream& out, const Item& it) {
  out << "[" << it.index << "] ";
  if (it.issue) {
    out << "error: " << it.issue->error << "\n";
  } else if (it.block) {
    const edit::SearchReplaceBlock& b = *it.block;
    out << "line " << b.line << "  " << b.path << "\n";
    out << "    SEARCH (" << count_lines(b.search) << " lines)\n";
    print_lines(out, b.search, "    | ");
    out << "    REPLACE (" << count_lines(b.replace) << " lines)\n";
    print_lines(out, b.replace, "    | ");
  } else {
    const edit::PatchOp& o = *it.op;
    out << "line " << o.line << "  " << edit::op_name(o.op) << " " << o.path;
    if (!o.move_to.empty()) out << " -> " << o.move_to;
    out << "\n";
    if (o.op == edit::PatchOpKind::Add) print_lines(out, o.content, "    +");
    for (const edit::PatchChunk& c : o.chunks) {
      if (c.scopes.empty()) out << "    (chunk at line " << c.line << ", no @@)\n";
      for (const std::string& s : c.scopes) out << "    @@" << (s.empty() ? "" : " ") << s << "\n";
      for (const edit::PatchLine& l : c.lines) out << "    " << l.kind << l.text << "\n";
      if (c.end_of_file) out << "    *** End of File\n";
    }
  }
}

}  // namespace

int run_parse_command(const ParseCommandOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  edit::Format format;
  if (o.format == "auto") {
    format = edit::Format::Auto;
  } else if (o.format == "search-replace") {
    format = edit::Format::SearchReplace;
  } else if (o.format == "patch") {
    format = edit::Format::Patch;
  } else {
    return fail(err, "parse", "unknown --format '" + o.format + "'; use auto, search-replace or patch.",
                ExitCode::Usage);
  }

  std::string text;
  if (o.input == "-") {
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    auto data = read_whole_file(o.input);
    if (!data)
      return fail(err, "parse", data.error().message + ". Check the path, or pass - to read standard input.",
                  ExitCode::Usage);
    text = std::move(*data);
  }

  ParsedEdits parsed = edit::parse_edits(text, format);
  std::vector<Item> items = items_in_order(parsed);
  if (o.json) {
    Value blocks = Value::array();
    for (const Item& it : items) blocks.push(item_json(it));
    Value doc = Value::object();
    doc.set("format", edit::format_name(parsed.format)).set("blocks", std::move(blocks));
    doc.set("errors", parsed.errors.size());
    out << json::dump(doc) << "\n";
  } else {
    size_t found = parsed.blocks.size() + parsed.ops.size();
    out << edit::format_name(parsed.format) << ": " << found << (found == 1 ? " block" : " blocks") << ", "
        << parsed.errors.size() << " malformed\n";
    for (const Item& it : items) print_item(out, it);
  }
  return parsed.errors.empty() ? 0 : 1;
}

}  // namespace ds::agent
