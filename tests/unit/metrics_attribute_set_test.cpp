// Attribute sets as series keys: order-independent hashing, equality between borrowed
// views and stored lists (every value type), normalization of repeated keys, key filters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sdk/metrics/detail/attribute_set.hpp"

namespace agtel::metrics::detail {
namespace {

attribute_list stored(std::vector<attribute_view> v) {
  std::vector<attribute_view> norm;
  normalize(v, norm);
  attribute_list out;
  to_list(norm, out);
  return out;
}

TEST(MetricsAttributeSet, HashIsOrderIndependent) {
  std::vector<attribute_view> a = {{"x", 1}, {"y", "two"}, {"z", 3.5}};
  std::vector<attribute_view> b = {{"z", 3.5}, {"x", 1}, {"y", "two"}};
  EXPECT_EQ(hash_set(a), hash_set(b));
  EXPECT_EQ(hash_set(a), hash_set(stored(a)));
  std::vector<attribute_view> c = {{"x", 1}, {"y", "two"}, {"z", 3.6}};
  EXPECT_NE(hash_set(a), hash_set(c));
  EXPECT_NE(hash_set(std::vector<attribute_view>{}),
            hash_set(std::vector<attribute_view>{{"", ""}}));
}

TEST(MetricsAttributeSet, ViewAndOwnedHashAlikeForEveryType) {
  const int64_t ints[] = {1, 2, 3};
  const double dbls[] = {1.5, -0.0};
  const bool bools[] = {true, false};
  const std::string_view svs[] = {"a", "bc"};
  const std::vector<std::string> strs = {"a", "bc"};
  std::vector<attribute_view> all = {{"b", true},
                                     {"i", int64_t{-5}},
                                     {"d", 2.25},
                                     {"s", "str"},
                                     {"ia", std::span<const int64_t>(ints)},
                                     {"da", std::span<const double>(dbls)},
                                     {"ba", std::span<const bool>(bools)},
                                     {"sa", std::span<const std::string_view>(svs)},
                                     {"sb", strs}};
  attribute_list owned = stored(all);
  EXPECT_EQ(hash_set(all), hash_set(owned));
  EXPECT_TRUE(same_set(owned, all));
  // string_view arrays and string arrays are one value.
  std::vector<attribute_view> other = all;
  other.back() = {"sb", std::span<const std::string_view>(svs)};
  EXPECT_EQ(hash_set(all), hash_set(other));
  EXPECT_TRUE(same_set(owned, other));
}

TEST(MetricsAttributeSet, SameSetRejectsDifferences) {
  attribute_list s = stored({{"a", 1}, {"b", "x"}});
  EXPECT_TRUE(same_set(s, std::vector<attribute_view>{{"b", "x"}, {"a", 1}}));
  EXPECT_FALSE(same_set(s, std::vector<attribute_view>{{"a", 1}}));
  EXPECT_FALSE(same_set(s, std::vector<attribute_view>{{"a", 1}, {"b", "y"}}));
  EXPECT_FALSE(same_set(s, std::vector<attribute_view>{{"a", 1}, {"c", "x"}}));
  EXPECT_FALSE(same_set(s, std::vector<attribute_view>{{"a", "1"}, {"b", "x"}}));  // type differs
  EXPECT_FALSE(same_set(s, std::vector<attribute_view>{{"a", 1.0}, {"b", "x"}}));
  // A repeated key never matches two stored entries.
  EXPECT_FALSE(same_set(s, std::vector<attribute_view>{{"a", 1}, {"a", 1}}));
  // Long keys and values (more than 16 bytes: the word-at-a-time comparison).
  std::string long_key(40, 'k'), long_val(33, 'v'), other_val = long_val;
  other_val[20] = 'w';
  attribute_list l = stored({{long_key, long_val}});
  EXPECT_TRUE(same_set(l, std::vector<attribute_view>{{long_key, long_val}}));
  EXPECT_FALSE(same_set(l, std::vector<attribute_view>{{long_key, other_val}}));
  EXPECT_NE(hash_set(std::vector<attribute_view>{{long_key, long_val}}),
            hash_set(std::vector<attribute_view>{{long_key, other_val}}));
}

TEST(MetricsAttributeSet, DoublesCompareByValueWithSignedZeroAndNaN) {
  attribute_list z = stored({{"d", 0.0}});
  EXPECT_TRUE(same_set(z, std::vector<attribute_view>{{"d", -0.0}}));
  EXPECT_EQ(hash_set(std::vector<attribute_view>{{"d", 0.0}}),
            hash_set(std::vector<attribute_view>{{"d", -0.0}}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  attribute_list n = stored({{"d", nan}});
  EXPECT_TRUE(
      same_set(n, std::vector<attribute_view>{{"d", nan}}));  // else each NaN is a new series
}

TEST(MetricsAttributeSet, NormalizeSortsAndLastValueWins) {
  std::vector<attribute_view> out;
  normalize(std::vector<attribute_view>{{"b", 1}, {"a", 2}, {"b", 3}, {"c", 4}, {"a", 5}}, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].key, "a");
  EXPECT_EQ(std::get<int64_t>(out[0].value.get()), 5);
  EXPECT_EQ(out[1].key, "b");
  EXPECT_EQ(std::get<int64_t>(out[1].value.get()), 3);
  EXPECT_EQ(out[2].key, "c");
  normalize({}, out);
  EXPECT_TRUE(out.empty());
}

TEST(MetricsAttributeSet, FilterKeys) {
  const std::vector<std::string> keys = {"a", "c"};
  std::vector<attribute_view> in = {{"c", 1}, {"b", 2}, {"a", 3}, {"d", 4}};
  alignas(attribute_view) std::byte raw[sizeof(attribute_view) * 2];
  auto* out = reinterpret_cast<attribute_view*>(raw);
  ASSERT_EQ(filter_keys(in, keys, out, 2), 2u);
  EXPECT_EQ(out[0].key, "c");
  EXPECT_EQ(out[1].key, "a");
  EXPECT_EQ(filter_keys(std::vector<attribute_view>{{"a", 1}, {"c", 2}, {"a", 3}}, keys, out, 2),
            SIZE_MAX);
  EXPECT_EQ(filter_keys({}, keys, out, 2), 0u);
}

TEST(MetricsAttributeSet, HostileKeysAndValues) {
  // Empty keys, embedded NULs, invalid UTF-8, very long values: hashed and compared as bytes.
  std::string nul("a\0b", 3), nul2("a\0c", 3), bad("\xff\xfe\x80", 3), big(100000, 'x');
  std::vector<attribute_view> v = {{"", ""}, {nul, nul}, {bad, bad}, {"big", big}};
  attribute_list s = stored(v);
  EXPECT_TRUE(same_set(s, v));
  EXPECT_FALSE(
      same_set(s, std::vector<attribute_view>{{"", ""}, {nul, nul2}, {bad, bad}, {"big", big}}));
  EXPECT_EQ(hash_set(v), hash_set(s));
}

}  // namespace
}  // namespace agtel::metrics::detail
