// Finding a repository's test command when the user gave none: the build
// and test tools' own marker files, read from the work tree's root.
#pragma once

#include <string>

namespace ds::agent {

struct DetectedTests {
  std::string command;  // empty: nothing found
  std::string source;   // the evidence, e.g. "pyproject.toml" or "Cargo.toml"
};

// The first match, in this order: pytest (pytest.ini, [tool.pytest.ini_options]
// in pyproject.toml, [tool:pytest] in setup.cfg, [pytest] in tox.ini,
// conftest.py), npm test (a real "test" script in package.json, not npm's
// placeholder), cargo test, go test ./..., ctest --test-dir B (an existing
// CMake build dir with tests), make test / make check, mvn -q test,
// gradle test (./gradlew when present), dotnet test, bundle exec rspec,
// rake test, and last python3 -m unittest for Python test files.
DetectedTests detect_test_command(const std::string& root);

}  // namespace ds::agent
