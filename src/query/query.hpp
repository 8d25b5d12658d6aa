// The query engine: what `agtel query | stats | anomalies` (and later the Prometheus API)
// compute over the series the metric store selected. Pure computation, no I/O, no SQLite:
// the store decodes its chunks into a `series_set` (series.hpp) and hands it over.
//
// One query, start to finish:
//   1. The caller parses the command line: parse_matcher for each `k=v`, parse_aggregate
//      for `--agg p95`; selector::compile turns the matchers into a selector that the
//      store applies to each candidate series' labels.
//   2. The store returns a series_set: the metric's catalogue entry and the matching
//      series, each with its points in time order, including, per series, points from
//      before `start_ns` (the last one serves as the baseline of a counter or cumulative
//      histogram; nothing else looks at them).
//   3. evaluate() buckets time, reduces each series in each bucket to a small "partial"
//      (partial.hpp: count, sum, min, max, last, increase, delta histogram, raw values),
//      then combines the partials of the series of each group (`by` labels) into one
//      value per bucket. Pre-aggregated rollups could supply those partials directly.
//   4. summarize() and find_anomalies() answer `agtel stats` and `agtel anomalies`.
//
// All functions are pure and thread-safe on distinct outputs; a compiled selector may be
// used from many threads at once (RE2 matching is const). Nothing throws: failures return
// false with a one-line message in `error` that can be shown to the user as it is.
//
// Where agtel departs from Prometheus (deliberately):
//   - increase/rate do not extrapolate to the bucket edges. A bucket's increase is the
//     last value in the bucket minus the last value before it (which may lie in an
//     earlier bucket or before the query range), so the increases of consecutive buckets
//     add up exactly to the increase over the whole range. Prometheus's increase() over
//     a window extrapolates the first and last samples towards the window's edges, so
//     its answers are larger by up to (window / sample interval) and are not additive.
//   - A cumulative stream's OTel start time is used: a series that started inside the
//     query range counts from 0 (Prometheus 2.42 ignores created timestamps and loses
//     the first sample's value).
//   - Buckets without data are omitted; nothing is fabricated or carried forward
//     (Prometheus's 5-minute lookback would carry gauges forward).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/series.hpp"

namespace re2 {
class RE2;
}

namespace agtel::query {

// ---------------------------------------------------------------------------------------
// Selecting series

// One label matcher, as in PromQL: name=value, name!=value, name=~regex, name!~regex.
struct label_matcher {
  enum class op : uint8_t { equal, not_equal, regex, not_regex };
  std::string name;
  op kind = op::equal;
  std::string value;
};

// Parses "k=v", "k!=v", "k=~re" or "k!~re". The name is everything before the operator
// (OTel names contain dots: "service.name=api"), trimmed of spaces, and must be non-empty
// and free of quotes and spaces. The value is the rest of the text as it is ("k=a=b" has
// value "a=b"), or, when it starts with a quote (" or '), a quoted string ending with the
// same quote in which \" \' and \\ stand for the character. An empty value is allowed:
// "k=" matches series without k (see selector).
bool parse_matcher(std::string_view text, label_matcher& out, std::string& error);

// Compiled matchers; a series matches when all of them match its labels (an empty
// selector matches everything). Prometheus semantics:
//   - a label the series does not have has the value "" (so "k=" selects series without
//     k, and "k!=" series with it),
//   - regexes are RE2 syntax and fully anchored ("a.*" does not match "ba"), as if written
//     ^(?:re)$; "." does not match a newline.
// Movable, not copyable (it owns the compiled regexes).
class selector {
 public:
  selector();
  ~selector();
  selector(selector&&) noexcept;
  selector& operator=(selector&&) noexcept;

  // Fails on a bad regex, with RE2's message ("bad regex for job: missing ): (a").
  static bool compile(const std::vector<label_matcher>& matchers, selector& out,
                      std::string& error);

  bool matches(const label_set& labels) const;

