// Where the tests find the source tree and the diffsmith binary. The paths
// are defined in one generated file (build/generated/test_paths.cpp), not as
// compile definitions: a definition on every test's command line would make
// each checkout's test objects differ, so ccache could not share them
// between a developer's tree and a CI clone.
#pragma once

namespace ds::test {
const char* source_dir();  // the checkout the build was configured from
const char* binary();      // the diffsmith executable of this build
}  // namespace ds::test

#define DIFFSMITH_SOURCE_DIR (::ds::test::source_dir())
#define DIFFSMITH_BINARY (::ds::test::binary())
