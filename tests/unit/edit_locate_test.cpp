// The locator and its helpers: punctuation folding, line-number prefixes,
// repository paths (on a real temp dir), every matching level, ambiguity,
// the closest region, and V4A forward seeking.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "edit/fold.hpp"
#include "edit/line_numbers.hpp"
#include "edit/locate.hpp"
#include "support/temp_dir.hpp"
#include "text/lines.hpp"
#include "text/repo_paths.hpp"

namespace fs = std::filesystem;
using namespace ds::edit;
using Status = Located::Status;

namespace {

Lines L(std::string_view text) { return ds::text::split_lines(text); }

// Writes `data` to `rel` under `root`, making the folders on the way.
void write_under(const fs::path& root, const std::string& rel, const std::string& data) {
  fs::create_directories((root / rel).parent_path());
  std::ofstream(root / rel, std::ios::binary) << data;
}

}  // namespace

TEST_CASE("fold_punctuation maps typographic punctuation to ASCII") {
  CHECK(fold_punctuation("print(\xE2\x80\x9Chi\xE2\x80\x9D)") == "print(\"hi\")");
  CHECK(fold_punctuation("it\xE2\x80\x99s") == "it's");
  CHECK(fold_punctuation("a \xE2\x80\x94 b \xE2\x80\x93 c \xE2\x88\x92 1") == "a - b - c - 1");
  CHECK(fold_punctuation("x\xC2\xA0=\xE2\x80\x83y") == "x = y");
  CHECK(fold_punctuation("wait\xE2\x80\xA6") == "wait...");
  CHECK(fold_punctuation("\xEF\xBB\xBFzero\xE2\x80\x8Bwidth") == "zerowidth");
  CHECK(fold_punctuation("caf\xC3\xA9 \xFF") == "caf\xC3\xA9 \xFF");  // letters and bad bytes kept
  CHECK(fold_punctuation("plain ascii") == "plain ascii");
  CHECK_FALSE(may_fold("plain"));
  CHECK(may_fold("caf\xC3\xA9"));
}

TEST_CASE("number_line formats like cat -n") {
  CHECK(number_line(1, "abc") == "     1\tabc");
  CHECK(number_line(123456, "") == "123456\t");
  CHECK(number_line(1234567, "x") == "1234567\tx");
}

TEST_CASE("strip_line_number_prefixes strips only complete, consecutive prefixes") {
  std::string t = number_line(41, "def f():") + "\n" + number_line(42, "    return 1") + "\n";
  REQUIRE(strip_line_number_prefixes(t));
  CHECK(t == "def f():\n    return 1\n");

  SECTION("an empty line takes a number") {
    std::string s = number_line(9, "a") + "\n\n" + number_line(11, "b") + "\n";
    REQUIRE(strip_line_number_prefixes(s));
    CHECK(s == "a\n\nb\n");
  }
  SECTION("a line reduced to its number is an empty line") {
    std::string s = number_line(9, "a") + "\n    10\n" + number_line(11, "b");
    REQUIRE(strip_line_number_prefixes(s));
    CHECK(s == "a\n\nb");
  }
  SECTION("left alone when a line has no prefix") {
    std::string s = number_line(1, "a") + "\nb\n";
    const std::string copy = s;
    CHECK_FALSE(strip_line_number_prefixes(s));
    CHECK(s == copy);
  }
  SECTION("left alone when numbers skip") {
    std::string s = number_line(1, "a") + "\n" + number_line(3, "b") + "\n";
    CHECK_FALSE(strip_line_number_prefixes(s));
  }
  SECTION("tab-separated data is not a prefix") {
    std::string s = "1\tAlice\n2\tBob\n";
    CHECK_FALSE(strip_line_number_prefixes(s));
    std::string numbers = "     1\n     2\n";  // bare numbers alone are data
    CHECK_FALSE(strip_line_number_prefixes(numbers));
  }
}

