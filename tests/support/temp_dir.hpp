// The tests' one temporary folder: TempDir makes a fresh folder under the
// system's temp directory and removes it, with everything in it, at scope
// exit. make_temp_dir is the same without the cleanup.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

namespace ds::test {

inline std::string make_temp_dir(const char* prefix = "ds-test-") {
  std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  return std::filesystem::canonical(pattern).string();
}

struct TempDir {
  std::string path;
  explicit TempDir(const char* prefix = "ds-test-") : path(make_temp_dir(prefix)) {}
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace ds::test
