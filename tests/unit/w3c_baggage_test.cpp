#include "agtel/propagation/w3c_baggage.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/propagation/carriers.hpp"

namespace agtel::propagation {
namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

std::string format(const baggage& b) {
  std::string out;
  format_baggage(b, out);
  return out;
}

// Captures agtel diagnostics for the test's lifetime (with a fresh rate limiter).
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
};

TEST(baggage_parse, spec_example) {
  auto b = parse_baggage(
      "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b.entries()[0].key, "key1");
  EXPECT_EQ(b.entries()[0].value, "value1");
  EXPECT_EQ(b.entries()[0].metadata, "property1;property2");
  EXPECT_EQ(b.get("key2"), "value2");
  EXPECT_EQ(b.entries()[1].metadata, "");
  EXPECT_EQ(b.entries()[2].metadata, "propertyKey=propertyValue");
}

TEST(baggage_parse, percent_decoding) {
  auto b = parse_baggage(
      "userId=alice,serverNode=DF%2028,isProduction=false,plus=a+b,"
      "eq=a=b=c,low=%e2%82%ac,up=%E2%82%AC");
  EXPECT_EQ(b.get("userId"), "alice");
  EXPECT_EQ(b.get("serverNode"), "DF 28");
  EXPECT_EQ(b.get("plus"), "a+b");  // '+' is not a space in baggage
  EXPECT_EQ(b.get("eq"), "a=b=c");
  EXPECT_EQ(b.get("low"), "\xe2\x82\xac");
  EXPECT_EQ(b.get("up"), "\xe2\x82\xac");
}

TEST(baggage_parse, whitespace_is_trimmed) {
  auto b = parse_baggage(" \tuserId =   alice \t, serverNode = DF%2028 ;  p1 ;p2 = x , ");
  EXPECT_EQ(b.get("userId"), "alice");
  EXPECT_EQ(b.get("serverNode"), "DF 28");
  EXPECT_EQ(b.entries()[1].metadata, "p1;p2=x");
}

TEST(baggage_parse, invalid_members_are_skipped_individually) {
  auto b = parse_baggage(
      "good1=1,novalue,=nokey,bad key=x,k\"=x,sp=a b,quote=\"x\",bs=a\\b,bad%=%zz,trunc=%4,"
      "ctl=a\x01,utf8=caf\xc3\xa9,badutf=%ff%fe,overlong=%c0%af,surrogate=%ed%a0%80,"
      "badprop=1;p q,badprop2=1;=v,good2=2");
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.get("good1"), "1");
  EXPECT_EQ(b.get("good2"), "2");
}

TEST(baggage_parse, empty_values_and_members) {
  auto b = parse_baggage(",,empty=,  ,x=1,");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.get("empty"), "");
  EXPECT_TRUE(parse_baggage("").empty());
  EXPECT_TRUE(parse_baggage(" , \t ,").empty());
}

TEST(baggage_parse, duplicate_keys_last_value_wins) {
  auto b = parse_baggage("a=1,b=2,a=3;p");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.entries()[0].key, "a");
  EXPECT_EQ(b.entries()[0].value, "3");
  EXPECT_EQ(b.entries()[0].metadata, "p");
}

TEST(baggage_parse, members_past_64_are_ignored) {
  std::string h;
  for (int i = 0; i < 100; ++i) h += "k" + std::to_string(i) + "=v,";
  auto b = parse_baggage(h);
  EXPECT_EQ(b.size(), 64u);
  EXPECT_TRUE(b.get("k63"));
  EXPECT_FALSE(b.get("k64"));
}

TEST(baggage_parse, only_members_within_8192_bytes_are_read) {
  // 8190 bytes ending exactly at the limit, then one more member.
  std::string first = "a=" + std::string(8188, 'x');  // 8190 bytes
  std::string h = first + ",b=1";                     // 8194 bytes
  auto b = parse_baggage(h);
  EXPECT_TRUE(b.get("a"));
  EXPECT_FALSE(b.get("b"));
  // A member that ends exactly at byte 8192, followed by ',' at index 8192.
  std::string exact = "a=" + std::string(8190, 'x');  // 8192 bytes
  b = parse_baggage(exact + ",b=1");
  EXPECT_EQ(b.get("a")->size(), 8190u);
  EXPECT_FALSE(b.get("b"));
  // One member larger than the limit: nothing.
  EXPECT_TRUE(parse_baggage("a=" + std::string(9000, 'x')).empty());
  // 1 MiB of junk: bounded work, nothing kept.
  EXPECT_TRUE(parse_baggage(std::string(1 << 20, ',')).empty());
}

TEST(baggage_parse, hostile_bytes) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  EXPECT_TRUE(parse_baggage(binary).empty());
  EXPECT_TRUE(parse_baggage(std::string("k=v\0x", 5)).empty());
  EXPECT_EQ(parse_baggage(std::string("a=1,k=v\0x,b=2", 13)).size(), 2u);
  EXPECT_TRUE(parse_baggage("%%%%=%%%%").empty());
  EXPECT_TRUE(parse_baggage(";;;;").empty());
  EXPECT_TRUE(parse_baggage("=;=;=").empty());
}

