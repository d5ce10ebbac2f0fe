// Byte sizes as people write and read them: "10M" in a setting, "600.0 MiB"
// in a message.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace ds::text {

// A size as git's config writes one: a whole number of bytes, optionally
// followed by k, m or g (any case, powers of 1024; "MB", "MiB" and "M" are
// the same). "10M" -> 10485760, "512k" -> 524288, "100" -> 100. Errors say
// what was given and what is accepted.
Result<uint64_t> parse_byte_size(std::string_view text);

// "629145600 bytes (600.0 MiB)"; below 1 KiB just "N bytes" ("1 byte").
std::string bytes_text(uint64_t bytes);

// The short form: "10 MiB", "1.5 GiB", "512 KiB", "100 bytes".
std::string size_text(uint64_t bytes);

}  // namespace ds::text
