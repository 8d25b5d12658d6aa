// Runs one lifecycle step (force_flush, shutdown) over a provider's processors under one
// overall deadline: each processor gets what is left of it.
#pragma once

#include <algorithm>
#include <chrono>

#include "agtel/common/result.hpp"

namespace agtel::detail {

// `step(processor&, std::chrono::milliseconds left)` returns an sdk_result; the first
// non-ok result is returned (every processor still gets its turn).
template <class Processors, class Step>
sdk_result for_each_within(Processors& processors, std::chrono::milliseconds timeout,
                           Step step) noexcept {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  sdk_result worst = sdk_result::ok;
  for (auto& p : processors) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    sdk_result r = step(*p, std::max(left, std::chrono::milliseconds(0)));
    if (r != sdk_result::ok && worst == sdk_result::ok) worst = r;
  }
  return worst;
}

}  // namespace agtel::detail