TEST_CASE("normalize_repo_path cleans relative paths and refuses unsafe ones") {
  CHECK(*ds::text::normalize_repo_path("src/app.py") == "src/app.py");
  CHECK(*ds::text::normalize_repo_path("./src//./app.py") == "src/app.py");
  CHECK(*ds::text::normalize_repo_path("src/../lib/x.c") == "lib/x.c");
  CHECK(*ds::text::normalize_repo_path("a b/\xC3\xA9.txt") == "a b/\xC3\xA9.txt");
  CHECK(*ds::text::normalize_repo_path(".gitignore") == ".gitignore");
  CHECK(*ds::text::normalize_repo_path("~notes") == "~notes");
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", ".git/config", "sub/.GIT/HEAD", "a\\b.txt",
                          "C:/x.txt", "~/x", "dir/", ".", "./", "a/..", "line\nbreak"}) {
    INFO(bad);
    auto r = ds::text::normalize_repo_path(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("invalid path") != std::string::npos);
  }
  auto nul = ds::text::normalize_repo_path(std::string_view("a\0b", 3));
  CHECK_FALSE(nul.ok());
}

TEST_CASE("read_repo_file reads work-tree files and refuses links, folders and binaries") {
  ds::test::TempDir repo_dir("ds_locate_"), outside_dir("ds_locate_");
  const fs::path repo(repo_dir.path), outside(outside_dir.path);
  write_under(repo, "src/app.py", "print(1)\n");
  write_under(repo, "data.bin", std::string("ab\0cd", 5));
  write_under(outside, "secret.txt", "secret\n");
  fs::create_symlink(outside, repo / "escape");
  fs::create_symlink(repo / "src/app.py", repo / "link.py");

  auto ok = ds::text::read_repo_file(repo, "./src/app.py");
  REQUIRE(ok.ok());
  REQUIRE(ok->has_value());
  CHECK(**ok == "print(1)\n");

  auto missing = ds::text::read_repo_file(repo, "src/new/deep.py");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());

  auto check_error = [&](const char* path, const char* needle) {
    INFO(path);
    auto r = ds::text::read_repo_file(repo, path);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find(needle) != std::string::npos);
  };
  check_error("escape/secret.txt", "symbolic link");
  check_error("link.py", "symbolic link");
  check_error("src", "folder");
  check_error("data.bin", "binary");
  check_error("src/app.py/x", "is a file");
  check_error("../outside.txt", "outside the repository");
  check_error(".git/config", ".git");
}

TEST_CASE("locate: exact match wins and keeps REPLACE as written") {
  Lines file = L("a\nb\nc\nd\n");
  Located r = locate_block(file, L("b\nc\n"), L("B\n"));
  REQUIRE(r.found());
  CHECK(r.level == kLevelExact);
  CHECK(r.start == 1);
  CHECK(r.count == 2);
  CHECK(r.replacement == L("B\n"));
}

TEST_CASE("locate: the strictest level with a match decides") {
  // Line 1 matches exactly; line 2 would match only ignoring trailing spaces.
  Located r = locate_block(L("x\nx  \n"), L("x\n"), L("y\n"));
  REQUIRE(r.found());
  CHECK(r.level == kLevelExact);
  CHECK(r.start == 0);
}

TEST_CASE("locate: trailing whitespace is ignored at the whitespace level") {
  Lines file = L("int a;   \nint b;\t\nint c;\n");
  Located r = locate_block(file, L("int a;\nint b;\n"), L("int a;\nint bb;\n"));
  REQUIRE(r.found());
  CHECK(r.level == kLevelWhitespace);
  // The unchanged line keeps the file's own bytes, trailing spaces included.
  CHECK(r.replacement == Lines{"int a;   ", "int bb;"});
}

TEST_CASE("locate: a consistent indentation difference is re-applied to REPLACE") {
  Lines file = L("class A:\n    def f(self):\n        if x:\n            return 1\n        return 2\n");
  SECTION("SEARCH less indented than the file") {
    Located r = locate_block(file, L("if x:\n    return 1\n"), L("if x:\n    return 3\nelse:\n    pass\n"));
    REQUIRE(r.found());
    CHECK(r.level == kLevelIndentation);
    CHECK(r.start == 2);
    CHECK(r.replacement ==
          Lines{"        if x:", "            return 3", "        else:", "            pass"});
  }
  SECTION("SEARCH more indented than the file") {
    Located r = locate_block(file, L("            def f(self):\n                if x:\n"),
                             L("            def g(self):\n\n                if y:\n"));
    REQUIRE(r.found());
    CHECK(r.level == kLevelIndentation);
    CHECK(r.start == 1);
    CHECK(r.replacement == Lines{"    def g(self):", "", "        if y:"});
  }
  SECTION("inconsistent indentation is not a match") {
    Located r = locate_block(file, L("if x:\n        return 1\n"), L("z\n"));
    CHECK_FALSE(r.found());
  }
}

