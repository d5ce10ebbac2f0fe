// read_whole_file / read_file_if_exists on real files: bytes exactly, a
// missing file is a clear error (or nullopt), size caps, folders, /proc.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <thread>

#include "base/file_io.hpp"
#include "support/temp_dir.hpp"

using ds::read_file_if_exists;
using ds::read_whole_file;

namespace {
void put(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  REQUIRE(out.good());
}
bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }
}  // namespace

TEST_CASE("read_whole_file: the bytes, NULs and CRLF included") {
  ds::test::TempDir dir;
  std::string data("a\r\nb\0c", 6);
  data += std::string(200000, 'x');  // more than one read
  put(dir.path + "/f", data);
  auto r = read_whole_file(dir.path + "/f");
  REQUIRE(r.ok());
  CHECK(*r == data);
  put(dir.path + "/empty", "");
  CHECK(read_whole_file(dir.path + "/empty").value().empty());
}

TEST_CASE("read_whole_file: a missing file is an error naming the path and the reason") {
  ds::test::TempDir dir;
  auto r = read_whole_file(dir.path + "/missing.txt");
  REQUIRE_FALSE(r.ok());
  CHECK(has(r.error().message, "cannot read '" + dir.path + "/missing.txt'"));
  CHECK(has(r.error().message, "No such file or directory"));
  // read_file_if_exists: nothing there is no error, also under a missing folder.
  auto none = read_file_if_exists(dir.path + "/missing.txt");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  CHECK_FALSE(read_file_if_exists(dir.path + "/no/such/folder/f").value().has_value());
  put(dir.path + "/here", "x");
  CHECK(read_file_if_exists(dir.path + "/here").value() == std::optional<std::string>("x"));
}

TEST_CASE("read_whole_file: folders and files over the cap are refused") {
  ds::test::TempDir dir;
  auto folder = read_whole_file(dir.path);
  REQUIRE_FALSE(folder.ok());
  CHECK(has(folder.error().message, "is a folder"));
  CHECK_FALSE(read_file_if_exists(dir.path).ok());  // something is there: an error, not nullopt
  put(dir.path + "/big", std::string(1000, 'b'));
  auto big = read_whole_file(dir.path + "/big", 999);
  REQUIRE_FALSE(big.ok());
  CHECK(has(big.error().message, "larger than 999 bytes"));
  CHECK(read_whole_file(dir.path + "/big", 1000).ok());
}

TEST_CASE("read_whole_file: /dev/null and pipes are read to their end") {
  CHECK(read_whole_file("/dev/null").value().empty());
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::string data(100000, 'p');  // more than a pipe holds: the writer must be drained as we read
  std::thread writer([&] {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fds[1], data.data() + done, data.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  auto r = read_whole_file("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  REQUIRE(r.ok());
  CHECK(*r == data);
}

TEST_CASE("read_whole_file: /proc files, which report size 0, are read in full") {
  auto r = read_whole_file("/proc/self/stat");
  REQUIRE(r.ok());
  CHECK(r->find(')') != std::string::npos);
  auto capped = read_whole_file("/proc/self/stat", 4);
  REQUIRE_FALSE(capped.ok());
  CHECK(has(capped.error().message, "larger than 4 bytes"));
}
