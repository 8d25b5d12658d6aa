#include "agtel/propagation/w3c_trace_context.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "agtel/propagation/carriers.hpp"

namespace agtel::propagation {
namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view valid = "00-12345678901234567890123456789012-1234567890123456-01";
constexpr std::string_view trace_hex = "12345678901234567890123456789012";

trace::span_context make_span(uint8_t flags = 1, trace::trace_state state = {}) {
  auto tid = *trace::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  auto sid = *trace::span_id::from_hex("00f067aa0ba902b7");
  return trace::span_context(tid, sid, trace::trace_flags{flags}, false, std::move(state));
}

context extract(const headers& h, const context& base = {}) {
  return w3c_trace_context_propagator().extract(header_reader(h), base);
}

TEST(traceparent, parses_a_valid_value) {
  auto sc = parse_traceparent(valid);
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->trace_id().to_hex(), trace_hex);
  EXPECT_EQ(sc->span_id().to_hex(), "1234567890123456");
  EXPECT_TRUE(sc->sampled());
  EXPECT_TRUE(sc->is_remote());
  EXPECT_TRUE(sc->state().empty());
  EXPECT_FALSE(
      parse_traceparent("00-12345678901234567890123456789012-1234567890123456-00")->sampled());
}

TEST(traceparent, keeps_all_flag_bits) {
  auto sc = parse_traceparent("00-12345678901234567890123456789012-1234567890123456-ff");
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->flags().bits, 0xff);
  EXPECT_EQ(
      parse_traceparent("00-12345678901234567890123456789012-1234567890123456-02")->flags().bits,
      0x02);
}

TEST(traceparent, optional_whitespace_around_the_value) {
  for (std::string v :
       {" " + std::string(valid), "\t" + std::string(valid), std::string(valid) + " ",
        std::string(valid) + "\t", "\t " + std::string(valid) + " \t"}) {
    EXPECT_TRUE(parse_traceparent(v)) << v;
  }
}

TEST(traceparent, version_rules) {
  // ff is forbidden.
  EXPECT_FALSE(parse_traceparent("ff-12345678901234567890123456789012-1234567890123456-01"));
  // Version 00 must be exactly 55 characters.
  EXPECT_FALSE(parse_traceparent(std::string(valid) + "."));
  EXPECT_FALSE(parse_traceparent(std::string(valid) + "-what-the-future-will-be-like"));
  EXPECT_FALSE(parse_traceparent(std::string(valid) + "-"));
  // A future version parses the first 55 characters if a '-' follows the flags.
  std::string future = "cc-12345678901234567890123456789012-1234567890123456-01";
  EXPECT_TRUE(parse_traceparent(future));
  auto sc = parse_traceparent(future + "-what-the-future-will-be-like");
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->trace_id().to_hex(), trace_hex);
  EXPECT_FALSE(parse_traceparent(future + ".what-the-future-will-not-be-like"));
  EXPECT_FALSE(parse_traceparent(future + "0"));
  // Future versions keep the 00 field rules.
  EXPECT_FALSE(parse_traceparent("cc-00000000000000000000000000000000-1234567890123456-01"));
  EXPECT_FALSE(parse_traceparent("cc-1234567890123456789012345678901-1234567890123456-01-x"));
  // Illegal characters, wrong lengths.
  for (const char* v : {".0-12345678901234567890123456789012-1234567890123456-01",
                        "0.-12345678901234567890123456789012-1234567890123456-01",
                        "000-12345678901234567890123456789012-1234567890123456-01",
                        "0000-12345678901234567890123456789012-1234567890123456-01",
                        "0-12345678901234567890123456789012-1234567890123456-01",
                        "0A-12345678901234567890123456789012-1234567890123456-01"}) {
    EXPECT_FALSE(parse_traceparent(v)) << v;
  }
}

TEST(traceparent, id_rules) {
  for (const char* v : {
           "00-00000000000000000000000000000000-1234567890123456-01",  // all-zero trace id
           "00-12345678901234567890123456789012-0000000000000000-01",  // all-zero parent id
           "00-.2345678901234567890123456789012-1234567890123456-01",
           "00-1234567890123456789012345678901.-1234567890123456-01",
           "00-123456789012345678901234567890123-1234567890123456-01",
           "00-1234567890123456789012345678901-1234567890123456-01",
           "00-12345678901234567890123456789012-.234567890123456-01",
           "00-12345678901234567890123456789012-123456789012345.-01",
           "00-12345678901234567890123456789012-12345678901234567-01",
           "00-12345678901234567890123456789012-123456789012345-01",
           "00-12345678901234567890123456789012-1234567890123456-.0",
           "00-12345678901234567890123456789012-1234567890123456-0.",
           "00-12345678901234567890123456789012-1234567890123456-001",
           "00-12345678901234567890123456789012-1234567890123456-1",
           "00-ABCDEF78901234567890123456789012-1234567890123456-01",  // upper case
           "00-12345678901234567890123456789012-ABCDEF7890123456-01",
           "00-12345678901234567890123456789012-1234567890123456-0A",
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
       }) {
    EXPECT_FALSE(parse_traceparent(v)) << v;
  }
}

