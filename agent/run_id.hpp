// The UTC time stamps runs are named and dated by, and a new run's id.
#pragma once

#include <string>

namespace ds::agent {

// The current UTC time in strftime's `format` ("%Y%m%d-%H%M%S" ->
// "20261130-151500"; "%Y-%m-%dT%H:%M:%SZ" for ISO 8601).
std::string utc_now(const char* format);

// A new run's id: the UTC time and 16 random bits, "20261130-151500-3fa2".
std::string new_run_id();

}  // namespace ds::agent
