#include "agtel/context/context.hpp"

namespace agtel {
namespace {
// One current context per thread. A scope swaps its context in and restores the saved one
// when it ends; nothing here allocates (contexts hold shared pointers that are usually null).
thread_local context current_;
}  // namespace

const context& detail::current_context() noexcept { return current_; }

context context::current() noexcept { return current_; }

context_scope context::attach() const noexcept { return context_scope(*this); }

context_scope::context_scope(const context& ctx) noexcept : previous_(current_) { current_ = ctx; }

context_scope::context_scope(context_scope&& other) noexcept
    : previous_(std::move(other.previous_)), active_(std::exchange(other.active_, false)) {}

context_scope::~context_scope() {
  if (active_) current_ = std::move(previous_);
}

}  // namespace agtel
