// Running a child of a test as an unprivileged user (uid and gid 65534,
// "nobody") when the suite runs as root: what the sandbox guarantees
// depends on the uid that starts it, so its tests run both ways.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_paths.hpp"

namespace ds::test {

constexpr unsigned kNobody = 65534;

// True when the suite can start diffsmith as nobody: it runs as root,
// setpriv(1) from util-linux is there, and nobody can reach the binary (a
// checkout under a folder only root may enter, such as one made by
// mktemp -d, cannot be run by nobody). Checked once.
inline bool can_run_as_nobody() {
  static const bool ok = [] {
    if (::geteuid() != 0 || !std::filesystem::exists("/usr/bin/setpriv")) return false;
    std::string probe = "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/test -x '" +
                        std::string(binary()) + "'";
    return std::system(probe.c_str()) == 0;
  }();
  return ok;
}

// `argv` run as nobody with no supplementary groups, and HOME set to
// nobody's (the test child's own HOME is root's, which libgit2 cannot stat).
inline std::vector<std::string> as_nobody(const std::vector<std::string>& argv) {
  std::vector<std::string> out = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                  "--clear-groups",   "/usr/bin/env",  "HOME=/nonexistent"};
  out.insert(out.end(), argv.begin(), argv.end());
  return out;
}

// Gives `path` and everything below it to nobody (a work tree it must
// write, a home whose files it may read).
inline void give_to_nobody(const std::string& path) {
  if (::lchown(path.c_str(), kNobody, kNobody) != 0) return;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    int ignored = ::lchown(it->path().c_str(), kNobody, kNobody);
    (void)ignored;
  }
}

}  // namespace ds::test
