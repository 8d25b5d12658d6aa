#include "agtel/propagation/composite.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/propagation/carriers.hpp"
#include "agtel/propagation/w3c_baggage.hpp"
#include "agtel/propagation/w3c_trace_context.hpp"

namespace agtel::propagation {
namespace {

using header_map = std::map<std::string, std::string>;

constexpr std::string_view tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

context sample_context() {
  auto sc = parse_traceparent(tp);
  return context(trace::span_context(sc->trace_id(), sc->span_id(), sc->flags(), false),
                 baggage().set("k", "v"));
}

struct diag_capture {
  std::vector<std::string> messages;
  diag_capture() {
    agtel::detail::reset_diagnostics_for_testing();
    set_diagnostic_level(diag_level::debug);
    set_diagnostic_handler(
        [this](diag_level, std::string_view, std::string_view m) { messages.emplace_back(m); });
  }
  ~diag_capture() {
    set_diagnostic_handler(nullptr);
    agtel::detail::reset_diagnostics_for_testing();
  }
  bool contains(std::string_view text) const {
    for (const auto& m : messages)
      if (m.find(text) != std::string::npos) return true;
    return false;
  }
};

// Restores the default global propagator when a test ends.
struct global_guard {
  ~global_guard() { set_global_propagator(nullptr); }
};

header_map inject_with(const text_map_propagator& p, const context& ctx) {
  header_map h;
  header_writer writer(h);
  p.inject(ctx, writer);
  return h;
}

TEST(composite_propagator, runs_every_part) {
  composite_propagator p({std::make_shared<w3c_trace_context_propagator>(),
                          std::make_shared<w3c_baggage_propagator>()});
  auto h = inject_with(p, sample_context());
  EXPECT_EQ(h["traceparent"], tp);
  EXPECT_EQ(h["baggage"], "k=v");
  context back = p.extract(header_reader(h), context());
  EXPECT_EQ(back.span().span_id(), sample_context().span().span_id());
  EXPECT_EQ(back.baggage().get("k"), "v");
  auto f = p.fields();
  EXPECT_EQ(std::vector<std::string_view>(f.begin(), f.end()),
            (std::vector<std::string_view>{"traceparent", "tracestate", "baggage"}));
}

TEST(composite_propagator, fields_without_duplicates_and_null_parts_skipped) {
  composite_propagator p({std::make_shared<w3c_trace_context_propagator>(), nullptr,
                          std::make_shared<w3c_trace_context_propagator>()});
  EXPECT_EQ(p.fields().size(), 2u);
  EXPECT_EQ(p.parts().size(), 2u);
}

TEST(composite_propagator, empty_is_a_noop) {
  composite_propagator p({});
  EXPECT_TRUE(inject_with(p, sample_context()).empty());
  header_map h = {{"traceparent", std::string(tp)}};
  context base = context().with_baggage(baggage().set("a", "1"));
  EXPECT_EQ(p.extract(header_reader(h), base), base);
  EXPECT_TRUE(p.fields().empty());
}

TEST(composite_propagator, invalid_parts_leave_the_rest_of_the_base) {
  composite_propagator p({std::make_shared<w3c_trace_context_propagator>(),
                          std::make_shared<w3c_baggage_propagator>()});
  context base = sample_context();
  header_map h = {{"traceparent", "garbage"}, {"baggage", "x=1"}};
  context ctx = p.extract(header_reader(h), base);
  EXPECT_EQ(ctx.span(), base.span());  // trace part untouched
  EXPECT_EQ(ctx.baggage().get("x"), "1");
}

TEST(make_propagator, known_names) {
  auto p = make_propagator("tracecontext,baggage");
  auto h = inject_with(*p, sample_context());
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(make_propagator(" TraceContext ")->name(), "tracecontext");
  EXPECT_EQ(make_propagator("baggage")->name(), "baggage");
  EXPECT_EQ(make_propagator("baggage,baggage")->name(), "baggage");  // duplicates ignored
  EXPECT_EQ(inject_with(*make_propagator("baggage"), sample_context()).count("traceparent"), 0u);
}

TEST(make_propagator, empty_means_default) {
  for (const char* names : {"", " ", ",,"}) {
    auto p = make_propagator(names);
    EXPECT_EQ(p->fields().size(), 3u) << names;
  }
}

TEST(make_propagator, none_disables_propagation) {
  diag_capture diag;
  auto p = make_propagator("none");
  EXPECT_EQ(p->name(), "none");
  EXPECT_TRUE(inject_with(*p, sample_context()).empty());
  EXPECT_TRUE(diag.messages.empty());
  auto mixed = make_propagator("tracecontext,none");
  EXPECT_EQ(mixed->name(), "none");
  EXPECT_TRUE(diag.contains("'none' disables propagation"));
}

TEST(make_propagator, unsupported_and_unknown_names_are_reported_and_skipped) {
  diag_capture diag;
  auto p = make_propagator("b3,tracecontext,jaeger,bogus");
  EXPECT_EQ(p->name(), "tracecontext");
  EXPECT_TRUE(diag.contains("b3 is not supported"));
  EXPECT_TRUE(diag.contains("jaeger is not supported"));
  EXPECT_TRUE(diag.contains("unknown propagator 'bogus'"));
  auto nothing = make_propagator("xray,b3multi");
  EXPECT_TRUE(inject_with(*nothing, sample_context()).empty());
}

TEST(make_propagator, hostile_lists_are_bounded) {
  diag_capture diag;
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "n" + std::to_string(i) + ",";
  EXPECT_EQ(make_propagator(many + "tracecontext")->name(), "none");  // never reached
  EXPECT_TRUE(diag.contains("more than 16 names, the rest are ignored"));
  auto p = make_propagator(std::string("\x01\x1b[31mred\xff,baggage"));
  EXPECT_EQ(p->name(), "baggage");
  EXPECT_TRUE(diag.contains("unknown propagator '??[31mred?'"));
}

TEST(global_propagator, default_set_and_reset) {
  global_guard guard;
  auto def = global_propagator();
  ASSERT_TRUE(def);
  EXPECT_EQ(def->fields().size(), 3u);
  set_global_propagator(make_propagator("baggage"));
  EXPECT_EQ(global_propagator()->name(), "baggage");
  set_global_propagator(nullptr);
  EXPECT_EQ(global_propagator(), def);
}

TEST(global_propagator, shorthands_use_the_current_context) {
  global_guard guard;
  header_map h;
  header_writer writer(h);
  {
    auto scope = sample_context().attach();
    inject(writer);
  }
  EXPECT_EQ(h["traceparent"], tp);
  EXPECT_EQ(h["baggage"], "k=v");
  context ctx = extract(header_reader(h));
  EXPECT_EQ(ctx.span().trace_id(), sample_context().span().trace_id());
  EXPECT_TRUE(ctx.span().is_remote());

  set_global_propagator(make_propagator("none"));
  header_map none;
  header_writer none_writer(none);
  auto scope = sample_context().attach();
  inject(none_writer);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace agtel::propagation
