// parse_byte_size (the --max-diff-file-size setting) and the size texts of
// the notes that stand in for big files in diffs.
#include <catch2/catch.hpp>

#include "text/byte_size.hpp"

using namespace ds::text;

TEST_CASE("parse_byte_size: bytes, k, M, G in any case, powers of 1024") {
  CHECK(parse_byte_size("0").value() == 0);
  CHECK(parse_byte_size("100").value() == 100);
  CHECK(parse_byte_size("100b").value() == 100);
  CHECK(parse_byte_size("512k").value() == 512 * 1024);
  CHECK(parse_byte_size("10M").value() == 10 * 1024 * 1024);
  CHECK(parse_byte_size("10mb").value() == 10 * 1024 * 1024);
  CHECK(parse_byte_size("10MiB").value() == 10 * 1024 * 1024);
  CHECK(parse_byte_size("2G").value() == uint64_t{2} << 30);
}

TEST_CASE("parse_byte_size: anything else is an error that says what is accepted") {
  for (const char* bad :
       {"", "M", "ten", "10 M", "1.5M", "-1", "10T", "99999999999999999999", "17179869184G"}) {
    auto r = parse_byte_size(bad);
    INFO(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("k, M or G") != std::string::npos);
  }
}

TEST_CASE("size_text and bytes_text: exact bytes, then a rounded binary unit") {
  CHECK(size_text(1) == "1 byte");
  CHECK(size_text(1000) == "1000 bytes");
  CHECK(size_text(1024) == "1 KiB");
  CHECK(size_text(10 << 20) == "10 MiB");
  CHECK(size_text(1536 << 20) == "1.5 GiB");
  CHECK(bytes_text(7) == "7 bytes");
  CHECK(bytes_text(629145600) == "629145600 bytes (600 MiB)");
}
