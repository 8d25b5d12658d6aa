#include <gtest/gtest.h>

#include <thread>

#include "agtel/common/time.hpp"

namespace agtel {
namespace {

int64_t diff(timestamp_ns a, timestamp_ns b) { return static_cast<int64_t>(a) - static_cast<int64_t>(b); }

TEST(clock, now_follows_the_wall_clock_closely) {
  for (int i = 0; i < 1000; ++i) {
    timestamp_ns before = realtime_ns();
    timestamp_ns now = now_ns();
    timestamp_ns after = realtime_ns();
    // Within 1 ms of the wall clock, even right after start-up calibration.
    ASSERT_GT(diff(now, before), -1'000'000) << "iteration " << i;
    ASSERT_LT(diff(now, after), 1'000'000) << "iteration " << i;
  }
}

TEST(clock, stays_close_across_a_recalibration_and_measures_durations) {
  timestamp_ns start = now_ns();
  timestamp_ns wall_start = realtime_ns();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past the 1 s renewal
  timestamp_ns end = now_ns();
  timestamp_ns wall_end = realtime_ns();
  EXPECT_NEAR(static_cast<double>(end - start), static_cast<double>(wall_end - wall_start), 1e6);
  EXPECT_LT(std::abs(diff(end, wall_end)), 1'000'000);
}

TEST(clock, successive_reads_on_one_thread_do_not_go_back_noticeably) {
  timestamp_ns prev = now_ns();
  int64_t worst = 0;
  for (int i = 0; i < 200000; ++i) {
    timestamp_ns t = now_ns();
    worst = std::min(worst, diff(t, prev));
    prev = t;
  }
  // A renewal may step back by the calibration error (microseconds), never by more.
  EXPECT_GT(worst, -100'000);
}

}  // namespace
}  // namespace agtel
