#include "agtel/common/attribute.hpp"

#include <gtest/gtest.h>

namespace agtel {
namespace {

TEST(attribute_value_view, widens_integers_and_floats_and_keeps_bool) {
  EXPECT_TRUE(std::holds_alternative<int64_t>(attribute_value_view(42).get()));
  EXPECT_TRUE(std::holds_alternative<int64_t>(attribute_value_view(uint16_t{7}).get()));
  EXPECT_TRUE(std::holds_alternative<double>(attribute_value_view(1.5f).get()));
  EXPECT_TRUE(std::holds_alternative<bool>(attribute_value_view(true).get()));
  EXPECT_TRUE(std::holds_alternative<std::string_view>(attribute_value_view("x").get()));
  std::string s = "owned";
  EXPECT_TRUE(std::holds_alternative<std::string_view>(attribute_value_view(s).get()));
}

TEST(attribute_list, set_overwrites_existing_key_in_place) {
  attribute_list l;
  l.set("a", 1);
  l.set("b", "two");
  l.set("a", "one");
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].key, "a");
  EXPECT_EQ(std::get<std::string>(l[0].value), "one");
  EXPECT_EQ(l.dropped(), 0u);
}

TEST(attribute_list, new_keys_past_count_limit_are_dropped_and_counted) {
  attribute_list l;
  for (int i = 0; i < 5; ++i) l.set("k" + std::to_string(i), i, 3);
  EXPECT_EQ(l.size(), 3u);
  EXPECT_EQ(l.dropped(), 2u);
  EXPECT_TRUE(l.set("k0", 100, 3)) << "an existing key can still be updated at the limit";
  EXPECT_EQ(std::get<int64_t>(*l.find("k0")), 100);
}

TEST(attribute_list, value_length_limit_truncates_at_utf8_boundary) {
  attribute_list l;
  // "é" is two bytes: cutting at 4 bytes would split the second "é".
  l.set("k", "aéé", SIZE_MAX, 4);
  EXPECT_EQ(std::get<std::string>(l[0].value), "aé");
  std::vector<std::string> arr{"abcdef", "xy"};
  l.set("arr", arr, SIZE_MAX, 3);
  EXPECT_EQ(std::get<std::vector<std::string>>(*l.find("arr")), (std::vector<std::string>{"abc", "xy"}));
  l.set("n", 123456789, SIZE_MAX, 1);
  EXPECT_EQ(std::get<int64_t>(*l.find("n")), 123456789) << "limits apply to strings only";
}

TEST(attribute_list, arrays_of_every_type) {
  attribute_list l;
  bool bools[] = {true, false};
  std::vector<int64_t> ints{1, 2, 3};
  std::vector<double> doubles{0.5};
  std::string_view views[] = {"a", "b"};
  l.set("b", std::span<const bool>(bools));
  l.set("i", ints);
  l.set("d", doubles);
  l.set("s", std::span<const std::string_view>(views));
  EXPECT_EQ(std::get<std::vector<bool>>(*l.find("b")), (std::vector<bool>{true, false}));
  EXPECT_EQ(std::get<std::vector<int64_t>>(*l.find("i")), ints);
  EXPECT_EQ(std::get<std::vector<double>>(*l.find("d")), doubles);
  EXPECT_EQ(std::get<std::vector<std::string>>(*l.find("s")), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(*l.find("i") == attribute_value_view(ints));
  EXPECT_FALSE(*l.find("i") == attribute_value_view(doubles));
}

TEST(attribute_list, clear_keeps_storage_for_reuse) {
  attribute_list l;
  l.set("a-long-key-that-does-not-fit-sso", std::string(100, 'x'));
  const char* key_storage = l[0].key.data();
  const char* value_storage = std::get<std::string>(l[0].value).data();
  l.clear();
  EXPECT_TRUE(l.empty());
  l.set("another-long-key-not-fitting-sso", std::string(50, 'y'));
  EXPECT_EQ(l[0].key.data(), key_storage) << "the key string was reallocated";
  EXPECT_EQ(std::get<std::string>(l[0].value).data(), value_storage) << "the value string was reallocated";
  EXPECT_EQ(std::get<std::string>(l[0].value), std::string(50, 'y'));
}

TEST(attribute_list, equality_ignores_order) {
  attribute_list a{{"x", 1}, {"y", "z"}};
  attribute_list b{{"y", "z"}, {"x", 1}};
  attribute_list c{{"y", "z"}, {"x", 2}};
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == c);
}

TEST(attribute_list, set_value_copies_owned_values_including_bool_arrays) {
  attribute_list src{{"k", "v"}};
  src.set_value("bools", attribute_value(std::vector<bool>{true, true}));
  attribute_list dst;
  for (const auto& a : src) dst.set_value(a.key, a.value);
  EXPECT_EQ(dst, src);
}

}  // namespace
}  // namespace agtel
