// The sandbox whatever uid starts it (issue 21, item 1): run by root, bwrap
// used to keep every capability, so a command could `umount .git`, remount
// / read-write, write /usr and set core.fsmonitor. Through the real binary
// (`diffsmith sandbox`, the model's exact sandbox), as root and as nobody:
// no capabilities inside, .git and / read-only, no mount at all, and the
// files a command creates belong to the user who ran diffsmith.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/run_fixture.hpp"
#include "support/unprivileged.hpp"

using namespace ds::test::e2e;
using ds::test::as_nobody;
using ds::test::can_run_as_nobody;
using ds::test::give_to_nobody;
using ds::test::kNobody;

namespace {

// `diffsmith sandbox -C repo -- 'CMD'`, as root or as nobody.
ProcResult sandboxed(const TempRepo& repo, const std::string& cmd, bool nobody) {
  std::vector<std::string> argv = diffsmith_argv({"sandbox", "-C", repo.root(), "--", cmd});
  return run_process(nobody ? as_nobody(argv) : argv);
}

uid_t owner(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_uid;
}

}  // namespace

TEST_CASE("sandbox as root and as nobody: no capabilities, .git and / stay read-only, no mounts") {
  if (::geteuid() != 0) {
    WARN("skipped: this case needs root (it starts the sandbox as root; run the suite as root to check it)");
    return;
  }
  for (bool nobody : {false, true}) {
    if (nobody && !can_run_as_nobody()) {
      WARN("setpriv is missing: the unprivileged half is not run");
      continue;
    }
    INFO((nobody ? "as nobody" : "as root"));
    TempRepo repo({{"a.txt", "hello\n"}});
    if (nobody) give_to_nobody(repo.root());
    std::string config = repo.read(".git/config");
    const std::string usr_marker = "/usr/ds-sandbox-root-" + std::to_string(::getpid());
    // umount first: with .git writable again, git config would succeed.
    ProcResult r =
        sandboxed(repo,
                  "grep CapEff /proc/self/status; echo uid=$(id -u); umount \"$PWD/.git\"; echo umount=$?; "
                  "mount -o remount,bind,rw /; echo remount=$?; touch " +
                      usr_marker +
                      "; echo usr=$?; git config core.fsmonitor 'touch /tmp/pwned'; echo "
                      "fsmonitor=$?; unshare -rm true; echo unshare=$?; echo made > made.txt",
                  nobody);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "CapEff:\t0000000000000000\n"));
    CHECK(contains(r.out, "uid="));
    CHECK_FALSE(contains(r.out, "uid=0\n"));  // not root inside
    for (const char* step : {"umount=", "remount=", "usr=", "fsmonitor=", "unshare="}) {
      INFO(step);
      CHECK_FALSE(contains(r.out, std::string(step) + "0\n"));
    }
    CHECK_FALSE(fs::exists(usr_marker));
    CHECK(repo.read(".git/config") == config);
    CHECK(repo.git({"config", "--get", "core.fsmonitor"}, /*allow_fail=*/true).empty());

    // A file the command made belongs to whoever ran diffsmith, who can delete it.
    CHECK(owner(repo.path("made.txt")) == (nobody ? kNobody : 0u));
    std::vector<std::string> rm = {"/bin/rm", repo.path("made.txt")};
    ProcResult removed = run_process(nobody ? as_nobody(rm) : rm);
    CHECK(removed.exit_code == 0);
    CHECK_FALSE(repo.exists("made.txt"));
  }
}

TEST_CASE("sandbox as root: the same attempts work without the sandbox (the test is not vacuous)") {
  if (::geteuid() != 0) {
    WARN("skipped: this case needs root (it starts the sandbox as root; run the suite as root to check it)");
    return;
  }
  TempRepo repo({{"a.txt", "hello\n"}});
  ProcResult caps = run_process({"/bin/sh", "-c", "grep CapEff /proc/self/status"});
  CHECK_FALSE(contains(caps.out, "CapEff:\t0000000000000000"));
  ProcResult cfg = run_process({"/usr/bin/git", "-C", repo.root(), "config", "core.fsmonitor", "true"});
  CHECK(cfg.exit_code == 0);
  CHECK(repo.git({"config", "--get", "core.fsmonitor"}) == "true\n");
}

TEST_CASE("sandbox as root: root's sockets under /run and the password hashes are out of reach") {
  if (::geteuid() != 0) {
    WARN("skipped: this case needs root (it starts the sandbox as root; run the suite as root to check it)");
    return;
  }
  // A daemon's socket only root may use (as dbus's, docker's, systemd's): the
  // sandbox's uid maps to root outside, so only hiding /run keeps it away.
  std::string sock = "/run/ds-sandbox-test-" + std::to_string(::getpid()) + ".sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    WARN("cannot create a socket under /run here; the check is skipped");
    return;
  }
  ::chmod(sock.c_str(), 0600);
  REQUIRE(::listen(fd, 4) == 0);
  const std::string connect = "python3 -c \"import socket; s = socket.socket(socket.AF_UNIX); s.connect('" +
                              sock + "'); print('CONNECTED')\"";
  TempRepo repo({{"a.txt", "hello\n"}});
  ProcResult inside = sandboxed(repo, connect + "; head -c 5 /etc/shadow; echo shadow=$?", false);
  ProcResult outside = run_process({"/bin/sh", "-c", connect});
  ::close(fd);
  ::unlink(sock.c_str());
  INFO(inside.out << inside.err);
  CHECK_FALSE(contains(inside.out, "CONNECTED"));
  CHECK_FALSE(contains(inside.out, "root:"));
  CHECK(contains(outside.out, "CONNECTED"));  // the attempt works without the sandbox
}