TEST(traceparent, every_byte_in_every_position) {
  // Exhaustive over the characters of each field: accepted exactly when the byte is a
  // lower-case hex digit (the valid value never becomes all zero by one change here).
  std::string base = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  for (size_t pos = 0; pos < base.size(); ++pos) {
    for (int b = 0; b < 256; ++b) {
      std::string v = base;
      v[pos] = static_cast<char>(b);
      bool hex = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f');
      bool separator = pos == 2 || pos == 35 || pos == 52;
      bool expected = separator ? b == '-' : hex && !(pos < 2 && v.substr(0, 2) == "ff");
      // A version other than 00 is a future version, valid with the same fields.
      auto sc = parse_traceparent(v);
      ASSERT_EQ(sc.has_value(), expected) << "position " << pos << " byte " << b;
      if (sc) {
        EXPECT_EQ(sc->trace_id().to_hex(), v.substr(3, 32));
        EXPECT_EQ(sc->span_id().to_hex(), v.substr(36, 16));
      }
    }
  }
}

TEST(traceparent, wrong_separators_and_hostile_input) {
  for (const char* v : {"00_12345678901234567890123456789012-1234567890123456-01",
                        "00-12345678901234567890123456789012_1234567890123456-01",
                        "00-12345678901234567890123456789012-1234567890123456_01",
                        "00 12345678901234567890123456789012 1234567890123456 01",
                        "00-12345678901234567890123456789012-1234567890123456-01,"
                        "00-12345678901234567890123456789012-1234567890123456-01",
                        "", "-", "00", "00-", " \t "}) {
    EXPECT_FALSE(parse_traceparent(v)) << v;
  }
  std::string v(valid);
  v[10] = '\0';
  EXPECT_FALSE(parse_traceparent(v));
  v = std::string(valid);
  v[10] = '\xc3';
  EXPECT_FALSE(parse_traceparent(v));
  EXPECT_FALSE(parse_traceparent(std::string(100000, '0')));
  // A future version with 1 MiB of extra fields still yields its first 55 characters.
  EXPECT_TRUE(parse_traceparent("cc-12345678901234567890123456789012-1234567890123456-01-" +
                                std::string(1 << 20, 'x')));
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(255 - i);
  EXPECT_FALSE(parse_traceparent(binary));
}

TEST(traceparent, format_round_trip) {
  auto span = make_span(0x01);
  char buf[traceparent_size];
  ASSERT_EQ(format_traceparent(span, buf), traceparent_size);
  std::string_view text(buf, sizeof buf);
  EXPECT_EQ(text, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  auto back = parse_traceparent(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->trace_id(), span.trace_id());
  EXPECT_EQ(back->span_id(), span.span_id());
  EXPECT_EQ(back->flags(), span.flags());
  char buf2[traceparent_size];
  ASSERT_EQ(format_traceparent(make_span(0xa5), buf2), traceparent_size);
  EXPECT_EQ(std::string_view(buf2 + 53, 2), "a5");
}

TEST(traceparent, format_refuses_invalid_span) {
  char buf[traceparent_size] = {};
  EXPECT_EQ(format_traceparent(trace::span_context(), buf), 0u);
  EXPECT_EQ(buf[0], '\0');  // untouched
}

TEST(trace_context_propagator, fields) {
  auto f = w3c_trace_context_propagator().fields();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0], "traceparent");
  EXPECT_EQ(f[1], "tracestate");
}

