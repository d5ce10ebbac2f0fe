// libFuzzer target: the locator and the planner on (file, edit) pairs.
// Input: one mode byte, then the file's bytes, a "\n~~~~\n" line, then the
// edit text. Bit 2 of the mode byte gives the file a final newline (the
// separator's own newline is not part of the file). Modes (byte % 4):
//   0-2  plan_edits (SEARCH/REPLACE, V4A, auto-detected) against an
//        in-memory repository where every path holds the file (paths
//        starting with 'n' do not exist); the exact patch built for each
//        change must reproduce the new contents (diff_oracle.hpp);
//   3    locate_block / closest_region / seek_forward directly, with the
//        edit text split at a "=======" line into SEARCH and REPLACE.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "diff/unified_diff.hpp"
#include "diff_oracle.hpp"
#include "edit/locate.hpp"
#include "edit/parse.hpp"
#include "edit/plan.hpp"
#include "fuzz_check.hpp"
#include "text/lines.hpp"

using namespace ds::edit;

namespace {

class SameFileSource : public FileSource {
 public:
  explicit SameFileSource(std::string content) : content_(std::move(content)) {}
  ds::Result<std::optional<std::string>> read(const std::string& path) override {
    if (!path.empty() && path[0] == 'n') return std::optional<std::string>();
    return std::optional<std::string>(content_);
  }

 private:
  std::string content_;
};

void check_plan(const std::string& file, std::string_view edits, Format f) {
  ParsedEdits parsed = parse_edits(edits, f);
  SameFileSource source(file);
  EditPlan plan = plan_edits(parsed, source);
  FUZZ_CHECK(plan.results.size() == parsed.item_count(), "one result per parsed item");
  for (size_t k = 0; k < plan.results.size(); ++k) {
    const BlockResult& r = plan.results[k];
    FUZZ_CHECK(r.index == static_cast<int>(k) + 1, "results in index order");
    if (r.applied)
      FUZZ_CHECK(!r.level.empty(), "an applied block says how it matched");
    else
      FUZZ_CHECK(!r.error.empty(), "a failed block says why");
  }
  FUZZ_CHECK(plan.failed() == 0 || !plan.failure_report().empty(), "failures are reported");
  for (const FileChange& c : plan.changes) {
    FUZZ_CHECK(c.before != c.after, "a change changes something");
    if (c.before) FUZZ_CHECK(*c.before == file, "before is what the source held");
    std::string section = unified_diff_file(c);
    FUZZ_CHECK(!section.empty(), "every change has a patch");
    FUZZ_CHECK((section.find("\nnew file mode") != std::string::npos) == !c.before, "creation header");
    FUZZ_CHECK((section.find("\ndeleted file mode") != std::string::npos) == !c.after, "deletion header");
    std::string why;
    auto applied = ds::fuzz::apply_section(c.before ? *c.before : std::string(), section, &why);
    FUZZ_CHECK(applied.has_value(), why.c_str());
    FUZZ_CHECK(*applied == (c.after ? *c.after : std::string()), "the patch reproduces the new contents");
  }
}

void check_locate(const std::string& file, std::string_view edits, size_t from_seed) {
  size_t div = edits.find("\n=======\n");
  std::string_view search_text = edits.substr(0, div);
  std::string_view replace_text = div == std::string_view::npos ? std::string_view() : edits.substr(div + 9);
  Lines search = ds::text::split_lines(search_text);
  Lines replace = ds::text::split_lines(replace_text);
  Lines lines = ds::text::split_lines(file);
  LineViews views = as_views(lines);
  if (!search.empty()) {
    Located loc = locate_block(views, search, replace);
    switch (loc.status) {
      case Located::Status::Found:
        FUZZ_CHECK(loc.start + loc.count <= lines.size(), "a match lies inside the file");
        FUZZ_CHECK(!loc.level.empty(), "a match names its level");
        if (loc.level == kLevelExact) {
          FUZZ_CHECK(loc.count == search.size(), "an exact match spans the SEARCH lines");
          for (size_t k = 0; k < search.size(); ++k)
            FUZZ_CHECK(lines[loc.start + k] == search[k], "an exact match is exact");
        }
        break;
      case Located::Status::Ambiguous:
        FUZZ_CHECK(loc.candidates.size() >= 2 && loc.candidates.size() <= 20, "ambiguity lists 2..20 places");
        for (size_t c : loc.candidates) FUZZ_CHECK(c >= 1 && c <= lines.size(), "candidates are file lines");
        break;
      case Located::Status::NotFound:
        break;
    }
    ClosestRegion cr = closest_region(views, search, 1 + from_seed % 40);
    FUZZ_CHECK(cr.line <= lines.size(), "the closest line is a file line");
    FUZZ_CHECK(cr.first <= cr.last && cr.last <= lines.size(), "the shown range is inside the file");
    size_t from = lines.empty() ? 0 : from_seed % (lines.size() + 1);
    Seek s = seek_forward(views, search, from, (from_seed & 1) != 0);
    if (s.found) {
      FUZZ_CHECK(s.pos + search.size() <= lines.size(), "a V4A match lies inside the file");
      FUZZ_CHECK(s.pos >= from || (from_seed & 1) != 0, "seek_forward does not go back");
      if (s.level == kLevelExact)
        for (size_t k = 0; k < search.size(); ++k)
          FUZZ_CHECK(lines[s.pos + k] == search[k], "exact V4A match");
    }
    Seek sl = seek_line_forward(views, search.front(), from);
    if (sl.found)
      FUZZ_CHECK(sl.pos >= from && sl.pos < lines.size(), "a scope line is a file line at or after from");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  unsigned mode = data[0] % 4;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr std::string_view kSep = "\n~~~~\n";
  size_t sep = rest.find(kSep);
  if (sep == std::string_view::npos) return 0;
  std::string file(rest.substr(0, sep));
  if (data[0] & 4) file += '\n';
  std::string_view edits = rest.substr(sep + kSep.size());
  switch (mode) {
    case 0:
      check_plan(file, edits, Format::SearchReplace);
      break;
    case 1:
      check_plan(file, edits, Format::Patch);
      break;
    case 2:
      check_plan(file, edits, Format::Auto);
      break;
    default:
      check_locate(file, edits, size);
      break;
  }
  return 0;
}
