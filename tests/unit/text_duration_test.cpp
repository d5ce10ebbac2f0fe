// seconds_text: the one "%.1f s" of the code base.
#include <catch2/catch.hpp>

#include "text/duration.hpp"

using ds::text::seconds_text;
using std::chrono::milliseconds;

TEST_CASE("seconds_text: one decimal and the unit") {
  CHECK(seconds_text(milliseconds(1500)) == "1.5 s");
  CHECK(seconds_text(milliseconds(0)) == "0.0 s");
  CHECK(seconds_text(milliseconds(40)) == "0.0 s");
  CHECK(seconds_text(milliseconds(60000)) == "60.0 s");
  CHECK(seconds_text(milliseconds(123456)) == "123.5 s");
}
