// FUZZ_CHECK(cond): a fuzz target's invariant. A failed one prints where and aborts, which
// is how libFuzzer (and the corpus replay under ctest) learns of it; unlike assert it
// stays on in release builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)
