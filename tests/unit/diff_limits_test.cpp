// Which files a diff only names (binary, over the size limit) and the note
// line it writes for them: never their content, always their size.
#include "diff/diff_limits.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace ds::diff;

TEST_CASE("omission_by_content: a NUL in the first 8000 bytes of either side is binary, as git decides") {
  std::string text = "line\n";
  std::string nul_early = std::string("ab\0cd", 5);
  std::string nul_late = std::string(8000, 'x') + std::string(1, '\0');
  CHECK(omission_by_content(text, text) == Omission::None);
  CHECK(omission_by_content(text, nul_early) == Omission::Binary);
  CHECK(omission_by_content(nul_early, text) == Omission::Binary);
  CHECK(omission_by_content(nul_late, text) == Omission::None);  // git looks at 8000 bytes only
  CHECK(omission_by_content("", "") == Omission::None);
}

TEST_CASE("omission_by_size: either side over the limit, absent sides never") {
  CHECK(omission_by_size({100, 100}, 100) == Omission::None);
  CHECK(omission_by_size({100, 101}, 100) == Omission::OverLimit);
  CHECK(omission_by_size({101, std::nullopt}, 100) == Omission::OverLimit);
  CHECK(omission_by_size({std::nullopt, 101}, 100) == Omission::OverLimit);
  CHECK(omission_by_size({std::nullopt, std::nullopt}, 0) == Omission::None);
}

TEST_CASE("omitted_note: what the file is, its sizes, and the action, on one comment line") {
  OmittedFile created{"big.bin", Omission::Binary, {std::nullopt, 629145600}};
  CHECK(omitted_note(created, "not shown") ==
        "# diffsmith: big.bin: binary, new file, 629145600 bytes (600 MiB); not shown\n");

  OmittedFile deleted{"img.png", Omission::Binary, {2048, std::nullopt}};
  CHECK(omitted_note(deleted, "left out of this patch") ==
        "# diffsmith: img.png: binary, deleted, was 2048 bytes (2 KiB); left out of this patch\n");

  OmittedFile big{"data.json", Omission::OverLimit, {20000000, 20000001}, 10 << 20};
  CHECK(
      omitted_note(big, "not shown") ==
      "# diffsmith: data.json: over the 10 MiB size limit for diffs, 20000000 -> 20000001 bytes (19.1 MiB); "
      "not shown\n");

  // A path that could break the line (or the terminal) is C-quoted as git quotes it.
  OmittedFile odd{"a\nb c.bin", Omission::Binary, {std::nullopt, 3}};
  CHECK(omitted_note(odd, "not shown") ==
        "# diffsmith: \"a\\nb c.bin\": binary, new file, 3 bytes; not shown\n");

  CHECK(omitted_notes({created, deleted}, "x") == omitted_note(created, "x") + omitted_note(deleted, "x"));
}
