// Tests that fork() while the SDK's own threads run.
//
// GCC 12's AddressSanitizer runtime does not intercept fork(): it leaves its allocator's
// locks as they were, so a child forked while another thread is inside malloc or free
// (an export thread exporting, a thread still starting) waits on that lock for ever. The
// C library's malloc, which agtel's users run on, takes its locks around fork(), and
// newer LLVM runtimes do too. These tests therefore run in the Release build and are
// skipped under that runtime, saying why.
#pragma once

#include <gtest/gtest.h>

#if defined(__SANITIZE_ADDRESS__)
#define AGTEL_SKIP_FORK_WITH_THREADS_UNDER_ASAN()                                         \
  GTEST_SKIP() << "this ASan runtime does not lock its allocator around fork(): a child " \
                  "forked while another thread allocates can hang (see fork_safety.hpp)"
#else
#define AGTEL_SKIP_FORK_WITH_THREADS_UNDER_ASAN() static_cast<void>(0)
#endif
