// seconds_text.
#include "text/duration.hpp"

#include <cstdio>

namespace ds::text {

std::string seconds_text(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

}  // namespace ds::text