 private:
  struct compiled {
    std::string name;
    label_matcher::op kind;
    std::string value;
    std::unique_ptr<re2::RE2> regex;  // regex and not_regex only
  };
  std::vector<compiled> matchers_;
};

// ---------------------------------------------------------------------------------------
// Asking

enum class aggregation : uint8_t { sum, avg, min, max, count, last, quantile };

struct aggregate {
  aggregation op = aggregation::avg;
  double q = 0;  // quantile only, in [0, 1]
};

// "sum" "avg" "min" "max" "count" "last", or a percentile "pNN" / "pNN.N..." with NN in
// [0, 100] (p50 → quantile 0.5, p99.9 → 0.999). Case-insensitive. Anything else is an
// error naming the accepted forms ("p101" is out of range).
bool parse_aggregate(std::string_view text, aggregate& out, std::string& error);

enum class transform : uint8_t { none, rate, increase };

// A range query. Time buckets are [start + i·step, start + (i+1)·step), the last one
// clipped at end_ns; step 0 means one bucket [start, end). end == start is an empty range
// (no points, not an error); step < 0, end < start, or more than max_buckets buckets are
// errors.
struct range_query {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int64_t step_ns = 0;
  aggregate agg;
  transform fn = transform::none;
  // Group by these labels (empty: all series form one group). A series without one of
  // them (or with it empty) groups with the others that lack it, and the result series
  // has no such label.
  std::vector<std::string> by;
  // > 0: each result point becomes the mean of itself and the up-to N-1 result points
  // before it in the same series (a short window at the start of a series).
  size_t moving_average = 0;
};

inline constexpr size_t max_buckets = 1'000'000;

struct point {
  int64_t time_ns;  // the end of the point's bucket (clipped at end_ns for the last one)
  double value;
};

struct result_series {
  label_set labels;  // the `by` labels the group has, sorted by name
  std::vector<point> points;
};

// Evaluates `query` over `data`; `out` is replaced by one series per group that has at
// least one point, ordered by labels. What a bucket's value is, by metric kind:
//
// gauge, up_down (values):
//   Over time and across series together: avg, min, max, count and quantiles pool the
//   raw values of all the group's series in the bucket (quantile: linear interpolation
//   between closest ranks, numpy's default method). sum adds each series' last value in
//   the bucket (the group's current total). last is the group's most recent value (a tie
//   between series at the same time: the first series in `data`). NaN values are
//   skipped; ±Inf are kept (min/max/last show them; avg/sum follow IEEE, e.g. NaN for
//   +Inf + -Inf). rate/increase are errors.
//
// counter (monotonic sum):
//   Per series per bucket, the increase:
//     cumulative: the last value in the bucket minus the last value before it, counted
//       point by point so that a reset (the value decreases, or start_ns changes) counts
//       the new value from 0. A series' first point has no predecessor: when its start_ns
//       lies in [start_ns of the query, its time] the stream began in the range and the
//       value counts from 0; otherwise it is only the baseline. A bucket in which no
//       point has a predecessor or a start in the range (a lone first point) has no
//       increase for that series. NaN points are skipped.
//     delta: the sum of the points' values in the bucket.
//   fn=rate divides the increase by the bucket's length in seconds (the clipped length
//   for the last bucket); none and increase leave it. Then across the group's series:
//   sum, avg, min, max and quantiles of the per-series values; count = the number of
//   series with a value; last = the sum of the series' latest cumulative values in the
//   bucket (cumulative only; it ignores resets and needs fn=none).
//
// histogram, exponential_histogram:
//   Per series per bucket, the delta histogram: cumulative streams bucket by bucket as
//   counters are (a reset: count or any bucket count decreases, start_ns changes, or the
//   bounds / zero threshold change); delta streams summed. The series' delta histograms
//   are merged over the group:
//     explicit bounds: equal bounds (the usual case) add bucket-wise, which is what
//       Prometheus's `sum by (le)` does. Differing bounds merge onto the sorted union of
//       the bounds, each source bucket's count landing in the union bucket with the same
//       upper bound: a histogram's cumulative count at a bound it lacks is taken as its
//       count at its next lower bound (all we know lies below it). Prometheus instead
//       leaves a series out of an `le` it lacks (then forces monotonicity), so with
//       differing bounds its quantiles can differ from ours.
//     exponential: downscaled to the smallest scale of the group (index >> Δscale), the
//       widest zero threshold kept (buckets wholly inside it move to the zero bucket).
//   quantile: explicit, Prometheus 2.42's histogram_quantile: rank = q·total, linear
//     interpolation inside the bucket holding the rank; the lowest bucket's lower bound
//     is 0 if its upper bound is positive (else its upper bound is the answer); a rank
//     in the +Inf bucket answers the highest finite bound; no finite bound, or no
//     observations, gives no point. Exponential: the same walk over negative buckets
//     (most negative first), the zero bucket [-threshold, threshold] (lower bound 0 if
//     there are only positive buckets, upper bound 0 if only negative ones), then
//     positive buckets, each (base^k, base^(k+1)] (mirrored for negative), interpolated
//     linearly as Prometheus 2.42 does for native histograms; empty buckets are skipped.
//   A quantile is kept within the bucket's observed [min, max] when those are known (see
//   below): interpolation alone can answer beyond the largest value recorded. Prometheus
//   has no min/max and does not clamp; with min/max unknown the answers are the same.
//   count = Δcount, sum = Δsum, avg = Δsum / Δcount; fn=rate divides count and sum by the
//   bucket's seconds (quantile, avg, min and max are ratios and do not change). min/max
//   come from the points' min/max: known for delta points and for a cumulative point
//   counted from 0 (first point of a stream, reset); otherwise the bucket has no
//   min/max point. sum/avg are omitted when the points carry no sum. last is an error.
bool evaluate(const series_set& data, const range_query& query,
              std::vector<result_series>& out, std::string& error);

// Summary statistics over [start_ns, end_ns), all series together.
//   gauge, up_down: the raw values (NaN skipped).
//   counter: the per-point increases as evaluate() defines them (cumulative: reset-aware
//     differences to the previous point; delta: the values).
//   histograms: the merged delta histogram: count = Δcount, avg = Δsum/Δcount, min/max
//     when every contributing point knew them, percentiles from the buckets as in
//     evaluate(); stddev is NaN (buckets do not give it).
// stddev is the population standard deviation; percentiles of raw values use numpy's
// linear method. With no data count is 0 and the rest NaN (not an error); end < start is.
struct summary {
  uint64_t count = 0;
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
  double avg = std::numeric_limits<double>::quiet_NaN();
  double stddev = std::numeric_limits<double>::quiet_NaN();
  double p50 = std::numeric_limits<double>::quiet_NaN();
  double p95 = std::numeric_limits<double>::quiet_NaN();
  double p99 = std::numeric_limits<double>::quiet_NaN();
};

bool summarize(const series_set& data, int64_t start_ns, int64_t end_ns, summary& out,
               std::string& error);

// A point that lies more than k standard deviations from the mean of the `window` points
// before it in its series (population stddev; the first `window` points of each series
// are never anomalies). z = (value − mean) / stddev; a flat window (stddev 0) makes any
// different value an anomaly with z = ±Inf. Windows holding NaN or ±Inf find nothing.
// window 0 finds nothing. Ordered by series, then time.
struct anomaly {
  label_set labels;
  int64_t time_ns;
  double value, mean, stddev, z;
};

std::vector<anomaly> find_anomalies(const std::vector<result_series>& series, size_t window,
                                    double k);

}  // namespace agtel::query
