// libFuzzer target: the V4A (`*** Begin Patch`) parser, including its JSON
// and heredoc unwrapping, on any bytes. Checks the shape the planner relies
// on: unique 1-based indexes, Add contents of whole lines, Update sections
// that carry chunks (each with lines) or a move, chunk line kinds ' ', '-', '+'.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "edit/parse.hpp"
#include "fuzz_check.hpp"

using namespace ds::edit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ParsedEdits e = parse_v4a(text);
  FUZZ_CHECK(e.format == Format::Patch, "the V4A parser reports its own format");
  FUZZ_CHECK(e.blocks.empty(), "no SEARCH/REPLACE blocks from the V4A parser");
  FUZZ_CHECK(e.item_count() > 0, "any text gives an operation or an issue (an empty patch is an error)");
  const size_t n = e.item_count();
  std::vector<bool> seen(n + 1, false);
  auto check_index = [&](int index) {
    FUZZ_CHECK(index >= 1 && static_cast<size_t>(index) <= n, "item index within 1..item_count");
    FUZZ_CHECK(!seen[static_cast<size_t>(index)], "item indexes are unique");
    seen[static_cast<size_t>(index)] = true;
  };
  for (const PatchOp& op : e.ops) {
    check_index(op.index);
    FUZZ_CHECK(op.line >= 1, "an operation names its header line");
    FUZZ_CHECK(!op.path.empty(), "a kept section has a path");
    switch (op.op) {
      case PatchOpKind::Add:
        FUZZ_CHECK(op.content.empty() || op.content.back() == '\n', "Add content is whole lines");
        FUZZ_CHECK(op.chunks.empty() && op.move_to.empty(), "Add has no chunks and no move");
        break;
      case PatchOpKind::Delete:
        FUZZ_CHECK(op.chunks.empty() && op.content.empty(), "Delete carries nothing");
        break;
      case PatchOpKind::Update:
        FUZZ_CHECK(!op.chunks.empty() || !op.move_to.empty(), "Update changes something");
        for (const PatchChunk& c : op.chunks) {
          FUZZ_CHECK(!c.lines.empty(), "a kept chunk has lines");
          FUZZ_CHECK(c.line >= 1, "a chunk names its line");
          for (const PatchLine& l : c.lines)
            FUZZ_CHECK(l.kind == ' ' || l.kind == '-' || l.kind == '+', "chunk line kinds");
        }
        break;
    }
  }
  for (const ParseIssue& i : e.errors) {
    check_index(i.index);
    FUZZ_CHECK(i.line >= 1, "an issue names its line");
    FUZZ_CHECK(!i.error.empty(), "an issue says what went wrong");
  }
  (void)unwrap_json_patch(text);
  (void)is_begin_patch_line(text.substr(0, text.find('\n')));
  return 0;
}