TEST_CASE("locate: a spurious blank first or last line is dropped") {
  Lines file = L("a\nb\nc\n");
  Located r = locate_block(file, L("\nb\nc\n"), L("\nB\nc\n"));
  REQUIRE(r.found());
  CHECK(r.level == kLevelBlankLines);
  CHECK(r.start == 1);
  CHECK(r.count == 2);
  CHECK(r.replacement == Lines{"B", "c"});

  Located last = locate_block(file, L("a\nb\n\n"), L("A\n"));
  REQUIRE(last.found());
  CHECK(last.level == kLevelBlankLines);
  CHECK(last.start == 0);
  CHECK(last.count == 2);
  CHECK(last.replacement == Lines{"A"});  // REPLACE had no blank line to drop
}

TEST_CASE("locate: Unicode punctuation is folded") {
  Lines file = L("msg = \xE2\x80\x9Chello\xE2\x80\x9D\nx = a \xE2\x80\x94 b\n");
  Located r = locate_block(file, L("msg = \"hello\"\nx = a - b\n"), L("msg = \"hello\"\nx = a + b\n"));
  REQUIRE(r.found());
  CHECK(r.level == kLevelUnicode);
  // The untouched line keeps its curly quotes.
  CHECK(r.replacement == Lines{"msg = \xE2\x80\x9Chello\xE2\x80\x9D", "x = a + b"});
  // And the other way round: curly SEARCH, ASCII file.
  Located back = locate_block(L("say('hi')\n"), L("say(\xE2\x80\x98hi\xE2\x80\x99)\n"), L("say('bye')\n"));
  REQUIRE(back.found());
  CHECK(back.level == kLevelUnicode);
}

TEST_CASE("locate: `...` elision keeps the elided lines") {
  Lines file = L("def f():\n    a = 1\n    b = 2\n    c = 3\n    return a\n\nother()\n");
  Located r = locate_block(file, L("def f():\n...\n    return a\n"), L("def f(x):\n...\n    return x\n"));
  REQUIRE(r.found());
  CHECK(r.level == kLevelElision);
  CHECK(r.start == 0);
  CHECK(r.count == 5);
  CHECK(r.replacement == Lines{"def f(x):", "    a = 1", "    b = 2", "    c = 3", "    return x"});

  Located unpaired = locate_block(file, L("def f():\n...\n    return a\n"), L("def f(x):\n    return x\n"));
  CHECK(unpaired.status == Status::NotFound);
  CHECK(unpaired.note.find("pair up") != std::string::npos);

  SECTION("a `...` line that is real code matches exactly first") {
    Lines stub = L("def g():\n    ...\n");
    Located s = locate_block(stub, L("def g():\n    ...\n"), L("def g():\n    pass\n"));
    REQUIRE(s.found());
    CHECK(s.level == kLevelExact);
  }
}

TEST_CASE("locate: two or more matches are ambiguous, with their line numbers") {
  Lines file = L("x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n");
  Located r = locate_block(file, L("x = 1\n"), L("x = 9\n"));
  CHECK(r.status == Status::Ambiguous);
  CHECK(r.level == kLevelExact);
  CHECK(r.candidates == std::vector<size_t>{1, 3, 5});
  // More context makes it unique.
  Located u = locate_block(file, L("x = 1\nz = 3\n"), L("x = 9\nz = 3\n"));
  REQUIRE(u.found());
  CHECK(u.start == 2);
  // Ambiguity at the indentation level is also reported, not resolved.
  Located ind = locate_block(L("  a\n  b\n    a\n    b\n"), L("a\nb\n"), L("c\n"));
  CHECK(ind.status == Status::Ambiguous);
  CHECK(ind.level == kLevelIndentation);
  CHECK(ind.candidates == std::vector<size_t>{1, 3});
}

