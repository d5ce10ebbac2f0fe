// utc_now and new_run_id.
#include "agent/run_id.hpp"

#include <cstdio>
#include <ctime>
#include <random>

namespace ds::agent {

std::string utc_now(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::string new_run_id() {
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "-%04x", rd() & 0xffff);
  return utc_now("%Y%m%d-%H%M%S") + suffix;
}

}  // namespace ds::agent
