// `diffsmith --version`: diffsmith's version and the git commit it was built
// from, and the versions of the libraries it runs with.
#pragma once

#include <string>

namespace ds::agent {

// The commit the binary was built from (12 hex digits, "-dirty" when the work
// tree had changes), or "unknown" outside a git checkout. Defined in the
// generated build_info.cpp (cmake/build_info.cmake).
const char* build_commit();

// Several lines: "diffsmith 0.1.0 (commit abc…)", then libgit2, libcurl (as
// loaded at run time) and simdjson (as compiled in).
std::string version_report();

}  // namespace ds::agent
