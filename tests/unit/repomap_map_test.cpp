// build_map end to end on real git repositories made with the git CLI:
// ranking for a task, the token budget, the blob-keyed cache (what
// invalidates it and what does not), concurrent runs, skipped files, errors.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "git/repository.hpp"
#include "repomap/cache.hpp"
#include "repomap/map.hpp"
#include "repomap/terms.hpp"
#include "support/git_repo.hpp"
#include "text/tokens.hpp"

using namespace ds::repomap;
namespace fs = std::filesystem;

namespace {

// The shared TempRepo, with every commit settled (settle_index) so the
// cache counts below are exact.
struct MapRepo : ds::git::testing::TempRepo {
  const std::string& dir() const { return root; }
  void commit_all() const {
    ds::git::testing::TempRepo::commit_all();
    settle_index();
  }
};

// A small Python project: `core.py` is used everywhere, each module uses a
// neighbour, `misc/obscure_tool.py` is used by nobody.
void write_python_project(const MapRepo& r, int modules) {
  r.write("core.py",
          "class CoreEngine:\n    def start(self):\n        pass\n\n"
          "def core_helper(x):\n    return x\n");
  for (int i = 0; i < modules; ++i) {
    std::string n = std::to_string(i);
    std::string next = std::to_string((i + 1) % modules);
    r.write("pkg/module_" + n + ".py",
            "from core import CoreEngine, core_helper\n\n"
            "class Widget" +
                n + ":\n    def render_" + n +
                "(self):\n        return core_helper(CoreEngine())\n\n"
                "def build_" +
                n + "(spec):\n    return Widget" + next +
                "()\n\n"
                "def compute_total_" +
                n + "(values):\n    return core_helper(sum(values))\n");
  }
  r.write("misc/obscure_tool.py",
          "def frobnicate_widget_state(state):\n    return state\n\n"
          "def unrelated_cleanup(path):\n    return path\n");
  r.write("misc/other_file.py", "def lonely_function(a):\n    return a\n");
}

std::string map_of(const MapRepo& r, MapOptions opt, MapStats* stats = nullptr) {
  auto m = build_map(r.dir(), opt, stats);
  REQUIRE(m.ok());
  return *m;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the file defining an identifier named in the task is in the map") {
  MapRepo r;
  write_python_project(r, 40);
  r.commit_all();
  MapOptions opt;
  opt.max_tokens = 200;
  opt.use_cache = false;

  std::string plain = map_of(r, opt);
  // Without the task, the heavily used file leads and the unused one is out.
  CHECK(plain.rfind("core.py:\n", 0) == 0);
  CHECK_FALSE(contains(plain, "obscure_tool.py"));

  opt.terms = {"Crash in frobnicate_widget_state when the state is empty"};
  std::string tasked = map_of(r, opt);
  CHECK(contains(tasked, "misc/obscure_tool.py:\n"));
  CHECK(contains(tasked, "  def frobnicate_widget_state(state):\n"));

  // A path mentioned in the task, a file's stem, and a pinned file are boosted too.
  opt.terms = {"see misc/other_file.py"};
  CHECK(contains(map_of(r, opt), "misc/other_file.py:\n  def lonely_function(a):"));
  opt.terms = {"something is off in obscure_tool"};
  CHECK(contains(map_of(r, opt), "misc/obscure_tool.py:\n  def frobnicate_widget_state(state):"));
  opt.terms.clear();
  opt.focus_files = {r.path("misc/obscure_tool.py")};
  CHECK(contains(map_of(r, opt), "misc/obscure_tool.py:"));
}

TEST_CASE("the map respects the token budget within 10 percent") {
  MapRepo r;
  write_python_project(r, 300);
  r.commit_all();
  for (size_t budget : {128u, 512u, 1024u, 4096u}) {
    MapOptions opt;
    opt.max_tokens = budget;
    MapStats st;
    std::string m = map_of(r, opt, &st);
    size_t tokens = ds::text::estimate_tokens(m);
    INFO("budget " << budget << " got " << tokens);
    CHECK(tokens <= budget);
    CHECK(tokens >= budget * 9 / 10);
    CHECK(st.map_tokens == tokens);
  }
  MapOptions off;
  off.max_tokens = 0;
  CHECK(map_of(r, off).empty());
}

TEST_CASE("map lines: path headers, indented signatures cut to 100 bytes") {
  MapRepo r;
  r.write("lib.go", "package lib\n\ntype Store struct{}\n\nfunc (s *Store) Get(key string, " +
                        std::string(120, 'x') + " int) int {\n\treturn 0\n}\n");
  r.write("README.md", "# not code\n");
  r.write("untracked_later.py", "");
  r.commit_all();
  r.write("untracked.py", "def not_tracked():\n    pass\n");
  MapOptions opt;
  std::string m = map_of(r, opt);
  CHECK(contains(m, "lib.go:\n  type Store struct{}\n  func (s *Store) Get(key string, xxx"));
  CHECK_FALSE(contains(m, "not_tracked"));
  CHECK_FALSE(contains(m, "README"));
  for (size_t pos = 0; pos < m.size();) {
    size_t nl = m.find('\n', pos);
    std::string line = m.substr(pos, nl - pos);
    if (line.rfind("  ", 0) == 0) CHECK(line.size() <= 2 + kMaxSignatureBytes + 6);
    pos = nl + 1;
  }
}

TEST_CASE("the cache is invalidated by a content change and by nothing else") {
  MapRepo r;
  write_python_project(r, 10);
  r.commit_all();
  const size_t files = 13;
  MapOptions opt;
  MapStats st;

  map_of(r, opt, &st);
  CHECK(st.files_considered == files);
  CHECK(st.files_parsed == files);
  CHECK(st.files_cached == 0);
  CHECK(st.cache_written);
  CHECK(fs::exists(r.path(".git/diffsmith/repomap.cache")));

  std::string warm_map = map_of(r, opt, &st);
  CHECK(st.cache_loaded);
  CHECK(st.files_parsed == 0);
  CHECK(st.files_cached == files);
  CHECK(st.files_hashed == 0);  // the index's stat data vouches for every file
  CHECK_FALSE(st.cache_written);
  CHECK(st.graph_cached);  // saved by the first run, after it wrote the tag cache
  opt.use_cache = false;
  CHECK(map_of(r, opt, &st) == warm_map);  // the caches change nothing in the result
  CHECK(st.files_parsed == files);
  opt.use_cache = true;

  SECTION("touching a file rehashes it but does not reparse it") {
    ::usleep(10000);
    REQUIRE(std::system(("touch '" + r.path("pkg/module_3.py") + "'").c_str()) == 0);
    CHECK(map_of(r, opt, &st) == warm_map);
    CHECK(st.files_hashed == 1);
    CHECK(st.files_parsed == 0);
  }
  SECTION("renaming or moving files does not reparse them") {
    r.git("mv pkg/module_4.py pkg/renamed_module.py");
    r.git("commit -q -m mv");
    map_of(r, opt, &st);
    CHECK(st.files_parsed == 0);
    CHECK(st.files_cached == files);
  }
  SECTION("a content change reparses exactly that file, committed or not") {
    r.write("pkg/module_5.py", "def brand_new_function_xyz():\n    pass\n");
    std::string m = map_of(r, opt, &st);
    CHECK(st.files_parsed == 1);
    CHECK(st.files_hashed == 1);
    CHECK_FALSE(st.graph_cached);
    CHECK(contains(m, "brand_new_function_xyz"));
    map_of(r, opt, &st);  // the worktree content is cached by its own blob id now
    CHECK(st.files_parsed == 0);
    r.commit_all();
    map_of(r, opt, &st);
    CHECK(st.files_parsed == 0);
    CHECK(st.files_hashed == 0);
    r.git("checkout -q HEAD~1 -- pkg/module_5.py");  // back to the old content: still cached
    map_of(r, opt, &st);
    CHECK(st.files_parsed == 0);
    CHECK(st.files_cached == files);
  }
  SECTION("a same-size edit with the mtime put back is still seen") {
    std::string p = r.path("misc/other_file.py");
    struct stat before {};
    REQUIRE(::stat(p.c_str(), &before) == 0);
    r.write("misc/other_file.py", "def lonely_functioX(a):\n    return a\n");
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, 0) == 0);
    std::string m = map_of(r, opt, &st);
    CHECK(st.files_parsed == 1);
    CHECK(contains(m, "lonely_functioX"));
  }
  SECTION("a corrupt cache is rebuilt") {
    std::ofstream(r.path(".git/diffsmith/repomap.cache"), std::ios::binary | std::ios::trunc) << "garbage";
    std::string m = map_of(r, opt, &st);
    CHECK(m == warm_map);
    CHECK(st.files_parsed == files);
    CHECK(contains(st.note, "invalid"));
    CHECK(st.cache_written);
  }
}

