// Sharding a batch over machines: --shard I/N keeps the tasks whose stable
// hash of the id falls in slice I (0-based) of N, so the N slices partition
// any task set exactly, whatever the order of the file and on every machine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace ds::agent {

struct Shard {
  int index = 0;  // 0 <= index < count
  int count = 1;  // 1 = no sharding
};

// Parses "I/N" (0 <= I < N, N >= 1); the message says what is wrong.
Result<Shard> parse_shard(std::string_view text);

// 64-bit FNV-1a of the bytes: the same on every machine and build.
uint64_t stable_hash(std::string_view s);

// Whether the task `id` belongs to `shard`.
bool in_shard(std::string_view id, const Shard& shard);

}  // namespace ds::agent
