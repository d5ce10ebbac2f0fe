// Which paths are tests: the usual test paths of the common ecosystems (one
// table) and the files a test command runs itself. Fix mode uses it: a
// change that touches only tests does not solve a failing suite (DESIGN.md,
// "The verdict").
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ds::agent {

// A repository-relative path a test runner treats as a test: test_*.py,
// *_test.go, *.spec.ts, a file under tests/, spec/, __tests__/ … (the table
// in test_paths.cpp).
bool is_test_path(std::string_view path);

// The repository files `command` runs as its tests: the program itself when
// it is a file of the repository (./check.sh), the script an interpreter is
// given (sh run_tests.sh, python3 check.py), the files and modules given to
// pytest or unittest (python3 -m unittest test_calc → test_calc.py). Only
// paths `exists` accepts are returned. Data a command merely reads (grep -q
// fixed a.txt) is not a test file.
std::vector<std::string> test_command_files(const std::string& command,
                                            const std::function<bool(const std::string&)>& exists);

// Whether every path is a test (by the table or `command_files`); false for
// an empty list.
bool only_test_files(const std::vector<std::string>& paths, const std::vector<std::string>& command_files);

}  // namespace ds::agent
