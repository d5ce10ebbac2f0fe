// json::Value: parse, access, and the writer's escaping rules.
#include <catch2/catch.hpp>

#include "json/value.hpp"

using ds::json::Value;

TEST_CASE("json parses and dumps objects in insertion order") {
  auto v = ds::json::parse(R"({"b":1,"a":[true,null,2.5,"x"],"c":{"d":-3}})");
  REQUIRE(v.ok());
  CHECK(v->is_object());
  CHECK((*v)["b"].as_int() == 1);
  CHECK((*v)["a"].at(2).as_double() == 2.5);
  CHECK((*v)["c"]["d"].as_int() == -3);
  CHECK((*v)["missing"].is_null());
  CHECK(ds::json::dump(*v) == R"({"b":1,"a":[true,null,2.5,"x"],"c":{"d":-3}})");
}

TEST_CASE("json parse errors are reported") {
  auto v = ds::json::parse("{\"a\":");
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().message.find("invalid JSON") != std::string::npos);
}

TEST_CASE("json writer escapes control characters and replaces invalid UTF-8") {
  CHECK(ds::json::quote("a\"b\\c\n\t\x01") == "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  CHECK(ds::json::quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(ds::json::quote("bad\xff") == "\"bad\xEF\xBF\xBD\"");
  CHECK(ds::json::quote("\xc0\xaf") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");              // overlong
  CHECK(ds::json::quote("\xed\xa0\x80").find("\xEF\xBF\xBD") != std::string::npos);  // surrogate
}

TEST_CASE("json round-trips what it writes") {
  Value v = Value::object();
  v.set("s", std::string("line\r\n\x7f\xe2\x80\x9c"));
  v.set("n", 0.1).set("i", 42).set("arr", Value::array().push(1).push("two"));
  auto back = ds::json::parse(ds::json::dump(v));
  REQUIRE(back.ok());
  CHECK(*back == v);
}
