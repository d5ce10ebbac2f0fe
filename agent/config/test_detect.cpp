// Test-command detection from marker files at the repository root.
#include "agent/config/test_detect.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace ds::agent {

namespace {

namespace fs = std::filesystem;

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// The first 256 KB of a small marker file ("" when missing).
std::string head(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return {};
  std::string s(256 * 1024, '\0');
  f.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<size_t>(f.gcount()));
  return s;
}

bool has_line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t i = line.find_first_not_of(" \t");
    if (i != std::string::npos && line.compare(i, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

// package.json's scripts.test, read leniently: the value of the first
// "test" key after "scripts". npm init writes a placeholder that only fails.
std::string npm_test_script(const std::string& json) {
  size_t scripts = json.find("\"scripts\"");
  if (scripts == std::string::npos) return {};
  size_t close = json.find('}', scripts);
  size_t key = json.find("\"test\"", scripts);
  if (key == std::string::npos || (close != std::string::npos && key > close)) return {};
  size_t colon = json.find(':', key);
  size_t open = colon == std::string::npos ? colon : json.find('"', colon);
  if (open == std::string::npos) return {};
  std::string value;
  for (size_t i = open + 1; i < json.size() && json[i] != '"'; ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) ++i;
    value += json[i];
  }
  return value;
}

bool is_npm_placeholder(const std::string& script) {
  return script.empty() || script.find("no test specified") != std::string::npos;
}

// A Makefile rule whose targets include `name` (`test:`, `check test:`),
// not a variable assignment (`test := …`).
bool make_target(const std::string& makefile, const std::string& name) {
  std::istringstream in(makefile);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '\t' || line[0] == ' ' || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos || line.find('=') < colon || line.compare(colon, 2, ":=") == 0) continue;
    std::istringstream targets(line.substr(0, colon));
    for (std::string t; targets >> t;)
      if (t == name) return true;
  }
  return false;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

// An existing CMake build directory with tests registered.
std::string ctest_dir(const fs::path& root) {
  std::vector<std::string> names = {"build", "out/build", "_build", "cmake-build-debug",
                                    "cmake-build-release"};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string n = entry.path().filename().string();
    if (n.rfind("build-", 0) == 0 || n.rfind("cmake-build-", 0) == 0) names.push_back(n);
  }
  for (const auto& n : names)
    if (present(root / n / "CTestTestfile.cmake")) return n;
  return {};
}

bool any_python_tests(const fs::path& root) {
  std::error_code ec;
  int seen = 0;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator() && seen < 20000; it.increment(ec), ++seen) {
    if (ec) break;
    std::string name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (name == ".git" || name == "node_modules" || name == ".venv" || name == "venv" || name[0] == '.')
        it.disable_recursion_pending();
      continue;
    }
    if (name.size() > 3 && name.ends_with(".py") &&
        (name.rfind("test_", 0) == 0 || name.ends_with("_test.py")))
      return true;
  }
  return false;
}

}  // namespace

DetectedTests detect_test_command(const std::string& root_dir) {
  fs::path root(root_dir);
  // Python with pytest configured.
  if (present(root / "pytest.ini")) return {"pytest -q", "pytest.ini"};
  if (head(root / "pyproject.toml").find("[tool.pytest.ini_options]") != std::string::npos)
    return {"pytest -q", "pyproject.toml"};
  if (head(root / "setup.cfg").find("[tool:pytest]") != std::string::npos) return {"pytest -q", "setup.cfg"};
  if (has_line_starting(head(root / "tox.ini"), "[pytest]")) return {"pytest -q", "tox.ini"};
  if (present(root / "conftest.py")) return {"pytest -q", "conftest.py"};
  // JavaScript.
  if (present(root / "package.json") && !is_npm_placeholder(npm_test_script(head(root / "package.json"))))
    return {"npm test", "package.json"};
  // Rust, Go.
  if (present(root / "Cargo.toml")) return {"cargo test", "Cargo.toml"};
  if (present(root / "go.mod")) return {"go test ./...", "go.mod"};
  // C and C++: an existing CMake build dir, then make.
  if (present(root / "CMakeLists.txt"))
    if (std::string dir = ctest_dir(root); !dir.empty())
      return {"ctest --test-dir " + dir + " --output-on-failure", dir + "/CTestTestfile.cmake"};
  for (const char* mk : {"GNUmakefile", "Makefile", "makefile"}) {
    std::string text = head(root / mk);
    if (make_target(text, "test")) return {"make test", mk};
    if (make_target(text, "check")) return {"make check", mk};
  }
  // JVM, .NET.
  if (present(root / "pom.xml")) return {"mvn -q test", "pom.xml"};
  for (const char* g : {"build.gradle", "build.gradle.kts"})
    if (present(root / g)) return {present(root / "gradlew") ? "./gradlew test" : "gradle test", g};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    auto ext = entry.path().extension().string();
    if (ext == ".sln" || ext == ".csproj" || ext == ".fsproj")
      return {"dotnet test", entry.path().filename().string()};
  }
  // Ruby.
  if (present(root / "Gemfile") && (is_dir(root / "spec") || present(root / ".rspec")))
    return {"bundle exec rspec", present(root / ".rspec") ? ".rspec" : "Gemfile and spec/"};
  if (present(root / "Rakefile") && is_dir(root / "test")) return {"rake test", "Rakefile and test/"};
  // Python without pytest configuration.
  bool python = present(root / "pyproject.toml") || present(root / "setup.py") || present(root / "setup.cfg");
  if (any_python_tests(root)) {
    std::string why = python ? "test_*.py files in a Python project" : "test_*.py files";
    if (on_path("pytest")) return {"pytest -q", why + "; pytest is installed"};
    return {"python3 -m unittest", why + "; pytest is not installed"};
  }
  return {};
}

}  // namespace ds::agent
