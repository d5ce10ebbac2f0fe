// git::reset_scratch_worktree (a reusable scratch tree for --attempts): after
// whatever a command did to the folder (files changed in place with their
// size and mtime kept, files deleted, untracked and ignored files and
// folders, a folder or `.git` replaced by a link, .git's config, index and
// objects edited), a reset leaves exactly the commit's tree (compared with a
// fresh export and with `git archive | tar -x`), follows no link out of the
// folder, and writes only what changed. ScratchSlot: no two holders at once.
#include <fcntl.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>

#include "git/export_tree.hpp"
#include "git/repository.hpp"
#include "git/scratch.hpp"
#include "git/scratch_slot.hpp"
#include "support/git_repo.hpp"
#include "support/temp_dir.hpp"

using namespace ds;
using ds::test::TempDir;
using git::testing::read_file;
using git::testing::shell;
using git::testing::TempRepo;
using git::testing::write_file;

namespace {

std::string head_of(const TempRepo& r) {
  std::string h = r.git("rev-parse HEAD");
  return h.substr(0, h.find('\n'));
}

// Every entry below `dir` but .git: path, type, mode (files and links), content compared separately.
std::string listing(const std::string& dir) {
  return shell(
      dir,
      "find . -path ./.git -prune -o \\( -type f -printf '%P %y %m %s\\n' \\) -o \\( -type l -printf '%P "
      "%y %l\\n' \\) -o \\( -type d -printf '%P %y %m\\n' \\) | sort");
}

// `out` holds exactly `commit`'s tree: as a fresh export, and as git archive.
void require_exact(git::Repository& repo, const TempRepo& src, const std::string& commit,
                   const std::string& out) {
  TempDir ref;
  REQUIRE(git::export_tree(repo, commit, ref.path + "/fresh").ok());
  CHECK(listing(out) == listing(ref.path + "/fresh"));
  shell(ref.path, "mkdir tar && git -C '" + src.root + "' archive " + commit + " | tar -x -C tar");
  CHECK(shell(ref.path, "diff -r --no-dereference -x .git tar '" + out + "' && echo same", true) == "same\n");
  // And a working repository at the commit, clean, its own objects gone.
  CHECK(shell(out, "git rev-parse HEAD") == commit + "\n");
  CHECK(shell(out, "git status --porcelain --ignored") == "");
}

// Rewrites `path` with other bytes of the same length, then puts its mtime back.
void change_in_place(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  std::string data = read_file(path);
  REQUIRE(!data.empty());
  for (char& c : data) c = c == 'Z' ? 'Y' : 'Z';
  write_file(path, data);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
  struct stat now {};
  REQUIRE(::lstat(path.c_str(), &now) == 0);
  REQUIRE(now.st_size == st.st_size);
  REQUIRE(now.st_mtim.tv_nsec == st.st_mtim.tv_nsec);
}

}  // namespace