TEST_CASE("two runs sharing a cache at once both succeed and leave a valid cache") {
  MapRepo r;
  write_python_project(r, 60);
  r.commit_all();
  MapOptions opt;
  opt.threads = 1;
  std::string a, b;
  bool ok_a = false, ok_b = false;
  std::thread ta([&] {
    auto m = build_map(r.dir(), opt);
    ok_a = m.ok();
    if (ok_a) a = *m;
  });
  std::thread tb([&] {
    auto m = build_map(r.dir(), opt);
    ok_b = m.ok();
    if (ok_b) b = *m;
  });
  ta.join();
  tb.join();
  REQUIRE(ok_a);
  REQUIRE(ok_b);
  CHECK(a == b);
  MapStats st;
  CHECK(map_of(r, opt, &st) == a);
  CHECK(st.cache_loaded);
  CHECK(st.files_parsed == 0);
  // No temp files left behind.
  for (const auto& e : fs::directory_iterator(r.path(".git/diffsmith")))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("binary and huge files are skipped") {
  MapRepo r;
  r.write("small.c", "int visible_function(void) { return 1; }\n");
  r.write("blob.c", std::string("int hidden_binary(void);\n") + std::string(16, '\0') + "\n");
  std::string huge = "def hidden_huge():\n    pass\n";
  while (huge.size() <= kMaxFileBytes) huge += "x = 'padding padding padding padding padding padding'\n";
  r.write("huge.py", huge);
  r.commit_all();
  MapOptions opt;
  MapStats st;
  std::string m = map_of(r, opt, &st);
  CHECK(contains(m, "visible_function"));
  CHECK_FALSE(contains(m, "hidden_binary"));
  CHECK_FALSE(contains(m, "hidden_huge"));
  CHECK(st.files_skipped == 1);  // huge.py; blob.c is read once, then known as binary
  map_of(r, opt, &st);
  CHECK(st.files_parsed == 0);
}

TEST_CASE("errors: not a repository") {
  char tmpl[] = "/tmp/ds-repomap-norepo-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  auto m = build_map(tmpl, MapOptions{});
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().is(ds::git::ErrorKind::NotARepo));
  CHECK(contains(m.error().message, "not a git repository"));
  fs::remove_all(tmpl);
}

