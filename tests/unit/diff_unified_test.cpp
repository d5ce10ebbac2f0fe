// unified_diff: the exact text of small patches, and for many random-ish
// before/after pairs (CRLF, no final newline, empty files, creation,
// deletion, Unicode) the patch applied by real `git apply` in a temp repo and
// by a strict applier that, like libgit2, takes every hunk at its stated line.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "diff/unified_diff.hpp"
#include "text/lines.hpp"

namespace fs = std::filesystem;
using namespace ds::diff;

namespace {

struct TempRepo {
  fs::path path;
  TempRepo() {
    std::string tmpl = (fs::temp_directory_path() / "ds_diff_XXXXXX").string();
    path = mkdtemp(tmpl.data());
    REQUIRE(run("git init -q ."));
  }
  ~TempRepo() { fs::remove_all(path); }
  bool run(const std::string& cmd) const {
    std::string full = "cd '" + path.string() + "' && " + cmd + " >/dev/null 2>" + (path / ".err").string();
    return std::system(full.c_str()) == 0;
  }
  std::string error_output() const { return read(".err").value_or(""); }
  void write(const std::string& rel, const std::string& data) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << data;
  }
  std::optional<std::string> read(const std::string& rel) const {
    std::ifstream in(path / rel, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

// Applies one file's section the way libgit2 does: every hunk exactly at its
// `-start` line, its context and removed lines checked, its counts exact.
// Returns nullopt when any of that does not hold.
std::optional<std::string> strict_apply(const std::string& before, const std::string& section) {
  std::vector<std::string_view> old_lines = ds::text::split_lines_keep(before);
  std::vector<std::string_view> patch = ds::text::split_lines_keep(section);
  std::string out;
  size_t old_pos = 0;  // next old line to copy
  size_t i = 0;
  while (i < patch.size() && patch[i].substr(0, 3) != "@@ ") ++i;
  while (i < patch.size()) {
    size_t os = 0, oc = 1, ns = 0, nc = 1;
    std::string header(patch[i]);
    if (std::sscanf(header.c_str(), "@@ -%zu,%zu +%zu,%zu @@", &os, &oc, &ns, &nc) != 4) {
      oc = nc = 1;
      if (std::sscanf(header.c_str(), "@@ -%zu +%zu,%zu @@", &os, &ns, &nc) != 3 &&
          std::sscanf(header.c_str(), "@@ -%zu,%zu +%zu @@", &os, &oc, &ns) != 3 &&
          std::sscanf(header.c_str(), "@@ -%zu +%zu @@", &os, &ns) != 2) {
        return std::nullopt;
      }
    }
    size_t start = oc == 0 ? os : os - 1;  // 0-based first old line of the hunk
    if (start < old_pos || start > old_lines.size()) return std::nullopt;
    for (; old_pos < start; ++old_pos) out.append(old_lines[old_pos]);
    size_t new_lines_so_far = static_cast<size_t>(std::count(out.begin(), out.end(), '\n'));
    if (new_lines_so_far != (nc == 0 ? ns : ns - 1)) return std::nullopt;  // +start must be exact too
    size_t seen_old = 0, seen_new = 0;
    std::string* last_added = nullptr;
    std::string pending;
    for (++i; i < patch.size() && patch[i].substr(0, 3) != "@@ " && patch[i].substr(0, 5) != "diff "; ++i) {
      std::string_view l = patch[i];
      char kind = l[0];
      std::string_view body = l.substr(1);
      if (kind == '\\') {  // the previous line had no newline
        if (!pending.empty() && pending.back() == '\n') pending.pop_back();
        if (last_added && !last_added->empty() && last_added->back() == '\n') last_added->pop_back();
        continue;
      }
      out += pending;
      pending.clear();
      last_added = nullptr;
      if (kind == ' ' || kind == '-') {
        if (old_pos >= old_lines.size()) return std::nullopt;
        std::string expect(body);
        // A following "\ No newline" strips the newline from this line too.
        bool no_nl = i + 1 < patch.size() && patch[i + 1].substr(0, 2) == "\\ ";
        if (no_nl && !expect.empty() && expect.back() == '\n') expect.pop_back();
        if (old_lines[old_pos] != expect) return std::nullopt;
        ++old_pos;
        ++seen_old;
        if (kind == ' ') {
          pending = expect;
          ++seen_new;
        }
      } else if (kind == '+') {
        pending = std::string(body);
        ++seen_new;
      } else {
        return std::nullopt;
      }
    }
    out += pending;
    if (seen_old != oc || seen_new != nc) return std::nullopt;
  }
  for (; old_pos < old_lines.size(); ++old_pos) out.append(old_lines[old_pos]);
  return out;
}

// Random text from a small vocabulary, so that lines repeat as in code.
struct Gen {
  std::mt19937 rng;
  explicit Gen(unsigned seed) : rng(seed) {}
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }
  std::string line() {
    static const char* kWords[] = {"}",
                                   "",
                                   "    return x;",
                                   "int a = 1;",
                                   "caf\xC3\xA9 \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC",
                                   "  // comment",
                                   "x += 1;",
                                   "if (y) {",
                                   "\t\ttabbed",
                                   "trailing  "};
    if (pick(3) == 0) return "line " + std::to_string(pick(1000));
    return kWords[pick(std::size(kWords))];
  }
  std::vector<std::string> lines(size_t max) {
    std::vector<std::string> v(pick(max + 1));
    for (auto& l : v) l = line();
    return v;
  }
  std::vector<std::string> mutate(std::vector<std::string> v) {
    size_t edits = 1 + pick(6);
    for (size_t e = 0; e < edits; ++e) {
      size_t at = v.empty() ? 0 : pick(v.size() + 1);
      switch (pick(3)) {
        case 0:
          v.insert(v.begin() + static_cast<long>(at), line());
          break;
        case 1:
          if (at < v.size()) v.erase(v.begin() + static_cast<long>(at));
          break;
        default:
          if (at < v.size()) v[at] = line();
      }
    }
    return v;
  }
  std::string join(const std::vector<std::string>& v, bool crlf, bool final_nl) {
    return ds::text::join_lines(v, crlf ? ds::text::Eol::Crlf : ds::text::Eol::Lf, final_nl);
  }
};

}  // namespace

TEST_CASE("unified_diff writes git headers and exact hunks") {
  FileChange mod{"src/a.txt", "one\ntwo\nthree\n", "one\n2\nthree\n"};
  CHECK(unified_diff({mod}) ==
        "diff --git a/src/a.txt b/src/a.txt\n--- a/src/a.txt\n+++ b/src/a.txt\n"
        "@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n");
  FileChange add{"n.txt", std::nullopt, "x\ny"};
  CHECK(unified_diff_file(add) ==
        "diff --git a/n.txt b/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n.txt\n"
        "@@ -0,0 +1,2 @@\n+x\n+y\n\\ No newline at end of file\n");
  FileChange del{"d.txt", "gone\n", std::nullopt};
  CHECK(unified_diff_file(del) ==
        "diff --git a/d.txt b/d.txt\ndeleted file mode 100644\n--- a/d.txt\n+++ /dev/null\n@@ -1 +0,0 "
        "@@\n-gone\n");
  CHECK(unified_diff_file({"e.txt", std::nullopt, ""}) ==
        "diff --git a/e.txt b/e.txt\nnew file mode 100644\n--- /dev/null\n+++ b/e.txt\n");
  CHECK(unified_diff_file({"same.txt", "a\n", "a\n"}).empty());
  CHECK(unified_diff_file({"q\"uote.txt", "a\n", "b\n"})
            .rfind("diff --git \"a/q\\\"uote.txt\" \"b/q\\\"uote.txt\"\n", 0) == 0);
  // Spaces are quoted too: libgit2 1.5 cannot split `diff --git a/x y b/x y`.
  CHECK(unified_diff_file({"x y", std::nullopt, "a\n"}) ==
        "diff --git \"a/x y\" \"b/x y\"\nnew file mode 100644\n--- /dev/null\n+++ \"b/x y\"\n@@ -0,0 +1 "
        "@@\n+a\n");

  SECTION("distant changes make separate hunks, near ones merge") {
    std::string before, after;
    for (int i = 1; i <= 30; ++i) {
      before += std::to_string(i) + "\n";
      after += (i == 5 || i == 11 || i == 25 ? "x" : std::to_string(i)) + "\n";
    }
    std::string d = unified_diff_file({"n.txt", before, after});
    CHECK(d.find("@@ -2,13 +2,13 @@\n") != std::string::npos);  // 5 and 11: 5 lines apart, one hunk
    CHECK(d.find("@@ -22,7 +22,7 @@\n") != std::string::npos);
    CHECK(unified_diff_file({"n.txt", before, after}, 0).find("@@ -5 +5 @@\n-5\n+x\n@@ -11 +11 @@\n") !=
          std::string::npos);
  }
}

TEST_CASE("unified_diff patches apply byte-exactly with git apply and at their stated lines") {
  struct Case {
    std::string name;
    std::optional<std::string> before, after;
  };
  std::vector<Case> fixed = {
      {"crlf.txt", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\nd\r\n"},
      {"mixed.txt", "a\nb\r\nc\n", "a\nb\r\nC\n"},
      {"gain_nl.txt", "a\nb", "a\nb\n"},
      {"lose_nl.txt", "a\nb\n", "a\nb"},
      {"both_no_nl.txt", "a\nb", "a\nc"},
      {"crlf_no_nl.txt", "a\r\nb", "a\r\nb\r\nc"},
      {"empty_to_text.txt", "", "x\n"},
      {"text_to_empty.txt", "x\ny\n", ""},
      {"created_empty.txt", std::nullopt, ""},
      {"deleted_empty.txt", "", std::nullopt},
      {"dir/created.txt", std::nullopt, "new\r\nfile"},
      {"deleted.txt", "bye\nbye", std::nullopt},
      {"unicod\xC3\xA9 name.txt", "\xE6\x97\xA5\xE6\x9C\xAC\n", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\n"},
      {"q\"uote.txt", "a\n", "b\n"},
      {"sp ace.txt", "a\n", "b\n"},
      {"dir with space/new one.txt", std::nullopt, "n\n"},
      {"gone one.txt", "g\n", std::nullopt},
      {"\xE6\x97\xA5\xE6\x9C\xAC/\xE6\x96\xB0.txt", std::nullopt, "\xE6\x96\xB0\n"},
  };
  Gen gen(20240611);
  for (int i = 0; i < 240; ++i) {
    bool crlf = gen.pick(4) == 0;
    auto before = gen.lines(gen.pick(5) == 0 ? 3 : 60);
    auto after = gen.mutate(before);
    Case c{"rand/" + std::to_string(i) + ".txt", gen.join(before, crlf, gen.pick(5) != 0),
           gen.join(after, crlf, gen.pick(5) != 0)};
    if (gen.pick(15) == 0)
      c.before.reset();
    else if (gen.pick(15) == 0)
      c.after.reset();
    fixed.push_back(c);
  }

  // Several rounds, each one multi-file patch over a fresh repo.
  const size_t kPerRound = 32;
  for (size_t round = 0; round * kPerRound < fixed.size(); ++round) {
    TempRepo repo;
    std::vector<FileChange> changes;
    std::vector<const Case*> cases;
    for (size_t k = round * kPerRound; k < std::min(fixed.size(), (round + 1) * kPerRound); ++k) {
      const Case& c = fixed[k];
      if (c.before) repo.write(c.name, *c.before);
      changes.push_back({c.name, c.before, c.after});
      cases.push_back(&c);
    }
    std::string patch = unified_diff(changes);
    std::string patch_file = repo.path.string() + ".patch";  // outside the work tree
    std::ofstream(patch_file, std::ios::binary) << patch;
    bool applied = repo.run("git -c core.autocrlf=false apply --whitespace=nowarn '" + patch_file + "'");
    fs::remove(patch_file);
    INFO("round " << round << ": " << repo.error_output());
    REQUIRE(applied);
    for (size_t k = 0; k < cases.size(); ++k) {
      const Case& c = *cases[k];
      INFO(c.name << "\n" << unified_diff_file(changes[k]));
      CHECK(repo.read(c.name) == c.after);
      if (c.before && c.after) {
        auto strict = strict_apply(*c.before, unified_diff_file(changes[k]));
        REQUIRE(strict);
        CHECK(*strict == *c.after);
      }
    }
  }
}

TEST_CASE("the strict applier used above refuses hunks that are off by a line") {
  std::string before = "a\nb\nc\nd\ne\n", after = "a\nb\nC\nd\ne\n";
  std::string d = unified_diff_file({"f.txt", before, after}, 1);
  REQUIRE(d.find("@@ -2,3 +2,3 @@") != std::string::npos);
  CHECK(strict_apply(before, d) == after);
  std::string shifted = d;
  shifted.replace(shifted.find("@@ -2,3 +2,3 @@"), 15, "@@ -1,3 +1,3 @@");
  CHECK_FALSE(strict_apply(before, shifted));
  std::string short_count = d;
  short_count.replace(short_count.find("@@ -2,3 +2,3 @@"), 15, "@@ -2,2 +2,2 @@");
  CHECK_FALSE(strict_apply(before, short_count));
  std::string wrong_new = d;
  wrong_new.replace(wrong_new.find("@@ -2,3 +2,3 @@"), 15, "@@ -2,3 +3,3 @@");
  CHECK_FALSE(strict_apply(before, wrong_new));
}

// Speed is measured by bench/bench_apply (see bench/README.md), not here.
TEST_CASE("unified_diff is exact on a 1 MB file with scattered edits") {
  std::string before, after;
  for (int i = 0; before.size() < (1 << 20); ++i) {
    std::string l = "    value_" + std::to_string(i) + " = compute(" + std::to_string(i % 97) + ");\n";
    before += l;
    after += (i % 300 == 7) ? "    changed();\n" : l;
  }
  std::string d = unified_diff_file({"big.txt", before, after});
  auto strict = strict_apply(before, d);
  REQUIRE(strict);
  CHECK(*strict == after);
}
