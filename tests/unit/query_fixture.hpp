// Builders for the query engine's tests: series_sets written as data.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "query/query.hpp"

namespace agtel::test::query_data {

using namespace agtel::query;

constexpr int64_t s = 1'000'000'000;  // one second in ns
constexpr double inf = std::numeric_limits<double>::infinity();
const double nan = std::numeric_limits<double>::quiet_NaN();

// (time in seconds, value[, start in seconds])
struct num {
  int64_t t;
  double v;
  int64_t start = 0;
};

inline series numbers(label_set labels, std::vector<num> points) {
  series out;
  out.labels = std::move(labels);
  for (const num& p : points) out.numbers.push_back({p.t * s, p.start * s, p.v});
  return out;
}

inline series_set metric(metric_kind kind, temporality t, std::vector<series> series_list) {
  series_set out;
  out.metric.name = "m";
  out.metric.kind = kind;
  out.metric.temporality = t;
  out.series = std::move(series_list);
  return out;
}

inline range_query range(int64_t start_s, int64_t end_s, int64_t step_s, aggregation op,
                         double q = 0) {
  range_query r;
  r.start_ns = start_s * s;
  r.end_ns = end_s * s;
  r.step_ns = step_s * s;
  r.agg = aggregate{op, q};
  return r;
}

// (time in seconds, value) pairs of a result, for EXPECT_EQ.
using pts = std::vector<std::pair<int64_t, double>>;

inline pts seconds(const result_series& r) {
  pts out;
  for (const point& p : r.points) out.emplace_back(p.time_ns / s, p.value);
  return out;
}

// Evaluates and returns the single result series (empty when there is none).
inline pts eval1(const series_set& data, const range_query& q) {
  std::vector<result_series> out;
  std::string error;
  EXPECT_TRUE(evaluate(data, q, out, error)) << error;
  EXPECT_LE(out.size(), 1u);
  return out.empty() ? pts{} : seconds(out[0]);
}

inline std::string eval_error(const series_set& data, const range_query& q) {
  std::vector<result_series> out;
  std::string error;
  EXPECT_FALSE(evaluate(data, q, out, error));
  return error;
}

inline void expect_near(const pts& actual, const pts& expected, double tolerance = 1e-12) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].first, expected[i].first) << "point " << i;
    EXPECT_NEAR(actual[i].second, expected[i].second, tolerance) << "point " << i;
  }
}

}  // namespace agtel::test::query_data
