#include "agtel/context/context.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace agtel {
namespace {

trace::span_context make_ctx(uint8_t seed) {
  std::array<uint8_t, 16> t{};
  std::array<uint8_t, 8> s{};
  t[0] = s[0] = seed;
  return {trace::trace_id(t), trace::span_id(s), trace::trace_flags{1}, false};
}

TEST(context, empty_by_default_and_scopes_nest) {
  EXPECT_FALSE(context::current().span().is_valid());
  {
    auto outer = context(make_ctx(1)).attach();
    EXPECT_EQ(context::current().span(), make_ctx(1));
    {
      auto inner = context(make_ctx(2)).attach();
      EXPECT_EQ(context::current().span(), make_ctx(2));
    }
    EXPECT_EQ(context::current().span(), make_ctx(1));
  }
  EXPECT_FALSE(context::current().span().is_valid());
}

TEST(context, moved_scope_restores_once) {
  auto a = context(make_ctx(1)).attach();
  {
    auto moved = std::move(a);
    EXPECT_EQ(context::current().span(), make_ctx(1));
  }
  EXPECT_FALSE(context::current().span().is_valid());
}

TEST(context, captured_context_reattaches_on_another_thread) {
  auto scope = context(make_ctx(7)).attach();
  context captured = context::current();
  trace::span_context seen_before, seen_inside, seen_after;
  std::thread worker([&] {
    seen_before = context::current().span();
    {
      auto s = captured.attach();
      seen_inside = context::current().span();
    }
    seen_after = context::current().span();
  });
  worker.join();
  EXPECT_FALSE(seen_before.is_valid()) << "contexts are per thread";
  EXPECT_EQ(seen_inside, make_ctx(7));
  EXPECT_FALSE(seen_after.is_valid());
}

TEST(context, with_span_keeps_baggage) {
  auto b = baggage().set("tenant", "acme");
  context c = context().with_baggage(b).with_span(make_ctx(3));
  EXPECT_EQ(c.baggage().get("tenant"), "acme");
  EXPECT_EQ(c.span(), make_ctx(3));
}

}  // namespace
}  // namespace agtel