TEST(baggage_format, encodes_values) {
  auto b = baggage()
               .set("userId", "alice")
               .set("serverNode", "DF 28")
               .set("odd", "a,b;c\"d\\e%f=g+h")
               .set("utf8", "\xe2\x82\xac");
  EXPECT_EQ(format(b),
            "userId=alice,serverNode=DF%2028,odd=a%2Cb%3Bc%22d%5Ce%25f=g+h,utf8=%E2%82%AC");
}

TEST(baggage_format, round_trip_any_bytes_and_utf8) {
  std::string all;
  for (int i = 1; i < 128; ++i) all += static_cast<char>(i);
  auto b = baggage()
               .set("ascii", all)
               .set("emoji", "agent \xf0\x9f\xa4\x96 run")
               .set("cjk", "\xe4\xb8\xad\xe6\x96\x87", "p1;p2=v")
               .set("empty", "");
  auto back = parse_baggage(format(b));
  EXPECT_EQ(back, b);
}

TEST(baggage_format, metadata_written_only_when_valid) {
  auto b = baggage().set("a", "1", "p1; p2 = v").set("b", "2", "bad,meta").set("c", "3", " ");
  EXPECT_EQ(format(b), "a=1;p1;p2=v,b=2,c=3");
}

TEST(baggage_format, limits_skip_members_that_do_not_fit) {
  diag_capture diag;
  auto b = baggage().set("small", "1").set("huge", std::string(9000, 'x')).set("after", "2");
  std::string out = format(b);
  EXPECT_EQ(out, "small=1,after=2");
  EXPECT_FALSE(diag.messages.empty());

  // Exactly 8192 bytes fit.
  auto exact = baggage().set("a", std::string(8190, 'x'));
  EXPECT_EQ(format(exact).size(), 8192u);
  auto over = baggage().set("a", std::string(8191, 'x'));
  EXPECT_EQ(format(over), "");
  // Encoding expands the size: 3000 spaces need 9000 bytes.
  EXPECT_EQ(format(baggage().set("sp", std::string(3000, ' '))), "");
}

TEST(baggage_format, at_most_64_members) {
  std::vector<baggage::entry> list;
  for (int i = 0; i < 64; ++i) list.push_back({"k" + std::to_string(i), "v", ""});
  auto b = baggage::from_entries(list);
  std::string out;
  EXPECT_EQ(format_baggage(b, out), 64u);
  EXPECT_EQ(parse_baggage(out).size(), 64u);
}

TEST(baggage_propagator, inject_and_extract) {
  w3c_baggage_propagator p;
  std::map<std::string, std::string> carrier;
  header_writer writer(carrier);
  auto bag = baggage().set("user", "alice smith").set("tier", "gold", "ttl=30");
  p.inject(context().with_baggage(bag), writer);
  EXPECT_EQ(carrier["baggage"], "user=alice%20smith,tier=gold;ttl=30");
  context ctx = p.extract(header_reader(carrier), context());
  EXPECT_EQ(ctx.baggage(), bag);
}

TEST(baggage_propagator, inject_nothing_for_empty_baggage) {
  std::map<std::string, std::string> carrier;
  header_writer writer(carrier);
  w3c_baggage_propagator().inject(context(), writer);
  EXPECT_TRUE(carrier.empty());
}

TEST(baggage_propagator, repeated_headers_are_combined) {
  headers h = {{"baggage", "userId=alice"}, {"Baggage", "serverNode=DF%2028,isProduction=false"}};
  auto ctx = w3c_baggage_propagator().extract(header_reader(h), context());
  EXPECT_EQ(ctx.baggage().size(), 3u);
  EXPECT_EQ(ctx.baggage().get("serverNode"), "DF 28");
}

TEST(baggage_propagator, extract_replaces_base_baggage_and_keeps_span) {
  auto tid = *trace::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  auto sid = *trace::span_id::from_hex("00f067aa0ba902b7");
  context base(trace::span_context(tid, sid, {1}, false), baggage().set("old", "1"));
  headers h = {{"baggage", "new=2"}};
  auto ctx = w3c_baggage_propagator().extract(header_reader(h), base);
  EXPECT_EQ(ctx.span(), base.span());
  EXPECT_FALSE(ctx.baggage().get("old"));
  EXPECT_EQ(ctx.baggage().get("new"), "2");
}

TEST(baggage_propagator, invalid_or_absent_header_keeps_base) {
  context base = context().with_baggage(baggage().set("old", "1"));
  w3c_baggage_propagator p;
  for (const std::string& v :
       std::vector<std::string>{"", "novalue", "bad key=1", "=", std::string(10000, ';')}) {
    headers h = {{"baggage", v}};
    EXPECT_EQ(p.extract(header_reader(h), base), base) << v;
  }
  headers none;
  EXPECT_EQ(p.extract(header_reader(none), base), base);
}

}  // namespace
}  // namespace agtel::propagation
