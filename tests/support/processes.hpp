// The tests' one look at the process table: which live processes hold a
// marker in their command line, and waiting until none does. For tests that
// check that nothing a run started outlives it.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "base/file_io.hpp"

namespace ds::test {

enum class Which { Any, Python };  // Python: argv[0] ends in "python3" (not the shell or diffsmith)

// Live processes (not zombies) whose command line holds `marker`.
inline std::vector<pid_t> processes_with(const std::string& marker, Which which = Which::Any) {
  std::vector<pid_t> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto cmd = read_whole_file(e.path().string() + "/cmdline");
    auto stat = read_whole_file(e.path().string() + "/stat");
    if (!cmd || !stat) continue;  // gone meanwhile
    size_t close = stat->rfind(')');
    if (close == std::string::npos || close + 2 >= stat->size()) continue;
    char state = (*stat)[close + 2];
    if (state == 'Z' || state == 'X' || cmd->find(marker) == std::string::npos) continue;
    std::string argv0 = cmd->substr(0, cmd->find('\0'));
    if (which == Which::Python && !(argv0.size() >= 7 && argv0.compare(argv0.size() - 7, 7, "python3") == 0))
      continue;
    out.push_back(std::stoi(name));
  }
  return out;
}

// True once no such process is left; false after about three seconds.
inline bool none_left(const std::string& marker, Which which = Which::Any) {
  for (int i = 0; i < 150; ++i) {
    if (processes_with(marker, which).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// SIGKILL to every such process (a failed test's cleanup).
inline void kill_all(const std::string& marker, Which which = Which::Any) {
  for (pid_t p : processes_with(marker, which)) ::kill(p, SIGKILL);
}

// A marker no other test or run uses: prefix, pid, time.
inline std::string unique_marker(const std::string& prefix) {
  return prefix + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace ds::test
