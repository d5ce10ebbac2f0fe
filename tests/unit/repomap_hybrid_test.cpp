// The hybrid ranking: lexical terms (sub-words of identifiers, string
// literals, comments, paths), the task's terms, the down-weight of tests,
// fixtures, docs and vendored code, files named in the task, and the "files
// most likely to matter" list that opens the map, on real git repositories.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "repomap/lexical.hpp"
#include "repomap/map.hpp"
#include "support/git_repo.hpp"

using namespace ds::repomap;
namespace fs = std::filesystem;

namespace {

// The shared TempRepo, with every commit settled (settle_index) so the
// cache counts below are exact.
struct HybridRepo : ds::git::testing::TempRepo {
  const std::string& dir() const { return root; }
  void commit_all() const {
    TempRepo::commit_all();
    settle_index();
  }
};

std::vector<std::string> split(std::string_view w) {
  std::vector<std::string> out;
  split_subwords(w, out);
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

uint32_t count_of(const std::vector<std::pair<uint32_t, uint32_t>>& terms, const std::string& t) {
  for (const auto& [term, n] : terms)
    if (term == term_hash(t)) return n;
  return 0;
}

float weight_of(const std::vector<QueryTerm>& q, const std::string& t) {
  for (const QueryTerm& x : q)
    if (x.term == t) return x.weight;
  return 0;
}

// The "files most likely to matter" lines of a map, path and reason.
std::vector<std::string> top_files(const std::string& map) {
  std::vector<std::string> out;
  std::istringstream in(map);
  std::string line;
  if (!std::getline(in, line) || line != "Files most likely to matter:") return out;
  while (std::getline(in, line) && !line.empty()) out.push_back(line);
  return out;
}

std::string map_for(const HybridRepo& r, const std::string& task, size_t tokens = 1024,
                    MapStats* st = nullptr) {
  MapOptions opt;
  opt.max_tokens = tokens;
  opt.terms = {task};
  auto m = build_map(r.dir(), opt, st);
  REQUIRE(m.ok());
  return *m;
}

// Modules with plenty of ordinary code around the interesting ones.
void write_project(const HybridRepo& r) {
  for (int i = 0; i < 30; ++i) {
    std::string n = std::to_string(i);
    r.write("pkg/mod_" + n + ".py", "from pkg.core import Engine\n\ndef handler_" + n +
                                        "(request):\n    return Engine().run(request)\n");
  }
  r.write("pkg/core.py", "class Engine:\n    def run(self, request):\n        return request\n");
  r.write("pkg/assertion/util.py",
          "def _compare_eq_sequence(left, right):\n"
          "    explanation = []\n"
          "    if len_right > len_left:\n"
          "        explanation.append(\"Right contains more items, first extra item: %s\")\n"
          "    return explanation\n");
  r.write("pkg/printing/latex.py",
          "class LatexPrinter:\n"
          "    def _print_SeqFormula(self, s):\n"
          "        return r'\\left[' + s + r'\\right]'\n");
  r.write("pkg/checkers/misc.py",
          "# Checks for fixme notes: W0511, configured with --notes.\n"
          "class EncodingChecker:\n"
          "    msgs = {'W0511': ('%s', 'fixme', 'Used when a warning note as FIXME is detected.')}\n");
  r.write("pkg/writers/manpage.py",
          "class ManualPageWriter:\n    def write(self, doc):\n        return doc\n");
  // A test file saying the same as the real one, and more often.
  r.write("tests/functional/test_assertion_items.py",
          "def test_items():\n"
          "    assert msg == 'Right contains more items, first extra item'\n"
          "    # Right contains more items, first extra item, more items, extra item\n");
}

}  // namespace

TEST_CASE("sub-words: identifiers split at underscores, camel humps and digits", "[repomap][hybrid]") {
  auto p = split("_print_SeqFormula");
  CHECK(has(p, "print"));
  CHECK(has(p, "seq"));
  CHECK(has(p, "formula"));
  CHECK(has(p, "seqformula"));        // the camel-case segment joined
  CHECK(has(p, "print_seqformula"));  // the whole name
  p = split("JSONReader");
  CHECK(has(p, "json"));
  CHECK(has(p, "reader"));
  CHECK(has(p, "jsonreader"));
  CHECK(has(split("W0511"), "w0511"));
  CHECK(split("items") == std::vector<std::string>{"item"});
  CHECK(split("entries") == std::vector<std::string>{"entry"});
  CHECK(split("class") == std::vector<std::string>{"class"});
  CHECK(split("HTTPAdapter") == std::vector<std::string>{"http", "adapter", "httpadapter"});
  CHECK(split("x").empty());  // one-letter parts are no terms
  CHECK(split("42").empty());
}

TEST_CASE("lexical terms come from identifiers, string literals and comments", "[repomap][hybrid]") {
  std::vector<std::pair<uint32_t, uint32_t>> terms;
  uint32_t len = lexical_terms(
      "# Checks for fixme notes\n"
      "def _compare_eq_sequence(left, right):\n"
      "    msg = \"Right contains more items, first extra item\"\n"
      "    symbol = 'bad-string-format-type'  # --no-summary\n",
      terms);
  CHECK(count_of(terms, "fixme") == 1);  // comment
  CHECK(count_of(terms, "note") == 1);
  CHECK(count_of(terms, "contain") == 1);  // string literal
  CHECK(count_of(terms, "item") == 2);     // "items" and "item"
  CHECK(count_of(terms, "extra") == 1);
  CHECK(count_of(terms, "compare") == 1);  // identifier sub-words
  CHECK(count_of(terms, "sequence") == 1);
  CHECK(count_of(terms, "compare_eq_sequence") == 1);
  CHECK(count_of(terms, "right") == 2);
  CHECK(count_of(terms, "bad-string-format-type") == 1);  // hyphenated compounds
  CHECK(count_of(terms, "no-summary") == 1);
  CHECK(count_of(terms, "string") == 1);
  CHECK(len > terms.size());
  CHECK(std::is_sorted(terms.begin(), terms.end()));
}

TEST_CASE("path terms and the paths that count less", "[repomap][hybrid]") {
  auto t = path_terms("src/_pytest/assertion/util.py");
  CHECK(t == std::vector<std::string>{"assertion", "pytest", "src", "util"});
  CHECK(has(path_terms("sphinx/writers/manpage.py"), "manpage"));
  CHECK(low_priority_path("tests/functional/f/fixme.py"));
  CHECK(low_priority_path("pkg/test_util.py"));
  CHECK(low_priority_path("src/conftest.py"));
  CHECK(low_priority_path("docs/conf.py"));
  CHECK(low_priority_path("lib/vendor/six.py"));
  CHECK(low_priority_path("third_party/x/y.c"));
  CHECK(low_priority_path("web/app.spec.ts"));
  CHECK_FALSE(low_priority_path("src/_pytest/assertion/util.py"));
  CHECK_FALSE(low_priority_path("pkg/contest.py"));
  CHECK_FALSE(low_priority_path("latest/x.py"));
}

TEST_CASE("task terms: stop words out, code weighs more, adjacent words joined", "[repomap][hybrid]") {
  auto q = query_terms({"The man page is wrong when `SeqFormula()` is printed with --notes"});
  CHECK(weight_of(q, "the") == 0);
  CHECK(weight_of(q, "wrong") == 0);
  CHECK(weight_of(q, "manpage") > 0);  // "man page"
  CHECK(weight_of(q, "seqformula") > weight_of(q, "page"));
  CHECK(weight_of(q, "seq") > weight_of(q, "page"));
  CHECK(weight_of(q, "note") > weight_of(q, "page"));  // an option
  CHECK(weight_of(q, "printed") > 0);
  q = query_terms({"False positive `bad-string-format-type` for %i"});
  CHECK(weight_of(q, "bad-string-format-type") >= 2);
  CHECK(weight_of(q, "false") > 0);
}

TEST_CASE("the map opens with the files most likely to matter, with reasons", "[repomap][hybrid]") {
  HybridRepo r;
  write_project(r);
  r.commit_all();

  SECTION("a quoted message found only in a string literal") {
    std::string m =
        map_for(r, "assertion error says \"Right contains more items, first extra item\" for sets");
    auto top = top_files(m);
    REQUIRE_FALSE(top.empty());
    CHECK(top.size() <= kTopFiles);
    CHECK(top[0].rfind("  pkg/assertion/util.py (matches ", 0) == 0);
    CHECK(top[0].find("item") != std::string::npos);
    // The symbols follow the list, after a blank line, the file's among them.
    size_t symbols = m.find("\n\n");
    REQUIRE(symbols != std::string::npos);
    CHECK(m.find("\npkg/assertion/util.py:\n  def _compare_eq_sequence(left, right):\n", symbols) !=
          std::string::npos);
  }
  SECTION("a naming convention: the task names SeqFormula, the code _print_SeqFormula") {
    auto top = top_files(map_for(r, "LaTeX rendering of SeqFormula() backslash-escapes the brackets"));
    REQUIRE_FALSE(top.empty());
    CHECK(top[0].rfind("  pkg/printing/latex.py", 0) == 0);
  }
  SECTION("option keys and message ids") {
    auto top = top_files(map_for(r, "W0511 is not emitted for fixme comments when --notes is given"));
    REQUIRE_FALSE(top.empty());
    CHECK(top[0].rfind("  pkg/checkers/misc.py", 0) == 0);
  }
  SECTION("words against names: man page -> manpage.py") {
    auto top = top_files(map_for(r, "The man page writer drops the document title"));
    REQUIRE_FALSE(top.empty());
    CHECK(top[0].rfind("  pkg/writers/manpage.py", 0) == 0);
  }
  SECTION("named in the task, also from a stack trace's absolute path") {
    auto top =
        top_files(map_for(r, "Traceback:\n  File \"/usr/lib/python3/site-packages/pkg/core.py\", line 3"));
    REQUIRE_FALSE(top.empty());
    CHECK(top[0].rfind("  pkg/core.py (named in the task", 0) == 0);
  }
  SECTION("a task of plain words only, no names (no name boosts at all)") {
    std::string m = map_for(r, "return 2");
    auto top = top_files(m);
    REQUIRE_FALSE(top.empty());
    CHECK(top[0].find("(matches return") != std::string::npos);
  }
  SECTION("no task, no list") {
    MapOptions opt;
    opt.max_tokens = 1024;
    auto m = build_map(r.dir(), opt);
    REQUIRE(m.ok());
    CHECK(top_files(*m).empty());
    CHECK(m->find("Files most likely") == std::string::npos);
  }
}

TEST_CASE("tests, fixtures and docs count less unless the task names them", "[repomap][hybrid]") {
  HybridRepo r;
  write_project(r);
  r.commit_all();
  // The test file says the message more often, yet the source file leads.
  auto top = top_files(map_for(r, "\"Right contains more items, first extra item\" is wrong"));
  REQUIRE(top.size() >= 2);
  CHECK(top[0].rfind("  pkg/assertion/util.py", 0) == 0);
  auto test_pos = std::find_if(top.begin(), top.end(), [](const std::string& l) {
    return l.find("tests/functional/test_assertion_items.py") != std::string::npos;
  });
  CHECK(test_pos != top.begin());
  // Named in the task: first, and says so.
  top =
      top_files(map_for(r, "tests/functional/test_assertion_items.py fails: \"Right contains more items\""));
  REQUIRE_FALSE(top.empty());
  CHECK(top[0].rfind("  tests/functional/test_assertion_items.py (named in the task", 0) == 0);
}

TEST_CASE("the lexical index is cached with the tags", "[repomap][hybrid]") {
  HybridRepo r;
  write_project(r);
  r.commit_all();
  const std::string task = "\"Right contains more items, first extra item\" for sets";
  MapStats cold, warm;
  std::string first = map_for(r, task, 1024, &cold);
  CHECK(cold.cache_written);
  std::string second = map_for(r, task, 1024, &warm);
  CHECK(warm.cache_loaded);
  CHECK(warm.files_parsed == 0);
  CHECK(second == first);  // the terms came from the cache file
  CHECK(top_files(second).at(0).rfind("  pkg/assertion/util.py", 0) == 0);
  // An edit that removes the message moves the file down.
  r.write("pkg/assertion/util.py", "def _compare_eq_sequence(left, right):\n    return []\n");
  std::string third = map_for(r, task, 1024, &warm);
  CHECK(warm.files_parsed == 1);
  CHECK(top_files(third).at(0).rfind("  pkg/assertion/util.py", 0) != 0);
}
