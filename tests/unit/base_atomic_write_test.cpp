// write_file_atomic, the one temp-file-and-rename of the code base: the new
// bytes and mode on success; on failure the target is untouched and no
// temporary file is left behind.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "base/atomic_write.hpp"
#include "base/file_io.hpp"
#include "git/repository.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
using ds::leftover_temporaries;
using ds::write_file_atomic;

namespace {
size_t entries_in(const std::string& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST_CASE("write_file_atomic: replaces the file with the bytes and the mode") {
  ds::test::TempDir dir;
  std::string path = dir.path + "/f.txt";
  { std::ofstream(path) << "old"; }
  REQUIRE(write_file_atomic(path, std::string("new\0bytes", 9), 0600).ok());
  CHECK(ds::read_whole_file(path).value() == std::string("new\0bytes", 9));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("write_file_atomic: a failed rename leaves the target as it was and no temporary file") {
  ds::test::TempDir dir;
  std::string target = dir.path + "/a-folder";
  fs::create_directory(target);
  { std::ofstream(target + "/inside") << "keep"; }
  auto st = write_file_atomic(target, "data", 0644);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().is(ds::FileErrorKind::IoError));
  CHECK(st.error().message.find(target) != std::string::npos);
  CHECK(fs::is_directory(target));
  CHECK(ds::read_whole_file(target + "/inside").value() == "keep");
  CHECK(leftover_temporaries(target).empty());
  CHECK(entries_in(dir.path) == 1);  // only the folder
}

TEST_CASE("write_file_atomic: a folder that does not exist is an error, nothing is created") {
  ds::test::TempDir dir;
  auto st = write_file_atomic(dir.path + "/missing/f.txt", "data", 0644);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message.find("temporary file") != std::string::npos);
  CHECK(entries_in(dir.path) == 0);
}
