#include "agtel/trace/trace_state.hpp"

#include <gtest/gtest.h>

#include <string>

namespace agtel::trace {
namespace {

std::string members(int first, int last) {
  std::string s;
  for (int i = first; i <= last; ++i) {
    if (!s.empty()) s += ',';
    s += "k" + std::to_string(i) + "=v" + std::to_string(i);
  }
  return s;
}

TEST(trace_state, parses_members_in_order) {
  auto ts = trace_state::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts.entries()[0].first, "rojo");
  EXPECT_EQ(ts.entries()[1].first, "congo");
  EXPECT_EQ(ts.get("congo"), "t61rcWkgMzE");
  EXPECT_FALSE(ts.get("absent").has_value());
  EXPECT_EQ(ts.serialize(), "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(trace_state, empty_input_and_empty_members) {
  EXPECT_TRUE(trace_state::parse("").empty());
  EXPECT_TRUE(trace_state::parse(" , ,\t,").empty());
  auto ts = trace_state::parse(",foo=1,, ,bar=2,");  // joined headers produce empty members
  ASSERT_EQ(ts.size(), 2u);
  EXPECT_EQ(ts.serialize(), "foo=1,bar=2");
  EXPECT_EQ(trace_state().serialize(), "");
  EXPECT_TRUE(trace_state().entries().empty());
}

TEST(trace_state, optional_whitespace_around_members) {
  for (const char* h : {"foo=1 \t , \t bar=2, \t baz=3", "foo=1\t \t,\t \tbar=2,\t \tbaz=3"}) {
    auto ts = trace_state::parse(h);
    ASSERT_EQ(ts.size(), 3u) << h;
    EXPECT_EQ(ts.get("foo"), "1");
    EXPECT_EQ(ts.get("bar"), "2");
    EXPECT_EQ(ts.get("baz"), "3");
  }
  for (const char* h : {" foo=1", "\tfoo=1", "foo=1 ", "foo=1\t", "\t foo=1 \t"})
    EXPECT_EQ(trace_state::parse(h).get("foo"), "1") << h;
}

TEST(trace_state, all_allowed_characters) {
  std::string key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
  std::string value;
  for (char c = 0x20; c <= 0x7e; ++c)
    if (c != ',' && c != '=') value += c;
  auto ts = trace_state::parse(key + "=" + value);
  EXPECT_EQ(ts.get(key), value);  // a leading space belongs to the value
  std::string tenant_key = key + "@a-z0-9_-*/";
  EXPECT_EQ(trace_state::parse(tenant_key + "=" + value).get(tenant_key), value);
}

TEST(trace_state, key_rules) {
  EXPECT_TRUE(trace_state::is_valid_key("a"));
  EXPECT_TRUE(trace_state::is_valid_key(std::string(256, 'z')));
  EXPECT_FALSE(trace_state::is_valid_key(std::string(257, 'z')));
  EXPECT_FALSE(trace_state::is_valid_key(""));
  EXPECT_FALSE(trace_state::is_valid_key("1abc"));  // simple keys start with a letter
  EXPECT_FALSE(trace_state::is_valid_key("FOO"));
  EXPECT_FALSE(trace_state::is_valid_key("foo.bar"));
  EXPECT_FALSE(trace_state::is_valid_key("foo "));
  // Multi-tenant keys.
  EXPECT_TRUE(trace_state::is_valid_key("1tenant@vendor"));
  EXPECT_TRUE(trace_state::is_valid_key(std::string(241, 't') + "@" + std::string(14, 'v')));
  EXPECT_FALSE(trace_state::is_valid_key(std::string(242, 't') + "@v"));
  EXPECT_FALSE(trace_state::is_valid_key("t@" + std::string(15, 'v')));
  EXPECT_FALSE(trace_state::is_valid_key("t@1vendor"));  // system starts with a letter
  EXPECT_FALSE(trace_state::is_valid_key("foo@"));
  EXPECT_FALSE(trace_state::is_valid_key("@foo"));
  EXPECT_FALSE(trace_state::is_valid_key("foo@@bar"));
  EXPECT_FALSE(trace_state::is_valid_key("foo@bar@baz"));
  EXPECT_FALSE(trace_state::is_valid_key("_foo@bar"));
}

TEST(trace_state, value_rules) {
  EXPECT_TRUE(trace_state::is_valid_value("x"));
  EXPECT_TRUE(trace_state::is_valid_value(" leading"));
  EXPECT_TRUE(trace_state::is_valid_value(std::string(256, 'v')));
  EXPECT_FALSE(trace_state::is_valid_value(std::string(257, 'v')));
  EXPECT_FALSE(trace_state::is_valid_value(""));
  EXPECT_FALSE(trace_state::is_valid_value("trailing "));
  EXPECT_FALSE(trace_state::is_valid_value("a,b"));
  EXPECT_FALSE(trace_state::is_valid_value("a=b"));
  EXPECT_FALSE(trace_state::is_valid_value("tab\there"));
  EXPECT_FALSE(trace_state::is_valid_value("\x7f"));
  EXPECT_FALSE(trace_state::is_valid_value("caf\xc3\xa9"));  // non-ASCII
  EXPECT_FALSE(trace_state::is_valid_value(std::string("nul\0", 4)));
}

TEST(trace_state, any_invalid_member_discards_the_whole_header) {
  for (const char* h : {"foo =1", "FOO=1", "foo.bar=1", "foo@=1,bar=2", "@foo=1,bar=2",
                        "foo@@bar=1,bar=2", "foo@bar@baz=1,bar=2", "foo=bar=baz", "foo=,bar=3",
                        "bar=2,foo", "bar=2,=1", "foo= 1 x,bar=\x01", "bar=2,k=caf\xc3\xa9"}) {
    EXPECT_TRUE(trace_state::parse(h).empty()) << h;
  }
}

TEST(trace_state, duplicate_keys_discard_the_whole_header) {
  EXPECT_TRUE(trace_state::parse("foo=1,foo=1").empty());
  EXPECT_TRUE(trace_state::parse("foo=1,bar=2,foo=2").empty());
  EXPECT_TRUE(trace_state::parse("foo=1,foo=1").empty());
  EXPECT_EQ(trace_state::parse("foo=1,foo@x=1").size(), 2u);  // different keys
}

TEST(trace_state, member_count_limit) {
  EXPECT_EQ(trace_state::parse(members(1, 32)).size(), 32u);
  EXPECT_TRUE(trace_state::parse(members(1, 33)).empty());
  // Empty members do not count.
  EXPECT_EQ(trace_state::parse(members(1, 32) + ",,,").size(), 32u);
}

TEST(trace_state, key_length_limits_in_a_combined_header) {
  EXPECT_EQ(trace_state::parse("foo=1," + std::string(256, 'z') + "=1").get("foo"), "1");
  EXPECT_TRUE(trace_state::parse("foo=1," + std::string(257, 'z') + "=1").empty());
}

TEST(trace_state, oversized_and_hostile_input) {
  // 8 KB of valid-looking members: rejected by size before anything else.
  std::string big = "a=" + std::string(8190, 'x');
  EXPECT_TRUE(trace_state::parse(big).empty());
  EXPECT_TRUE(trace_state::parse(std::string(100000, ',')).empty());
  EXPECT_TRUE(trace_state::parse(std::string(8192, ',')).empty());
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  EXPECT_TRUE(trace_state::parse(binary).empty());
  EXPECT_TRUE(trace_state::parse(std::string("a=1\0,b=2", 8)).empty());
}

TEST(trace_state, set_moves_key_to_front) {
  auto ts = trace_state::parse("a=1,b=2,c=3");
  auto updated = ts.set("b", "9");
  EXPECT_EQ(updated.serialize(), "b=9,a=1,c=3");
  EXPECT_EQ(ts.serialize(), "a=1,b=2,c=3");  // immutable
  EXPECT_EQ(ts.set("new", "x").serialize(), "new=x,a=1,b=2,c=3");
  EXPECT_EQ(trace_state().set("k", "v").serialize(), "k=v");
}

TEST(trace_state, set_rejects_invalid_keys_and_values) {
  auto ts = trace_state::parse("a=1");
  EXPECT_EQ(ts.set("Bad", "x"), ts);
  EXPECT_EQ(ts.set("ok", "bad,value"), ts);
  EXPECT_EQ(ts.set("ok", ""), ts);
  EXPECT_EQ(ts.set("ok", std::string(257, 'v')), ts);
}

TEST(trace_state, set_on_full_state_drops_the_rightmost_entry) {
  auto ts = trace_state::parse(members(1, 32));
  auto updated = ts.set("fresh", "x");
  ASSERT_EQ(updated.size(), 32u);
  EXPECT_EQ(updated.entries().front().first, "fresh");
  EXPECT_EQ(updated.entries().back().first, "k31");
  EXPECT_FALSE(updated.get("k32"));
  // Updating an existing key of a full state drops nothing.
  auto same = ts.set("k32", "y");
  EXPECT_EQ(same.size(), 32u);
  EXPECT_EQ(same.entries().front().first, "k32");
  EXPECT_EQ(same.entries().back().first, "k31");
}

TEST(trace_state, remove) {
  auto ts = trace_state::parse("a=1,b=2");
  EXPECT_EQ(ts.remove("a").serialize(), "b=2");
  EXPECT_EQ(ts.remove("absent"), ts);
  EXPECT_TRUE(ts.remove("a").remove("b").empty());
}

TEST(trace_state, serialize_parse_round_trip_and_equality) {
  auto ts = trace_state::parse(" x@vendor=a b , y=2 ");
  auto again = trace_state::parse(ts.serialize());
  EXPECT_EQ(again, ts);
  EXPECT_EQ(again.get("x@vendor"), "a b");
  std::string buffer = "prefix:";
  ts.serialize_to(buffer);
  EXPECT_EQ(buffer, "prefix:x@vendor=a b,y=2");
  EXPECT_NE(ts, trace_state::parse("y=2,x@vendor=a b"));  // order matters
  EXPECT_EQ(trace_state(), trace_state::parse(""));
}

}  // namespace
}  // namespace agtel::trace
