// libFuzzer target: the SEARCH/REPLACE parser (and format detection) on any
// bytes. Beyond "no crash, no leak, no UB", it checks what the planner and
// the model's feedback rely on: every item has a unique 1-based index, every
// line number points into the reply, and texts are whole LF lines.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "edit/parse.hpp"
#include "edit/quote.hpp"
#include "fuzz_check.hpp"
#include "text/lines.hpp"

using namespace ds::edit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t line_count = ds::text::split_lines(text).size();

  ParsedEdits e = parse_search_replace(text);
  FUZZ_CHECK(e.format == Format::SearchReplace, "the SEARCH/REPLACE parser reports its own format");
  FUZZ_CHECK(e.ops.empty(), "no V4A operations from the SEARCH/REPLACE parser");
  const size_t n = e.item_count();
  std::vector<bool> seen(n + 1, false);
  auto check_index = [&](int index) {
    FUZZ_CHECK(index >= 1 && static_cast<size_t>(index) <= n, "item index within 1..item_count");
    FUZZ_CHECK(!seen[static_cast<size_t>(index)], "item indexes are unique");
    seen[static_cast<size_t>(index)] = true;
  };
  auto check_line = [&](int line) {
    FUZZ_CHECK(line >= 1 && static_cast<size_t>(line) <= std::max<size_t>(1, line_count),
               "line numbers point into the reply");
  };
  for (const SearchReplaceBlock& b : e.blocks) {
    check_index(b.index);
    check_line(b.line);
    FUZZ_CHECK(!b.path.empty(), "a kept block has a path");
    FUZZ_CHECK(b.search.empty() || b.search.back() == '\n', "SEARCH is whole lines");
    FUZZ_CHECK(b.replace.empty() || b.replace.back() == '\n', "REPLACE is whole lines");
  }
  for (const ParseIssue& i : e.errors) {
    check_index(i.index);
    check_line(i.line);
    FUZZ_CHECK(!i.error.empty(), "a parse issue says what went wrong");
  }
  // Blocks keep reply order.
  for (size_t k = 1; k < e.blocks.size(); ++k)
    FUZZ_CHECK(e.blocks[k - 1].index < e.blocks[k].index && e.blocks[k - 1].line < e.blocks[k].line,
               "blocks come in reply order");

  // The entry points the agent calls on a whole reply.
  Format f = detect_format(text);
  ParsedEdits autod = parse_edits(text, Format::Auto);
  FUZZ_CHECK(autod.format == f, "parse_edits(Auto) parses the detected format");
  if (!text.empty()) {
    std::string_view first = text.substr(0, text.find('\n'));
    (void)path_from_line(first);
    (void)quote_line(first);
  }
  return 0;
}