TEST(trace_context_propagator, inject_writes_traceparent_and_tracestate) {
  std::map<std::string, std::string> out;
  header_writer writer(out);
  auto state = trace::trace_state::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  w3c_trace_context_propagator().inject(context(make_span(1, state)), writer);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out["traceparent"], "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(out["tracestate"], "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(trace_context_propagator, inject_skips_invalid_span_and_empty_state) {
  std::map<std::string, std::string> out;
  header_writer writer(out);
  w3c_trace_context_propagator p;
  p.inject(context(), writer);
  EXPECT_TRUE(out.empty());
  p.inject(context(make_span()), writer);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(out.count("tracestate"), 0u);
}

TEST(trace_context_propagator, extract_round_trip) {
  auto state = trace::trace_state::parse("a=1,b@v=2");
  headers h;
  header_writer writer(h);
  w3c_trace_context_propagator p;
  p.inject(context(make_span(1, state)), writer);
  context ctx = p.extract(header_reader(h), context());
  EXPECT_EQ(ctx.span().trace_id(), make_span().trace_id());
  EXPECT_EQ(ctx.span().span_id(), make_span().span_id());
  EXPECT_TRUE(ctx.span().sampled());
  EXPECT_TRUE(ctx.span().is_remote());
  EXPECT_EQ(ctx.span().state(), state);
}

TEST(trace_context_propagator, header_names_are_case_insensitive) {
  for (const char* name : {"TraceParent", "TrAcEpArEnT", "TRACEPARENT"}) {
    auto ctx = extract({{name, std::string(valid)}, {"TRACESTATE", "foo=1"}});
    EXPECT_EQ(ctx.span().trace_id().to_hex(), trace_hex) << name;
    EXPECT_EQ(ctx.span().state().get("foo"), "1");
  }
  EXPECT_FALSE(extract({{"trace-parent", std::string(valid)}}).span().is_valid());
  EXPECT_FALSE(extract({{"trace.parent", std::string(valid)}}).span().is_valid());
}

TEST(trace_context_propagator, invalid_traceparent_returns_base_and_ignores_tracestate) {
  auto base_span = make_span();
  context base = context(base_span, baggage().set("k", "v"));
  for (const char* tp : {"ff-12345678901234567890123456789012-1234567890123456-01",
                         "00-00000000000000000000000000000000-1234567890123456-01", "", "junk"}) {
    context ctx = extract({{"traceparent", tp}, {"tracestate", "foo=1"}}, base);
    EXPECT_EQ(ctx, base) << tp;
  }
  EXPECT_EQ(extract({{"tracestate", "foo=1"}}, base), base);  // tracestate alone
}

TEST(trace_context_propagator, duplicated_traceparent_is_invalid) {
  auto ctx = extract({{"traceparent", "00-12345678901234567890123456789011-1234567890123456-01"},
                      {"traceparent", std::string(valid)}});
  EXPECT_FALSE(ctx.span().is_valid());
}

TEST(trace_context_propagator, extract_keeps_base_baggage) {
  context base = context().with_baggage(baggage().set("user", "alice"));
  context ctx = extract({{"traceparent", std::string(valid)}}, base);
  EXPECT_TRUE(ctx.span().is_valid());
  EXPECT_EQ(ctx.baggage().get("user"), "alice");
}

TEST(trace_context_propagator, invalid_tracestate_keeps_traceparent) {
  auto ctx = extract({{"traceparent", std::string(valid)}, {"tracestate", "foo=1,foo=2"}});
  EXPECT_TRUE(ctx.span().is_valid());
  EXPECT_TRUE(ctx.span().state().empty());
}

TEST(trace_context_propagator, multiple_tracestate_headers_are_combined) {
  auto ctx = extract({{"traceparent", std::string(valid)},
                      {"tracestate", "foo=1,bar=2"},
                      {"tracestate", "rojo=1,congo=2"},
                      {"tracestate", ""},
                      {"tracestate", "baz=3"}});
  EXPECT_EQ(ctx.span().state().serialize(), "foo=1,bar=2,rojo=1,congo=2,baz=3");
  // Duplicates across headers make the combined header invalid.
  ctx = extract(
      {{"traceparent", std::string(valid)}, {"tracestate", "foo=1"}, {"tracestate", "foo=2"}});
  EXPECT_TRUE(ctx.span().state().empty());
}

TEST(trace_context_propagator, thirty_three_members_across_headers_are_dropped) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) a += (a.empty() ? "" : ",") + ("k" + std::to_string(i) + "=1");
  for (int i = 21; i <= 33; ++i) b += (b.empty() ? "" : ",") + ("k" + std::to_string(i) + "=1");
  auto ctx = extract({{"traceparent", std::string(valid)}, {"tracestate", a}, {"tracestate", b}});
  EXPECT_TRUE(ctx.span().is_valid());
  EXPECT_TRUE(ctx.span().state().empty());
}

TEST(trace_context_propagator, oversized_tracestate_is_dropped) {
  std::string huge = "a=" + std::string(256, 'x');
  for (int i = 0; i < 40; ++i) huge += ",k" + std::to_string(i) + "=" + std::string(200, 'y');
  auto ctx = extract({{"traceparent", std::string(valid)}, {"tracestate", huge}});
  EXPECT_TRUE(ctx.span().is_valid());
  EXPECT_TRUE(ctx.span().state().empty());
}

}  // namespace
}  // namespace agtel::propagation
