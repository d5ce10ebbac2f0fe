// {related_tests}: the test files that concern the files a run edited, for a
// regression command that runs only those (`pytest -q {related_tests}`).
// Found through the repo map's reference relation (a file that uses an
// identifier links to the files that define it): a test file is related when
// it references a name an edited file defines, or when it is named after an
// edited module (calc.py → test_calc.py, calc_test.go, calc.spec.ts).
#pragma once

#include <string>
#include <vector>

namespace ds::agent {

// The tracked test files (is_test_path) of the work tree at `root` related to
// `edited` (repository-relative paths), sorted; edited test files count as
// related to themselves.
std::vector<std::string> related_tests(const std::string& root, const std::vector<std::string>& edited);

// `command` with every {related_tests} replaced by those files, each
// shell-quoted, space-separated ("" when none: before the first edit the
// command runs as if the placeholder were not there, e.g. the whole suite).
std::string with_related_tests(const std::string& command, const std::string& root,
                               const std::vector<std::string>& edited);

}  // namespace ds::agent
