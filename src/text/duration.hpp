// Durations as people read them in messages: "1.5 s".
#pragma once

#include <chrono>
#include <string>

namespace ds::text {

// Seconds with one decimal and the unit: 1500 ms -> "1.5 s", 40 ms -> "0.0 s".
std::string seconds_text(std::chrono::milliseconds d);

}  // namespace ds::text