TEST_CASE("reset_scratch_worktree: whatever a command did, the folder is the commit's tree again") {
  TempRepo src;
  for (int i = 0; i < 300; ++i)
    src.write("pkg/d" + std::to_string(i % 7) + "/f" + std::to_string(i) + ".txt",
              "file " + std::to_string(i) + "\n" + std::string(static_cast<size_t>(i % 50), 'x') + "\n");
  src.write("bin/run.sh", "#!/bin/sh\necho hi\n");
  src.write(".gitignore", "*.log\nbuild/\n");
  src.write("keep.txt", "keep\n");
  src.sh("chmod +x bin/run.sh && ln -s pkg/d1/f1.txt link.txt");
  src.commit_all("first");
  const std::string c1 = head_of(src);
  auto repo = git::Repository::open(src.root);
  REQUIRE(repo.ok());

  TempDir slots, outside;
  const std::string out = slots.path + "/1";
  git::ScratchResetStats stats;
  {
    auto made = git::reset_scratch_worktree(*repo, c1, out, stats);
    REQUIRE(made.ok());
    CHECK(stats.rebuilt);
  }
  require_exact(*repo, src, c1, out);

  SECTION("what a reset moved away goes with the trash, the tree stays") {
    write_file(out + "/untracked.txt", "u\n");
    REQUIRE(git::reset_scratch_worktree(*repo, c1, out, stats).ok());
    CHECK(std::filesystem::exists(git::scratch_trash(out)));
    git::purge_scratch_trash(out);
    CHECK_FALSE(std::filesystem::exists(git::scratch_trash(out)));
    require_exact(*repo, src, c1, out);
  }

  SECTION("untouched or lightly changed: only the changed files are written") {
    auto again = git::reset_scratch_worktree(*repo, c1, out, stats);
    REQUIRE(again.ok());
    CHECK_FALSE(stats.rebuilt);
    CHECK(stats.rewritten == 0);
    CHECK(stats.removed == 0);
    write_file(out + "/pkg/d2/f2.txt", "an attempt's edit\n");
    write_file(out + "/new.txt", "an attempt's new file\n");
    REQUIRE(git::reset_scratch_worktree(*repo, c1, out, stats).ok());
    CHECK(stats.rewritten == 1);
    CHECK(stats.removed == 1);
    require_exact(*repo, src, c1, out);
  }

  SECTION("files changed behind stat's back, files gone, untracked and ignored things, .git edited") {
    change_in_place(out + "/pkg/d3/f10.txt");
    change_in_place(out + "/keep.txt");
    shell(out,
          "chmod 700 pkg/d3 && rm pkg/d4/f4.txt bin/run.sh && chmod +x pkg/d5/f5.txt && rm link.txt && ln -s "
          "keep.txt link.txt");
    shell(out,
          "mkdir -p untracked/deep build/obj && echo u > untracked/deep/u.txt && echo o > build/obj/o.o && "
          "echo l > debug.log && echo n > pkg/d0/new.txt");
    shell(out,
          "rm pkg/d6/f6.txt && mkdir pkg/d6/f6.txt && echo in > pkg/d6/f6.txt/inside");  // folder for a file
    // .git: its config says not to trust ctime nor inode, its index is junk, a loose object planted.
    std::string planted = shell(out, "echo planted | git hash-object -w --stdin");
    shell(out,
          "git config core.trustctime false && git config core.checkStat minimal && "
          "echo '*.txt' > .git/info/exclude && echo junk > .git/index && mkdir -p .git/hooks && "
          "echo 'touch /tmp/hooked' > .git/hooks/post-checkout && git update-ref refs/heads/x HEAD");
    REQUIRE(git::reset_scratch_worktree(*repo, c1, out, stats).ok());
    CHECK_FALSE(stats.rebuilt);
    require_exact(*repo, src, c1, out);
    CHECK(shell(out, "git cat-file -e " + planted.substr(0, 40) + " && echo present", true) != "present\n");
    CHECK(shell(out, "git config core.trustctime || echo unset", true) == "unset\n");
    CHECK(shell(out, "ls .git/hooks .git/info 2>&1 >/dev/null | wc -l; git for-each-ref | wc -l") ==
          "2\n0\n");
  }

  SECTION("links in place of a folder, of a file and of .git lead nowhere outside") {
    write_file(outside.path + "/canary/f1.txt", "canary\n");  // a name the tree has under pkg/d1
    write_file(outside.path + "/canary-file", "canary file\n");
    TempRepo other;
    other.write("theirs.txt", "theirs\n");
    other.commit_all("other");
    const std::string other_before =
        other.sh("git log --oneline | wc -l; git status --porcelain; ls -la .git");
    shell(out, "rm -rf pkg/d1 && ln -s '" + outside.path + "/canary' pkg/d1");
    shell(out, "rm keep.txt && ln -s '" + outside.path + "/canary-file' keep.txt");
    // A hard link to a file outside, in place of a file of the tree (same size: written where it is?).
    write_file(outside.path + "/hard", read_file(out + "/pkg/d2/f2.txt") + "!");
    shell(out, "rm pkg/d2/f2.txt && ln '" + outside.path + "/hard' pkg/d2/f2.txt");
    const std::string hard_before = read_file(outside.path + "/hard");
    shell(out, "rm -rf .git && ln -s '" + other.root + "/.git' .git");
    REQUIRE(git::reset_scratch_worktree(*repo, c1, out, stats).ok());
    require_exact(*repo, src, c1, out);
    CHECK(shell(outside.path, "find . -type f | sort && cat canary/f1.txt canary-file") ==
          "./canary-file\n./canary/f1.txt\n./hard\ncanary\ncanary file\n");
    CHECK(read_file(outside.path + "/hard") == hard_before);
    CHECK(other.sh("git log --oneline | wc -l; git status --porcelain; ls -la .git") == other_before);
    CHECK(other.read("theirs.txt") == "theirs\n");
  }

  SECTION("to another commit: changed, added and removed files") {
    src.sh("git rm -q -r pkg/d0 && echo changed > keep.txt && mkdir -p added/x && echo a > added/x/a.txt");
    src.sh("rm link.txt && mkdir link.txt && echo d > link.txt/now-a-folder");
    src.commit_all("second");
    const std::string c2 = head_of(src);
    REQUIRE(git::reset_scratch_worktree(*repo, c2, out, stats).ok());
    CHECK_FALSE(stats.rebuilt);
    require_exact(*repo, src, c2, out);
    REQUIRE(git::reset_scratch_worktree(*repo, c1, out, stats).ok());
    require_exact(*repo, src, c1, out);
  }

  SECTION("no saved index (an older diffsmith's folder, or a lost one): made afresh") {
    shell(slots.path, "rm 1.index && echo stray > 1/stray.txt");
    REQUIRE(git::reset_scratch_worktree(*repo, c1, out, stats).ok());
    CHECK(stats.rebuilt);
    require_exact(*repo, src, c1, out);
  }
}

TEST_CASE("ScratchSlot: a held slot is not handed out again until released") {
  TempDir d;
  auto a = git::ScratchSlot::acquire(d.path + "/scratch");
  REQUIRE(a.ok());
  CHECK(a->dir() == d.path + "/scratch/1");
  {
    auto b = git::ScratchSlot::acquire(d.path + "/scratch");
    REQUIRE(b.ok());
    CHECK(b->dir() == d.path + "/scratch/2");
    // Another process sees both held (flock), and takes the third.
    CHECK(shell(d.path,
                "flock -n scratch/1.lock true || echo held; flock -n scratch/2.lock true || echo held") ==
          "held\nheld\n");
  }
  auto c = git::ScratchSlot::acquire(d.path + "/scratch");
  REQUIRE(c.ok());
  CHECK(c->dir() == d.path + "/scratch/2");
}