TEST_CASE("ctags extracts definitions in languages the built-in scanner does not know") {
  if (std::system("ctags --version 2>/dev/null | grep -q 'Universal Ctags'") != 0) {
    WARN("universal-ctags not installed; skipped");
    return;
  }
  MapRepo r;
  r.write("lib/tool.rb", "class RubyThing\n  def ruby_method(x)\n    x\n  end\nend\n");
  r.write("app.py", "class PyThing:\n    def py_method(self):\n        pass\n");
  r.commit_all();
  MapOptions opt;
  MapStats st;
  std::string builtin = map_of(r, opt, &st);
  CHECK_FALSE(contains(builtin, "RubyThing"));
  CHECK(contains(builtin, "class PyThing:"));
  opt.use_ctags = true;
  std::string with_ctags = map_of(r, opt, &st);
  CHECK(st.used_ctags);
  CHECK(st.files_parsed == 2);  // the extractor is part of the cache key
  CHECK(contains(with_ctags, "lib/tool.rb:\n  class RubyThing\n    def ruby_method(x)\n"));
  CHECK(contains(with_ctags, "    def py_method(self):"));
  ::usleep(10000);
  REQUIRE(std::system(("touch '" + r.path("lib/tool.rb") + "'").c_str()) == 0);
  CHECK(map_of(r, opt, &st) == with_ctags);
  CHECK(st.files_hashed == 1);
  CHECK(st.files_parsed == 0);  // settled by content hash: ctags did not run again
}

TEST_CASE("task terms: identifiers, weak words, paths") {
  TaskTerms t =
      extract_terms({"The `parse` step fails in src/json/parse.cpp: Value::as_int() "
                     "returns garbage for big_numbers and JSONReader; see tokenizer."});
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  CHECK(has(t.paths, "src/json/parse.cpp"));
  CHECK(has(t.identifiers, "parse"));
  CHECK(has(t.identifiers, "Value"));
  CHECK(has(t.identifiers, "as_int"));
  CHECK(has(t.identifiers, "big_numbers"));
  CHECK(has(t.identifiers, "JSONReader"));
  CHECK(has(t.words, "tokenizer"));
  CHECK(has(t.words, "garbage"));
  CHECK_FALSE(has(t.words, "returns"));
  CHECK_FALSE(has(t.words, "The"));
  CHECK_FALSE(has(t.identifiers, "cpp"));
}
