// Format detection and dispatch (parse_edits), JSON unwrapping of patches,
// and how issue texts quote lines.
#include <catch2/catch.hpp>
#include <string>

#include "edit/parse.hpp"
#include "edit/quote.hpp"

using ds::edit::detect_format;
using ds::edit::Format;
using ds::edit::parse_edits;

TEST_CASE("auto: a Begin Patch marker selects the patch format") {
  CHECK(detect_format("*** Begin Patch\n*** Delete File: a\n*** End Patch\n") == Format::Patch);
  CHECK(detect_format("Sure:\n\n  *** Begin Patch ***\n*** Delete File: a\n") == Format::Patch);
  CHECK(detect_format("apply_patch <<'EOF'\n***Begin Patch\n") == Format::Patch);
  CHECK(detect_format("{\"input\": \"*** Begin Patch\\n*** Delete File: a\\n*** End Patch\"}") ==
        Format::Patch);
  CHECK(detect_format("\"*** Begin Patch\\n*** End Patch\"") == Format::Patch);
}

TEST_CASE("auto: everything else is SEARCH/REPLACE") {
  CHECK(detect_format("") == Format::SearchReplace);
  CHECK(detect_format("a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n") == Format::SearchReplace);
  CHECK(detect_format("The V4A format starts with *** Begin Patch on its own line.\n") ==
        Format::SearchReplace);
  CHECK(detect_format("{\"input\": \"no patch here\"}") == Format::SearchReplace);
  CHECK(detect_format("*** Update File: a.py\n-x\n+y\n") == Format::SearchReplace);
}

TEST_CASE("auto: whichever marker comes first wins when a reply holds both") {
  // A SEARCH/REPLACE block editing a document that contains a V4A example.
  const char* sr_first =
      "docs/formats.md\n```\n<<<<<<< SEARCH\n*** Begin Patch\n=======\n*** Begin Patch\n"
      "*** End Patch\n>>>>>>> REPLACE\n```\n";
  CHECK(detect_format(sr_first) == Format::SearchReplace);
  ds::edit::ParsedEdits r = parse_edits(sr_first);
  CHECK(r.format == Format::SearchReplace);
  REQUIRE(r.blocks.size() == 1);
  CHECK(r.blocks[0].replace == "*** Begin Patch\n*** End Patch\n");

  // A patch adding a file whose text holds SEARCH/REPLACE markers.
  const char* patch_first =
      "*** Begin Patch\n*** Add File: notes.md\n+<<<<<<< SEARCH\n+=======\n+>>>>>>> REPLACE\n"
      "*** End Patch\n";
  CHECK(detect_format(patch_first) == Format::Patch);
  ds::edit::ParsedEdits p = parse_edits(patch_first);
  CHECK(p.format == Format::Patch);
  REQUIRE(p.ops.size() == 1);
  CHECK(p.ops[0].content == "<<<<<<< SEARCH\n=======\n>>>>>>> REPLACE\n");
}

TEST_CASE("auto: parse_edits obeys a forced format") {
  const char* patch = "*** Begin Patch\n*** Delete File: a\n*** End Patch\n";
  ds::edit::ParsedEdits as_sr = parse_edits(patch, Format::SearchReplace);
  CHECK(as_sr.format == Format::SearchReplace);
  CHECK(as_sr.item_count() == 0);
  ds::edit::ParsedEdits as_patch = parse_edits(patch, Format::Patch);
  CHECK(as_patch.format == Format::Patch);
  CHECK(as_patch.ops.size() == 1);
  ds::edit::ParsedEdits sr_as_patch =
      parse_edits("a.py\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n", Format::Patch);
  CHECK(sr_as_patch.ops.empty());
  REQUIRE(sr_as_patch.errors.size() == 1);
  CHECK(sr_as_patch.errors[0].error.find("expected '*** Begin Patch'") != std::string::npos);
}

TEST_CASE("auto: unwrap_json_patch") {
  using ds::edit::unwrap_json_patch;
  CHECK(unwrap_json_patch("*** Begin Patch\n") == std::nullopt);
  CHECK(unwrap_json_patch("{\"input\": ") == std::nullopt);      // truncated JSON
  CHECK(unwrap_json_patch("\"abc\" trailing") == std::nullopt);  // not one document
  CHECK(unwrap_json_patch("{\"input\": 42}") == std::nullopt);
  CHECK(unwrap_json_patch("[1, 2]") == std::nullopt);
  CHECK(unwrap_json_patch("\"a\\nb\"") == std::optional<std::string>("a\nb"));
  CHECK(unwrap_json_patch("{\"input\": \"x\"}") == std::optional<std::string>("x"));
  CHECK(unwrap_json_patch("{\"other\": {\"input\": \"nested\"}}") == std::nullopt);
  CHECK(unwrap_json_patch("{\"a\": \"\\u00\"}") == std::nullopt);  // bad escape
  CHECK(unwrap_json_patch("{\"a\": \"\\ud800x\"}") ==
        std::optional<std::string>(std::nullopt));  // no Begin line, no input member
  CHECK(unwrap_json_patch("\"\\ud800x\"") == std::optional<std::string>("\xEF\xBF\xBDx"));
  CHECK(unwrap_json_patch("{\"input\":\"p\",\"patch\":\"*** Begin Patch\\n\"}") ==
        std::optional<std::string>("*** Begin Patch\n"));
  std::string deep(100, '[');
  CHECK(unwrap_json_patch(deep + "\"*** Begin Patch\"" + std::string(100, ']')) ==
        std::nullopt);  // nesting limit, no crash
}

TEST_CASE("auto: quote_line quotes, marks empty lines and shortens long ones") {
  using ds::edit::quote_line;
  CHECK(quote_line("=======") == "'======='");
  CHECK(quote_line("x  \r") == "'x'");
  CHECK(quote_line("") == "'' (an empty line)");
  std::string long_line(170, 'a');
  long_line += "\xc3\xa9";  // a 2-byte character straddling the cut is not split
  std::string q = quote_line(std::string(159, 'b') + "\xc3\xa9" + "tail");
  CHECK(q == "'" + std::string(159, 'b') + "...' (165 bytes)");
  CHECK(quote_line(long_line).size() < 200);
}

TEST_CASE("auto: format names") {
  CHECK(std::string(ds::edit::format_name(Format::SearchReplace)) == "search-replace");
  CHECK(std::string(ds::edit::format_name(Format::Patch)) == "patch");
  CHECK(std::string(ds::edit::format_name(Format::Auto)) == "auto");
}
