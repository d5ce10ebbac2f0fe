// Test-command detection: given a repository root with a tool's marker
// files, then the command and the evidence named.
#include <catch2/catch.hpp>

#include "agent/config/test_detect.hpp"
#include "support/run_fixture.hpp"

using ds::agent::detect_test_command;
using namespace ds::test::e2e;

namespace {

struct Case {
  std::map<std::string, std::string> files;
  std::string command, source;
};

}  // namespace

TEST_CASE("test detection: each ecosystem's marker gives its command and says where it came from") {
  std::vector<Case> cases = {
      {{{"pytest.ini", "[pytest]\n"}}, "pytest -q", "pytest.ini"},
      {{{"pyproject.toml", "[project]\nname='x'\n\n[tool.pytest.ini_options]\naddopts='-q'\n"}},
       "pytest -q",
       "pyproject.toml"},
      {{{"setup.cfg", "[metadata]\n[tool:pytest]\n"}}, "pytest -q", "setup.cfg"},
      {{{"tox.ini", "[tox]\n[pytest]\n"}}, "pytest -q", "tox.ini"},
      {{{"conftest.py", ""}}, "pytest -q", "conftest.py"},
      {{{"package.json", R"({"name":"x","scripts":{"build":"tsc","test":"vitest run"}})"}},
       "npm test",
       "package.json"},
      {{{"Cargo.toml", "[package]\n"}}, "cargo test", "Cargo.toml"},
      {{{"go.mod", "module x\n"}}, "go test ./...", "go.mod"},
      {{{"CMakeLists.txt", "project(x)\n"}, {"build/CTestTestfile.cmake", "add_test(a b)\n"}},
       "ctest --test-dir build --output-on-failure",
       "build/CTestTestfile.cmake"},
      {{{"Makefile", "CC = cc\nall: x\ntest: all\n\t./run\n"}}, "make test", "Makefile"},
      {{{"Makefile", "check test-data: all\n\t./run\n"}}, "make check", "Makefile"},
      {{{"pom.xml", "<project/>\n"}}, "mvn -q test", "pom.xml"},
      {{{"build.gradle.kts", ""}, {"gradlew", "#!/bin/sh\n"}}, "./gradlew test", "build.gradle.kts"},
      {{{"build.gradle", ""}}, "gradle test", "build.gradle"},
      {{{"App.sln", ""}}, "dotnet test", "App.sln"},
      {{{"Gemfile", "gem 'rspec'\n"}, {"spec/a_spec.rb", ""}}, "bundle exec rspec", "Gemfile and spec/"},
      {{{"Rakefile", ""}, {"test/a_test.rb", ""}}, "rake test", "Rakefile and test/"},
  };
  for (const auto& c : cases) {
    TempDir dir;
    for (const auto& [path, data] : c.files) write_file(dir.path + "/" + path, data);
    auto d = detect_test_command(dir.path);
    INFO("files: " << c.files.begin()->first);
    CHECK(d.command == c.command);
    CHECK(d.source == c.source);
  }
}

TEST_CASE(
    "test detection: npm's placeholder script, a make variable and a CMake tree without a build are not "
    "tests") {
  TempDir dir;
  write_file(dir.path + "/package.json",
             R"({"scripts":{"test":"echo \"Error: no test specified\" && exit 1"}})");
  write_file(dir.path + "/Makefile", "test := 1\nall:\n\tcc x.c\n");
  write_file(dir.path + "/CMakeLists.txt", "project(x)\n");
  CHECK(detect_test_command(dir.path).command.empty());
}

TEST_CASE("test detection: Python test files without pytest configuration") {
  TempDir dir;
  write_file(dir.path + "/setup.py", "");
  write_file(dir.path + "/tests/test_a.py", "");
  auto d = detect_test_command(dir.path);
  CHECK((d.command == "pytest -q" || d.command == "python3 -m unittest"));
  CHECK(contains(d.source, "test_*.py files in a Python project"));
}

TEST_CASE("test detection: pytest configuration wins over a Makefile") {
  TempDir dir;
  write_file(dir.path + "/Makefile", "test:\n\tpytest\n");
  write_file(dir.path + "/pytest.ini", "[pytest]\n");
  CHECK(detect_test_command(dir.path).command == "pytest -q");
}
