// PathCheck, the one check for every path the model names, on real
// repositories: links (to files outside, to /dev/zero, to folders), .git/,
// ignored files, submodules, nested repositories, .diffsmith.toml, and reads
// that never follow a link even when one is swapped in after the check.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "git/path_check.hpp"
#include "support/git_repo.hpp"

using namespace ds;
using namespace ds::git;
using ds::git::testing::TempRepo;

namespace {

bool has(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

struct Fixture {
  TempRepo t;
  std::string outside = testing::make_temp_dir();
  Fixture() {
    testing::write_file(outside + "/secret.txt", "TOKEN=hunter2\n");
    t.write("src/app.py", "print(1)\n");
    t.write(".gitignore", "build/\n*.log\n");
    t.write("build/keep.txt", "tracked despite the ignore rule\n");
    t.write(".diffsmith.toml", "test_cmd = \"make test\"\n");
    t.sh("ln -s '" + outside + "/secret.txt' leak.txt");
    t.sh("ln -s /dev/zero zero.txt");
    t.sh("ln -s src/app.py alias.py");
    t.sh("ln -s '" + outside + "' outdir");
    t.git("add -A");
    t.git("add -f build/keep.txt");
    t.git("commit -q -m base");
    t.write("build/out.js", "generated\n");
    t.write("debug.log", "log\n");
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(outside, ec);
  }
  PathCheck check() {
    auto repo = Repository::open(t.root);
    REQUIRE(repo.ok());
    repo_ = std::make_unique<Repository>(std::move(*repo));
    auto c = PathCheck::open(*repo_);
    REQUIRE(c.ok());
    return std::move(*c);
  }
  std::unique_ptr<Repository> repo_;
};

std::string refusal(PathCheck& c, const std::string& path, PathUse use = PathUse::Read) {
  auto r = c.file(path, use);
  if (r.ok()) return "";
  CHECK(r.error().kind == ErrorKind::PathRefused);
  return r.error().message;
}

}  // namespace

TEST_CASE("path check: ordinary files pass, in their clean form, new files may be named") {
  Fixture f;
  PathCheck c = f.check();
  auto a = c.file("./src//app.py", PathUse::Edit);
  REQUIRE(a.ok());
  CHECK(*a == "src/app.py");
  CHECK(c.file("src/new/module.py", PathUse::Edit).ok());  // a new file in a new folder
  CHECK(c.file("build/keep.txt", PathUse::Edit).ok());     // tracked, so shown in the diff
}

TEST_CASE("path check: outside the tree and .git/ are refused lexically") {
  Fixture f;
  PathCheck c = f.check();
  CHECK(has(refusal(c, "../x.py"), "outside the repository"));
  CHECK(has(refusal(c, "/etc/passwd"), "absolute"));
  CHECK(has(refusal(c, ".git/config", PathUse::Edit), ".git/"));
  CHECK(has(refusal(c, "src/../.GIT/hooks/pre-commit", PathUse::Edit), ".git/"));
}

TEST_CASE("path check: './C:x' and './~/x' are refused like 'C:x' and '~/x' (found by fuzz_path_check)") {
  // The clean form must pass the same check again: "./C:x" used to clean to
  // "C:x", which the next check refused.
  Fixture f;
  PathCheck c = f.check();
  CHECK(has(refusal(c, "./././n:\x02ny", PathUse::Edit), "drive letter"));
  CHECK(has(refusal(c, "./C:x"), "drive letter"));
  CHECK(has(refusal(c, "a/../~/x"), "home folder"));
  CHECK(c.file("a/C:x", PathUse::Edit).ok());  // not at the start: an ordinary name
}

TEST_CASE("path check: symbolic links are refused for reading and editing, with where they lead") {
  Fixture f;
  PathCheck c = f.check();
  std::string leak = refusal(c, "leak.txt");
  CHECK(has(leak, "symbolic link"));
  CHECK(has(leak, "outside the work tree"));
  CHECK_FALSE(has(leak, "hunter2"));
  CHECK(has(refusal(c, "zero.txt"), "symbolic link"));
  std::string alias = refusal(c, "alias.py", PathUse::Edit);
  CHECK(has(alias, "points to 'src/app.py'"));
  CHECK(has(refusal(c, "outdir/secret.txt"), "'outdir' is a symbolic link"));
  CHECK(has(refusal(c, "outdir/new.txt", PathUse::Edit), "symbolic link"));
}

TEST_CASE("path check: ignored files that are not tracked are refused, new ones too") {
  Fixture f;
  PathCheck c = f.check();
  std::string msg = refusal(c, "build/out.js", PathUse::Edit);
  CHECK(has(msg, "ignored by git"));
  CHECK(has(msg, "would not show in the diff"));
  CHECK(has(refusal(c, "debug.log"), "ignored"));
  CHECK(has(refusal(c, "build/new.js", PathUse::Edit), "ignored"));
  CHECK(has(refusal(c, "logs/new.log", PathUse::Edit), "ignored"));
}

TEST_CASE("path check: submodules and nested repositories are refused") {
  Fixture f;
  // A submodule as git records it: a gitlink entry in the index (here not
  // checked out), and an untracked repository inside the work tree.
  std::string head = f.t.git("rev-parse HEAD");
  head.erase(head.find_last_not_of("\n") + 1);
  f.t.git("update-index --add --cacheinfo 160000," + head + ",vendor/lib");
  f.t.git("update-index --add --cacheinfo 160000," + head + ",third/party");  // no folder at all
  f.t.write("vendor/lib/a.c", "int a;\n");
  f.t.write("nested/b.c", "int b;\n");
  testing::shell(f.t.path("nested"), "git init -q");
  PathCheck c = f.check();
  std::string sub = refusal(c, "vendor/lib/a.c", PathUse::Edit);
  CHECK(has(sub, "submodule"));
  CHECK(has(sub, "vendor/lib"));
  CHECK(has(refusal(c, "vendor/lib"), "submodule"));
  CHECK(has(refusal(c, "third/party/new.c", PathUse::Edit), "'third/party' is a git submodule"));
  std::string nested = refusal(c, "nested/b.c", PathUse::Edit);
  CHECK(has(nested, "nested"));
  CHECK(has(nested, "separate git repository"));
  CHECK(has(refusal(c, "nested/new.c", PathUse::Edit), "separate git repository"));
}

TEST_CASE("path check: .diffsmith.toml may be read but not edited, and the refusal says why") {
  Fixture f;
  PathCheck c = f.check();
  CHECK(c.file(".diffsmith.toml", PathUse::Read).ok());
  std::string msg = refusal(c, ".diffsmith.toml", PathUse::Edit);
  CHECK(has(msg, "configuration"));
  CHECK(has(msg, "test command"));
  CHECK(has(msg, ".git/"));
  CHECK_FALSE(refusal(c, "./.DIFFSMITH.toml", PathUse::Edit).empty());
  CHECK(c.file("sub/.diffsmith.toml", PathUse::Edit).ok());  // only the root file is the config
}

TEST_CASE("path check: folders for a command's working folder") {
  Fixture f;
  testing::shell(f.t.root, "mkdir -p nested && cd nested && git init -q");
  PathCheck c = f.check();
  auto root = c.folder(".");
  REQUIRE(root.ok());
  CHECK(root->empty());
  auto src = c.folder("src/");
  REQUIRE(src.ok());
  CHECK(*src == "src");
  CHECK_FALSE(c.folder("outdir").ok());
  CHECK_FALSE(c.folder("nested").ok());
  CHECK_FALSE(c.folder("missing").ok());
  CHECK_FALSE(c.folder("../").ok());
  CHECK_FALSE(c.folder(".git").ok());
  CHECK_FALSE(c.folder("src/app.py").ok());
}

TEST_CASE("path check: read never follows a link swapped in after the check, nor blocks on a FIFO") {
  Fixture f;
  PathCheck c = f.check();
  auto rel = c.file("src/app.py", PathUse::Read);
  REQUIRE(rel.ok());
  auto ok = c.read(*rel, 1000);
  REQUIRE(ok.ok());
  REQUIRE(ok->has_value());
  CHECK(**ok == "print(1)\n");
  CHECK_FALSE(c.read(*rel, 4).ok());  // larger than the cap
  auto missing = c.read("src/none.py", 1000);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());

  f.t.sh("rm src/app.py && ln -s '" + f.outside + "/secret.txt' src/app.py");
  auto swapped = c.read(*rel, 1000);
  REQUIRE_FALSE(swapped.ok());
  CHECK(has(swapped.error().message, "symbolic link"));
  f.t.sh("rm -r src && ln -s '" + f.outside + "' src");
  CHECK_FALSE(c.read("src/secret.txt", 1000).ok());

  REQUIRE(::mkfifo(f.t.path("pipe").c_str(), 0600) == 0);
  CHECK(has(refusal(c, "pipe"), "not a regular file"));
  CHECK_FALSE(c.read("pipe", 1000).ok());  // returns at once
}
