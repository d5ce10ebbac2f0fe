// apply_changes on real repositories: modify, create in new folders, delete,
// CRLF, missing final newline, untracked and ignored files, attribute-filtered
// files, modes, stale input, all-or-nothing behaviour, and no need for the
// index (a merge conflict, a stale index.lock).
#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>

#include "support/git_repo.hpp"
#include "worktree/apply.hpp"

using namespace ds::git;
using namespace ds::worktree;
using ds::edit::FileChange;
using ds::git::testing::open_repo;
using ds::git::testing::TempRepo;

TEST_CASE("apply_changes modifies, creates in new folders and deletes, leaving the index alone") {
  TempRepo repo;
  repo.write("src/app.py", "def f():\n    return 1\n\n\nprint(f())\n");
  repo.write("old.txt", "old\n");
  repo.write("dir/only.txt", "only\n");
  repo.commit_all();
  std::string index_before = repo.read(".git/index");
  auto r = open_repo(repo);

  std::vector<FileChange> changes = {
      {"src/app.py", repo.read("src/app.py"), "def f():\n    return 2\n\n\nprint(f())\n"},
      {"new/deep/er/file.txt", std::nullopt, "fresh\n"},
      {"old.txt", "old\n", std::nullopt},
      {"dir/only.txt", "only\n", std::nullopt},
  };
  auto st = apply_changes(r, changes);
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  CHECK(repo.read("src/app.py") == "def f():\n    return 2\n\n\nprint(f())\n");
  CHECK(repo.read("new/deep/er/file.txt") == "fresh\n");
  CHECK_FALSE(repo.exists("old.txt"));
  CHECK_FALSE(repo.exists("dir"));  // emptied folder removed, as git does
  CHECK(repo.read(".git/index") == index_before);
  CHECK(repo.git("diff --cached --name-only").empty());
}

TEST_CASE("apply_changes keeps CRLF lines and a missing final newline byte for byte") {
  TempRepo repo;
  repo.write("win.txt", "one\r\ntwo\r\nthree\r\n");
  repo.write("nofinal.txt", "a\nb\nc");
  repo.commit_all();
  auto r = open_repo(repo);
  std::vector<FileChange> changes = {
      {"win.txt", "one\r\ntwo\r\nthree\r\n", "one\r\nTWO\r\nthree\r\nfour\r\n"},
      {"nofinal.txt", "a\nb\nc", "a\nB\nc"},
  };
  auto st = apply_changes(r, changes);
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  CHECK(repo.read("win.txt") == "one\r\nTWO\r\nthree\r\nfour\r\n");
  CHECK(repo.read("nofinal.txt") == "a\nB\nc");

  auto add_final = apply_changes(r, {{"nofinal.txt", "a\nB\nc", "a\nB\nc\n"}});
  INFO((add_final.ok() ? "" : add_final.error().message));
  REQUIRE(add_final.ok());
  CHECK(repo.read("nofinal.txt") == "a\nB\nc\n");
}

TEST_CASE("apply_changes edits untracked and ignored files") {
  TempRepo repo;
  repo.write(".gitignore", "build/\n");
  repo.commit_all();
  repo.write("scratch.py", "x = 1\n");
  repo.write("build/gen.h", "#define X 1\n");
  auto r = open_repo(repo);
  auto st = apply_changes(r, {{"scratch.py", "x = 1\n", "x = 2\n"},
                              {"build/gen.h", "#define X 1\n", "#define X 2\n"},
                              {"build/new.h", std::nullopt, "new\n"}});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  CHECK(repo.read("scratch.py") == "x = 2\n");
  CHECK(repo.read("build/gen.h") == "#define X 2\n");
  CHECK(repo.read("build/new.h") == "new\n");
}

TEST_CASE("apply_changes keeps permission bits libgit2 would reset") {
  TempRepo repo;
  repo.write("run.sh", "echo 1\n");
  repo.write("private.txt", "p\n");
  repo.sh("chmod 755 run.sh && chmod 600 private.txt");
  repo.commit_all();
  auto r = open_repo(repo);
  auto st = apply_changes(r, {{"run.sh", "echo 1\n", "echo 2\n"}, {"private.txt", "p\n", "q\n"}});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  CHECK(repo.read("run.sh") == "echo 2\n");
  CHECK(repo.mode("run.sh") == 0755);
  CHECK(repo.mode("private.txt") == 0600);
}

TEST_CASE("apply_changes writes attribute-filtered files as raw bytes") {
  TempRepo repo;
  repo.write(".gitattributes", "*.txt text eol=crlf\n");
  repo.write("a.txt", "x\ny\n");
  repo.commit_all();
  repo.sh("rm a.txt && git checkout -q a.txt");
  REQUIRE(repo.read("a.txt") == "x\r\ny\r\n");  // smudged to CRLF by git
  auto r = open_repo(repo);
  auto st = apply_changes(r, {{"a.txt", "x\r\ny\r\n", "x\r\nY\r\n"}, {"b.txt", std::nullopt, "new\n"}});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  CHECK(repo.read("a.txt") == "x\r\nY\r\n");
  CHECK(repo.read("b.txt") == "new\n");  // exactly the planned bytes, no eol conversion
}

TEST_CASE("apply_changes handles paths with spaces and non-ASCII names") {
  TempRepo repo;
  repo.write("my file.txt", "a\n");
  repo.write("caf\xC3\xA9.txt", "b\n");
  repo.commit_all();
  auto r = open_repo(repo);
  auto st = apply_changes(r, {{"my file.txt", "a\n", "A\n"},
                              {"caf\xC3\xA9.txt", "b\n", "B\n"},
                              {"new dir/with space.txt", std::nullopt, "c\n"}});
  INFO((st.ok() ? "" : st.error().message));
  REQUIRE(st.ok());
  CHECK(repo.read("my file.txt") == "A\n");
  CHECK(repo.read("caf\xC3\xA9.txt") == "B\n");
  CHECK(repo.read("new dir/with space.txt") == "c\n");
}

