// FUZZ_CHECK: the one assertion of the fuzz targets. A broken invariant is a
// finding: print what broke and abort, so libFuzzer saves the input as a
// crash-* file (tests/fuzz/README.md says how to turn it into a test).
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, what)                                                                               \
  do {                                                                                                       \
    if (!(cond)) {                                                                                           \
      std::fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n  (%s)\n", __FILE__, __LINE__, #cond, what); \
      std::abort();                                                                                          \
    }                                                                                                        \
  } while (0)
