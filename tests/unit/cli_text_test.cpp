// The read commands' parsers and printers: times on the command line, and the table.
#include <gtest/gtest.h>

#include "table.hpp"
#include "time_text.hpp"

namespace agtel::cli {
namespace {

constexpr uint64_t s = 1'000'000'000;

TEST(cli_time, formats_utc_with_milliseconds) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(1795449901ull * s + 123'456'789), "2026-11-23T16:05:01.123Z");
}

TEST(cli_time, reads_rfc3339_with_fractions_and_offsets) {
  timestamp_ns t = 0;
  ASSERT_TRUE(parse_time_point("2026-11-23T16:05:01Z", 0, t));
  EXPECT_EQ(t, 1795449901ull * s);
  ASSERT_TRUE(parse_time_point("2026-11-23T16:05:01.5z", 0, t));
  EXPECT_EQ(t, 1795449901ull * s + s / 2);
  ASSERT_TRUE(parse_time_point("2026-11-23T18:05:01+02:00", 0, t));
  EXPECT_EQ(t, 1795449901ull * s);
  ASSERT_TRUE(parse_time_point("2026-11-23 16:05:01.000000000123-00:00", 0, t));
  EXPECT_EQ(t, 1795449901ull * s) << "digits past nanoseconds are ignored";
  ASSERT_TRUE(parse_time_point("2024-02-29T00:00:00Z", 0, t));
  EXPECT_EQ(format_utc(t), "2024-02-29T00:00:00.000Z");
}

TEST(cli_time, reads_durations_before_now) {
  const timestamp_ns now = 1795449901ull * s;
  timestamp_ns t = 0;
  ASSERT_TRUE(parse_time_point("15m", now, t));
  EXPECT_EQ(t, now - 900 * s);
  ASSERT_TRUE(parse_time_point("1.5h", now, t));
  EXPECT_EQ(t, now - 5400 * s);
  ASSERT_TRUE(parse_time_point("7d", now, t));
  EXPECT_EQ(t, now - 7 * 86400 * s);
  ASSERT_TRUE(parse_time_point("100000d", now, t));
  EXPECT_EQ(t, 0u) << "before 1970 is the beginning";
}

TEST(cli_time, refuses_what_is_neither) {
  timestamp_ns t = 42;
  for (const char* bad :
       {"", "now", "15", "15x", "-5m", "nan", "infs", "1e400s", "2026-11-23", "2026-11-23T16:05:01",
        "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z",
        "2026-11-23T24:00:00Z", "2026-11-23T16:05:01.Z", "2026-11-23T16:05:01+2:00",
        "1969-12-31T23:59:59Z", "2026-11-23T16:05:01Z junk", "99999999999999999999h"}) {
    EXPECT_FALSE(parse_time_point(bad, 1795449901ull * s, t)) << bad;
  }
  EXPECT_EQ(t, 42u) << "a refused text leaves the output alone";
}

TEST(cli_time, durations_take_units_from_ns_to_days) {
  uint64_t ns = 0;
  ASSERT_TRUE(parse_duration_ns("250ms", ns));
  EXPECT_EQ(ns, 250'000'000u);
  ASSERT_TRUE(parse_duration_ns("1.5s", ns));
  EXPECT_EQ(ns, 1'500'000'000u);
  ASSERT_TRUE(parse_duration_ns("0s", ns));
  EXPECT_EQ(ns, 0u);
  ASSERT_TRUE(parse_duration_ns("3us", ns));
  EXPECT_EQ(ns, 3000u);
  EXPECT_FALSE(parse_duration_ns("1w", ns));
  EXPECT_FALSE(parse_duration_ns("s", ns));
  EXPECT_FALSE(parse_duration_ns("600000d", ns)) << "past 2^64 ns";
}

TEST(cli_table, pads_columns_and_right_aligns_numbers) {
  table t({{"NAME"}, {"COUNT", table::align::right}});
  t.add_row({"search", "7"});
  t.add_row({"fetch_page", "1234"});
  EXPECT_EQ(t.render(),
            "NAME        COUNT\n"
            "search          7\n"
            "fetch_page   1234\n");
}

TEST(cli_table, makes_hostile_cells_safe_and_cuts_them) {
  table t({{"A", table::align::left, 8}, {"B"}});
  t.add_row({"\x1b[31mred\n", "\xff\xfe ok"});
  t.add_row({"a very long span name indeed"});  // a missing cell is empty
  const std::string out = t.render();
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find("\n\n"), std::string::npos) << "no raw newline from a cell";
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << "invalid UTF-8 shown as U+FFFD";
  EXPECT_NE(out.find("a very l…"), std::string::npos) << out;
  EXPECT_EQ(t.rows(), 2u);
}

TEST(cli_table, counts_characters_not_bytes) {
  table t({{"X"}, {"Y"}});
  t.add_row({"ééé", "1"});
  t.add_row({"abcd", "2"});
  const std::string out = t.render();
  EXPECT_NE(out.find("ééé   1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("abcd  2\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace agtel::cli
