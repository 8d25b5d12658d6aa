// Times on the command line: what `--since` and `--until` accept, and how the read
// commands print a timestamp.
#pragma once

#include <string>
#include <string_view>

#include "agtel/common/time.hpp"

namespace agtel::cli {

// "2026-11-23T16:05:01.123Z": RFC 3339, UTC, milliseconds.
std::string format_utc(timestamp_ns t);

// A point in time given as a duration before `now` ("90s", "15m", "2h", "7d") or as an
// RFC 3339 timestamp ("2026-11-23T16:05:01Z", fractions and a ±hh:mm offset allowed).
// False on anything else, and on times before 1970 or past 2262 (the ns range).
bool parse_time_point(std::string_view text, timestamp_ns now, timestamp_ns& out);

// "250ms", "1.5s", "2m", "1h" (a non-negative number and a unit: ns, us, ms, s, m, h) to
// nanoseconds; false on anything else or on overflow.
bool parse_duration_ns(std::string_view text, uint64_t& out);

}  // namespace agtel::cli
