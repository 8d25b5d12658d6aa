// `agtel serve --retain-traces / --retain-logs`: what parse_retention accepts.
#include <gtest/gtest.h>

#include "serve_command.hpp"

namespace agtel::cli {
namespace {

using std::chrono::hours;
using std::chrono::nanoseconds;

TEST(ServeRetentionOption, AcceptsZeroDaysAndDurations) {
  nanoseconds d{1};
  ASSERT_TRUE(parse_retention("0", d));
  EXPECT_EQ(d.count(), 0);
  ASSERT_TRUE(parse_retention("7d", d));
  EXPECT_EQ(d, hours(24 * 7));
  ASSERT_TRUE(parse_retention("12h", d));
  EXPECT_EQ(d, hours(12));
  ASSERT_TRUE(parse_retention("90m", d));
  EXPECT_EQ(d, std::chrono::minutes(90));
}

TEST(ServeRetentionOption, RefusesGarbageNegativeAndOverflow) {
  nanoseconds d{5};
  for (const char* bad : {"", "d", "7", "-1d", "7 d", "forever", "1w", "99999999999d",
                          "1e30h", "7dd"}) {
    EXPECT_FALSE(parse_retention(bad, d)) << bad;
  }
  EXPECT_EQ(d.count(), 5);  // untouched on refusal
}

}  // namespace
}  // namespace agtel::cli
