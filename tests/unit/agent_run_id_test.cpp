// utc_now and new_run_id: the shapes runs are named and dated by.
#include <catch2/catch.hpp>
#include <regex>

#include "agent/run_id.hpp"

TEST_CASE("run ids: UTC time and 16 random bits, utc_now formats the current time") {
  std::string id = ds::agent::new_run_id();
  CHECK(std::regex_match(id, std::regex(R"(\d{8}-\d{6}-[0-9a-f]{4})")));
  CHECK(std::regex_match(ds::agent::utc_now("%Y-%m-%dT%H:%M:%SZ"),
                         std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}
