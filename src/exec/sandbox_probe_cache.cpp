// probe_sandbox_cached: the key, the entry (a small text file), the probe.
#include "exec/sandbox_probe_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "base/file_io.hpp"
#include "exec/program.hpp"

namespace ds::exec {
namespace {

constexpr const char* kHeader = "diffsmith sandbox probe 1\n";

std::string small(const std::string& path) {
  auto text = read_whole_file(path, 4096);
  return text.ok() ? *text : std::string("-");
}

// Written beside and renamed over (not with write_file_atomic: its test hook
// counts the run's edits, and this is not one).
void remember(const std::string& cache_file, const std::string& text) {
  std::string tmp = cache_file + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    if (!f.flush()) {
      std::remove(tmp.c_str());
      return;
    }
  }
  if (std::rename(tmp.c_str(), cache_file.c_str()) != 0) std::remove(tmp.c_str());
}

std::string entry(const SandboxProbe& p, const std::string& key) {
  return std::string(kHeader) + "with_proc " + (p.with_proc ? "1" : "0") + "\n" + key;
}

}  // namespace

std::string probe_cache_key(const SandboxConfig& cfg, const std::string& bwrap_path) {
  std::string key = "bwrap " + bwrap_path + "\n";
  struct stat st;
  if (::stat(bwrap_path.c_str(), &st) == 0)
    key += "file " + std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " +
           std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec) + "\n";
  key += "boot " + small("/proc/sys/kernel/random/boot_id");
  key += "ids " + std::to_string(::getuid()) + " " + std::to_string(::geteuid()) + " " +
         std::to_string(::getgid()) + "\n";
  for (const char* knob :
       {"/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/user/max_user_namespaces",
        "/proc/sys/user/max_net_namespaces", "/proc/sys/user/max_pid_namespaces",
        "/proc/sys/user/max_mnt_namespaces", "/proc/sys/kernel/apparmor_restrict_unprivileged_userns"})
    key += std::string(knob) + " " + small(knob) + "\n";
  key += "args";
  for (const auto& a : bwrap_arguments(cfg, true, "")) key += " " + shell_quote(a);
  return key + "\n";
}

SandboxProbe probe_sandbox_cached(const SandboxConfig& cfg, ProcessRunner& inner,
                                  const std::string& cache_file) {
  if (cache_file.empty()) return probe_sandbox(cfg, inner);
  std::string bwrap = find_program(cfg.bwrap.empty() ? "bwrap" : cfg.bwrap);
  std::string key = bwrap.empty() ? std::string() : probe_cache_key(cfg, bwrap);
  if (!key.empty()) {
    auto saved = read_whole_file(cache_file, 1 << 20);
    for (bool with_proc : {true, false}) {
      SandboxProbe p;
      p.ok = true;
      p.bwrap_path = bwrap;
      p.with_proc = with_proc;
      if (saved.ok() && *saved == entry(p, key)) {
        p.cache_file = cache_file;
        return p;
      }
    }
  }
  SandboxProbe p = probe_sandbox(cfg, inner);
  if (p.ok && !key.empty() && p.bwrap_path == bwrap)
    remember(cache_file, entry(p, key));  // if it cannot be written, the next run probes again
  return p;
}

}  // namespace ds::exec
