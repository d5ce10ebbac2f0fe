// The start-up probe's success remembered between runs. A run on the same
// boot, as the same user, with the same bwrap binary, the same sandbox
// arguments and the same user-namespace settings skips the probe (one bwrap
// start, ~15-25 ms). Should the sandbox fail anyway, SandboxRunner's first
// command sees bwrap's own complaint, forgets the entry and probes again, so
// the failure is explained as the probe explains it. Only a success is
// remembered, and nothing ever runs outside the sandbox because of it.
#pragma once

#include <string>

#include "exec/sandbox.hpp"

namespace ds::exec {

// What the entry must match: bwrap's path and file identity, the boot id,
// the uids, the kernel's namespace settings, the sandbox's arguments.
std::string probe_cache_key(const SandboxConfig& cfg, const std::string& bwrap_path);

// The remembered probe when `cache_file` holds a success for this key (its
// cache_file set), else probe_sandbox's result, remembered when it is a
// success. An empty `cache_file` always probes.
SandboxProbe probe_sandbox_cached(const SandboxConfig& cfg, ProcessRunner& inner,
                                  const std::string& cache_file);

}  // namespace ds::exec
