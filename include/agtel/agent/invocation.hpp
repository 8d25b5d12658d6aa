// Middleware for invocations by path: put it in front of any dispatcher's handlers.
//
//   auto memories = agtel::agent::invoke("self.memory.recall", [&] { return recall(q); });
//
// Emits the span `invoke {path}` (INTERNAL; invocation.path, invocation.root,
// invocation.observer, invocation.result = ok | error) and invocation.duration
// {invocation.root, error.type}. The root is the path's first segment ("self"), so the
// metric stays bounded however many paths exist.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "agtel/agent/operation.hpp"

namespace agtel::agent {

struct invocation_options {
  std::string_view observer{};  // who invoked (span only)
  const agtel::context* parent = nullptr;
};

class invocation final : public operation {
 public:
  explicit invocation(std::string_view path, const invocation_options& options = {}) noexcept;
  ~invocation();

  // The first segment of `path` (up to the first '.' or '/').
  static std::string_view root_of(std::string_view path) noexcept;

 private:
  std::string root_;
};

// Runs `fn` as the invocation of `path` and returns its result unchanged; an exception is
// recorded and re-thrown unchanged.
template <class F>
decltype(auto) invoke(std::string_view path, F&& fn, const invocation_options& options = {}) {
  invocation scope(path, options);
  return detail::run_in(scope, std::forward<F>(fn));
}

}  // namespace agtel::agent
