// The OTLP exporters' retry schedule (src/export/otlp/retry_policy.hpp): exponential
// backoff with ±20% jitter, Retry-After honoured, never past the deadline or max_attempts.
#include "export/otlp/retry_policy.hpp"

#include <gtest/gtest.h>

namespace agtel::exporter::otlp_detail {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds no_retry_after{-1};
constexpr std::chrono::nanoseconds plenty = std::chrono::hours(1);

retry_policy policy() {
  return {milliseconds(1000), milliseconds(5000), 1.5, 5};
}

TEST(OtlpRetryPolicy, BackoffGrowsByTheMultiplierUntilTheCap) {
  // random01 = 0.5 is the centre of the jitter: the wait is the unjittered backoff.
  EXPECT_EQ(next_retry_delay(policy(), 1, no_retry_after, plenty, 0.5), milliseconds(1000));
  EXPECT_EQ(next_retry_delay(policy(), 2, no_retry_after, plenty, 0.5), milliseconds(1500));
  EXPECT_EQ(next_retry_delay(policy(), 3, no_retry_after, plenty, 0.5), milliseconds(2250));
  EXPECT_EQ(next_retry_delay(policy(), 4, no_retry_after, plenty, 0.5), milliseconds(3375));
  retry_policy many = policy();
  many.max_attempts = 100;
  EXPECT_EQ(next_retry_delay(many, 5, no_retry_after, plenty, 0.5), milliseconds(5000));
  EXPECT_EQ(next_retry_delay(many, 99, no_retry_after, plenty, 0.5), milliseconds(5000));
}

TEST(OtlpRetryPolicy, JitterSpreadsTheWaitByTwentyPercent) {
  EXPECT_EQ(next_retry_delay(policy(), 1, no_retry_after, plenty, 0.0), milliseconds(800));
  EXPECT_EQ(next_retry_delay(policy(), 1, no_retry_after, plenty, 0.999999), milliseconds(1199));
  // Out-of-range randomness is clamped, never a negative or huge wait.
  EXPECT_EQ(next_retry_delay(policy(), 1, no_retry_after, plenty, -3.0), milliseconds(800));
  EXPECT_EQ(next_retry_delay(policy(), 1, no_retry_after, plenty, 7.0), milliseconds(1200));
}

TEST(OtlpRetryPolicy, GivesUpAfterMaxAttempts) {
  EXPECT_TRUE(next_retry_delay(policy(), 4, no_retry_after, plenty, 0.5).has_value());
  EXPECT_FALSE(next_retry_delay(policy(), 5, no_retry_after, plenty, 0.5).has_value());
  retry_policy once = policy();
  once.max_attempts = 1;
  EXPECT_FALSE(next_retry_delay(once, 1, no_retry_after, plenty, 0.5).has_value());
}

TEST(OtlpRetryPolicy, NeverWaitsPastTheDeadline) {
  EXPECT_EQ(next_retry_delay(policy(), 1, no_retry_after, milliseconds(1001), 0.5),
            milliseconds(1000));
  EXPECT_FALSE(next_retry_delay(policy(), 1, no_retry_after, milliseconds(1000), 0.5));
  EXPECT_FALSE(next_retry_delay(policy(), 1, no_retry_after, milliseconds(0), 0.5));
  EXPECT_FALSE(next_retry_delay(policy(), 1, no_retry_after, milliseconds(-5), 0.5));
}

TEST(OtlpRetryPolicy, RetryAfterReplacesTheBackoffWithoutJitter) {
  EXPECT_EQ(next_retry_delay(policy(), 1, milliseconds(3000), plenty, 0.0), milliseconds(3000));
  EXPECT_EQ(next_retry_delay(policy(), 4, milliseconds(0), plenty, 0.9), milliseconds(0));
  // Above max_backoff too: the server knows when it will be back.
  EXPECT_EQ(next_retry_delay(policy(), 1, seconds(30), plenty, 0.5), milliseconds(30000));
  // But not past the deadline, and not past max_attempts.
  EXPECT_FALSE(next_retry_delay(policy(), 1, seconds(30), seconds(10), 0.5));
  EXPECT_FALSE(next_retry_delay(policy(), 5, milliseconds(1), plenty, 0.5));
}

TEST(OtlpRetryPolicy, HostileOptionsStayBounded) {
  retry_policy p{milliseconds(-10), milliseconds(-1), -2.0, 3};
  EXPECT_EQ(next_retry_delay(p, 1, no_retry_after, plenty, 0.5), milliseconds(0));
  p = {milliseconds(10), milliseconds(1000), std::numeric_limits<double>::infinity(), 3};
  EXPECT_EQ(next_retry_delay(p, 2, no_retry_after, plenty, 0.5), milliseconds(10));
  p = {milliseconds(10), milliseconds(1000), 1e300, 1000};
  EXPECT_EQ(next_retry_delay(p, 900, no_retry_after, plenty, 0.5), milliseconds(1000));
}

TEST(OtlpRetryPolicy, RetryAfterSeconds) {
  EXPECT_EQ(parse_retry_after("120", 0), seconds(120));
  EXPECT_EQ(parse_retry_after(" 0\r\n", 0), seconds(0));
  EXPECT_EQ(parse_retry_after("\t7 ", 0), seconds(7));
  // Absurd values are clamped to a day (far beyond any export timeout).
  EXPECT_EQ(parse_retry_after("99999999999999999999999999", 0), seconds(86400));
}

TEST(OtlpRetryPolicy, RetryAfterHttpDates) {
  const std::time_t now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), seconds(30));
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now), seconds(60));  // RFC 850
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:05 2015", now), seconds(5));            // asctime
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), seconds(0));       // past
}

TEST(OtlpRetryPolicy, MalformedRetryAfterIsIgnored) {
  for (std::string_view bad :
       {"", "   ", "-5", "1.5", "soon", "12abc", "Wed, 99 Foo 2015", "\xff\xfe",
        "9999999999999999999999999999999999999999999999999999"
        "999999999999999999999x"})
    EXPECT_EQ(parse_retry_after(bad, 0), milliseconds(-1)) << bad;
}

}  // namespace
}  // namespace agtel::exporter::otlp_detail