TEST_CASE("locate: not found when no level matches") {
  Located r = locate_block(L("a\nb\n"), L("a\nc\n"), L("x\n"));
  CHECK(r.status == Status::NotFound);
  CHECK(locate_block(L("a\n"), L("a\nb\nc\n"), L("")).status == Status::NotFound);
}

TEST_CASE("closest_region shows the best partial match with line numbers") {
  Lines file;
  for (int i = 1; i <= 200; ++i)
    file.push_back("line " + std::to_string(i) + " = value(" + std::to_string(i * 7) + ")");
  for (int i = 0; i < 100; ++i) file.push_back("}");  // a very common line must not attract the match
  Lines search = {"line 120 = value(840)", "line 121 = CHANGED", "line 122 = value(854)", "}"};
  ClosestRegion c = closest_region(file, search);
  CHECK(c.line == 120);
  CHECK(c.first == 118);
  CHECK(c.last == 125);  // two lines of context on each side of the 4-line block
  CHECK(c.text.rfind(number_line(118, "line 118 = value(826)") + "\n", 0) == 0);
  CHECK(c.text.find(number_line(121, "line 121 = value(847)") + "\n") != std::string::npos);

  SECTION("no line in common: the most similar line") {
    ClosestRegion s = closest_region(file, {"line 57 = valeu(399)"});
    CHECK(s.line == 57);
  }
  SECTION("nothing similar: nothing shown") {
    ClosestRegion s = closest_region(file, {"#include <zzzz>"});
    CHECK(s.line == 0);
    CHECK(s.text.empty());
  }
}

TEST_CASE("seek_forward finds the first match after a position, strictest first") {
  Lines file = L("a\nb\nc\na\nb  \nc\n");
  Seek s = seek_forward(file, L("a\nb\n"), 0);
  REQUIRE(s.found);
  CHECK(s.pos == 0);
  CHECK(s.level == kLevelExact);
  Seek later = seek_forward(file, L("a\nb\n"), 1);
  REQUIRE(later.found);
  CHECK(later.pos == 3);
  CHECK(later.level == kLevelWhitespace);
  Seek end = seek_forward(file, L("c\n"), 0, true);
  REQUIRE(end.found);
  CHECK(end.pos == 5);
  Seek trim = seek_forward(L("    x = 1\n"), L("x = 1\n"), 0);
  REQUIRE(trim.found);
  CHECK(trim.level == kLevelTrim);
  Seek uni = seek_forward(L("s = \xE2\x80\x9Cq\xE2\x80\x9D\n"), L("s = \"q\"\n"), 0);
  REQUIRE(uni.found);
  CHECK(uni.level == kLevelUnicode);
  CHECK_FALSE(seek_forward(file, L("c\na\n"), 3).found);
  Seek scope = seek_line_forward(L("class A:\n  def f():\nclass B:\n  def f():\n"), "def f():", 2);
  REQUIRE(scope.found);
  CHECK(scope.pos == 3);
}

// Speed is measured by bench/bench_apply (see bench/README.md), not here.
TEST_CASE("locate reports misses on a 1 MB file without a false match") {
  Lines file;
  size_t bytes = 0;
  for (int i = 0; bytes < (1 << 20); ++i) {
    std::string l = (i % 10 == 9) ? "    }" : "    total += compute_" + std::to_string(i) + "(x, y);";
    bytes += l.size() + 1;
    file.push_back(std::move(l));
  }
  size_t found = 0, regions = 0;
  for (int b = 0; b < 100; ++b) {
    int i = static_cast<int>(file.size() / 100) * b + 3;
    Lines search = {file[i], file[i + 1], "    missing_line_" + std::to_string(b) + "();"};
    Located r = locate_block(file, search, {"x"});
    found += r.found();
    regions += !closest_region(file, search).text.empty();
  }
  CHECK(found == 0);
  CHECK(regions == 100);
}
