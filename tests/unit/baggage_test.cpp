#include "agtel/context/baggage.hpp"

#include <gtest/gtest.h>

#include <string>

namespace agtel {
namespace {

TEST(baggage, empty_by_default) {
  baggage b;
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(b.entries().empty());
  EXPECT_FALSE(b.get("k"));
  EXPECT_EQ(b, baggage());
}

TEST(baggage, set_get_and_immutability) {
  baggage a;
  baggage b = a.set("user", "alice").set("tenant", "acme", "ttl=10");
  EXPECT_TRUE(a.empty());
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b.get("user"), "alice");
  EXPECT_EQ(b.entries()[1].metadata, "ttl=10");
  baggage c = b.set("user", "bob");
  EXPECT_EQ(c.get("user"), "bob");
  EXPECT_EQ(b.get("user"), "alice");
  EXPECT_EQ(c.entries()[0].key, "user");  // replaced in place, order kept
  EXPECT_NE(b, c);
}

TEST(baggage, values_may_hold_any_bytes) {
  std::string bytes("a\0,;=%\xff", 7);
  auto b = baggage().set("k", bytes);
  EXPECT_EQ(b.get("k"), bytes);
}

TEST(baggage, invalid_keys_are_refused) {
  baggage b = baggage().set("ok", "1");
  for (const std::string& key :
       std::vector<std::string>{"", "with space", "comma,", "semi;", "eq=", "quote\"",
                                "caf\xc3\xa9", std::string("nul\0", 4), "(paren)", "slash/"}) {
    EXPECT_EQ(b.set(key, "v"), b) << key;
  }
  EXPECT_TRUE(baggage::is_valid_key("!#$%&'*+-.^_`|~AZaz09"));
}

TEST(baggage, at_most_64_entries) {
  baggage b;
  for (int i = 0; i < 70; ++i) b = b.set("k" + std::to_string(i), "v");
  EXPECT_EQ(b.size(), baggage::max_entries);
  EXPECT_FALSE(b.get("k64"));
  // Updating an existing key of a full baggage still works.
  EXPECT_EQ(b.set("k3", "new").get("k3"), "new");
}

TEST(baggage, remove) {
  auto b = baggage().set("a", "1").set("b", "2");
  EXPECT_EQ(b.remove("a").size(), 1u);
  EXPECT_FALSE(b.remove("a").get("a"));
  EXPECT_EQ(b.remove("zz"), b);
  EXPECT_TRUE(b.remove("a").remove("b").empty());
}

TEST(baggage, from_entries_validates_dedups_and_caps) {
  std::vector<baggage::entry> list;
  list.push_back({"a", "1", ""});
  list.push_back({"bad key", "x", ""});
  list.push_back({"b", "2", "p"});
  list.push_back({"a", "3", "m"});
  for (int i = 0; i < 100; ++i) list.push_back({"n" + std::to_string(i), "v", ""});
  auto b = baggage::from_entries(std::move(list));
  ASSERT_EQ(b.size(), baggage::max_entries);
  EXPECT_EQ(b.entries()[0].key, "a");
  EXPECT_EQ(b.entries()[0].value, "3");  // last value, first position
  EXPECT_EQ(b.entries()[0].metadata, "m");
  EXPECT_EQ(b.entries()[1].key, "b");
  EXPECT_FALSE(b.get("bad key"));
  EXPECT_TRUE(baggage::from_entries({}).empty());
}

}  // namespace
}  // namespace agtel