TEST_CASE("apply_changes is all or nothing") {
  TempRepo repo;
  repo.write("first.txt", "1\n");
  repo.write("second.txt", "2\n");
  repo.commit_all();
  auto r = open_repo(repo);

  SECTION("a second file that changed on disk stops everything") {
    auto st =
        apply_changes(r, {{"first.txt", "1\n", "one\n"}, {"second.txt", "not what is on disk\n", "two\n"}});
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().kind == ErrorKind::Stale);
    CHECK(st.error().message.find("second.txt") != std::string::npos);
  }
  SECTION("an unsafe second path stops everything") {
    auto st = apply_changes(r, {{"first.txt", "1\n", "one\n"}, {"../escape.txt", std::nullopt, "x\n"}});
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().kind == ErrorKind::PathRefused);
  }
  SECTION("creating over an existing untracked file is refused, not overwritten") {
    repo.write("untracked.txt", "precious\n");
    auto st = apply_changes(r, {{"first.txt", "1\n", "one\n"}, {"untracked.txt", std::nullopt, "x\n"}});
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message.find("already exists") != std::string::npos);
    CHECK(repo.read("untracked.txt") == "precious\n");
  }
  SECTION("a failing second write rolls the first one back") {
    // A file-size limit makes the write of big.txt fail (even as root) after
    // first.txt was written.
    struct rlimit old_limit;
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = old_limit;
    small.rlim_cur = 1000;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    auto st = apply_changes(
        r, {{"first.txt", "1\n", "one\n"}, {"sub/dir/big.txt", std::nullopt, std::string(5000, 'x')}});
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    ::signal(SIGXFSZ, old_handler);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().is(ds::FileErrorKind::IoError));
    CHECK(st.error().message.find("big.txt") != std::string::npos);
    CHECK(st.error().message.find("rolled back") != std::string::npos);
    CHECK_FALSE(repo.exists("sub"));  // the folders made for it are gone too
    CHECK(repo.sh("ls -A").find(".diffsmith-") == std::string::npos);
  }
  CHECK(repo.read("first.txt") == "1\n");
  CHECK(repo.read("second.txt") == "2\n");
}

TEST_CASE("patch_for is the unified diff of the normalised paths") {
  auto p = patch_for({{"./a//b.txt", "x\n", "y\n"}});
  REQUIRE(p.ok());
  CHECK(p->find("diff --git a/a/b.txt b/a/b.txt\n") == 0);
  CHECK(p->find("-x\n+y\n") != std::string::npos);
  auto bad = patch_for({{"/etc/passwd", "x\n", "y\n"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == ErrorKind::PathRefused);
}

TEST_CASE("apply_changes needs no index: a stale index.lock and a merge conflict do not block edits") {
  TempRepo repo;
  repo.write("conflicted.txt", "base\n");
  repo.write("other.txt", "other\n");
  repo.commit_all("base");
  repo.git("checkout -q -b side");
  repo.write("conflicted.txt", "side\n");
  repo.commit_all("side");
  repo.git("checkout -q main");
  repo.write("conflicted.txt", "main\n");
  repo.commit_all("main");
  int code = 0;
  ds::git::testing::shell(repo.root, "git merge -q side", /*allow_fail=*/true, &code);
  REQUIRE(code != 0);  // a conflict: the index has stages 1-3 for conflicted.txt
  REQUIRE(repo.git("ls-files -u").find("conflicted.txt") != std::string::npos);
  std::string index_before = repo.read(".git/index");
  auto r = open_repo(repo);

  SECTION("during the merge") {
    auto st = apply_changes(r, {{"other.txt", "other\n", "edited during a merge\n"}});
    INFO((st.ok() ? "" : st.error().message));
    REQUIRE(st.ok());
    CHECK(repo.read("other.txt") == "edited during a merge\n");
    // The conflicted file itself can be edited too (resolving it).
    std::string markers = repo.read("conflicted.txt");
    auto resolved = apply_changes(r, {{"conflicted.txt", markers, "resolved\n"}});
    INFO((resolved.ok() ? "" : resolved.error().message));
    REQUIRE(resolved.ok());
    CHECK(repo.read("conflicted.txt") == "resolved\n");
  }
  SECTION("with a stale index.lock left by a killed git") {
    repo.write(".git/index.lock", "");
    auto st = apply_changes(r, {{"other.txt", "other\n", "edited despite the lock\n"}});
    INFO((st.ok() ? "" : st.error().message));
    REQUIRE(st.ok());
    CHECK(repo.read("other.txt") == "edited despite the lock\n");
    CHECK(repo.exists(".git/index.lock"));  // not ours to remove
  }
  CHECK(repo.read(".git/index") == index_before);
  CHECK(repo.git("ls-files -u").find("conflicted.txt") != std::string::npos);
}

TEST_CASE("a failed create of a very long path leaves no empty folders behind") {
  TempRepo repo;
  repo.write("keep/existing.txt", "x\n");
  repo.commit_all();
  auto r = open_repo(repo);
  std::string deep = "keep";
  while (deep.size() < 5000) deep += "/abcdefgh";  // longer than PATH_MAX (4096)
  auto st = apply_changes(r, {{deep + "/file.txt", std::nullopt, "x\n"}});
  REQUIRE_FALSE(st.ok());
  CHECK(repo.sh("ls -A keep") == "existing.txt\n");  // the existing folder stays, nothing new in it
}
