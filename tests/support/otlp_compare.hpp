// gtest comparisons of the SDK's telemetry types, member by member, for the codec round
// trips: what a decoder gives back must equal what was encoded (doubles to the bit, so
// that -0.0 stays -0.0), resources and scopes compared by content.
#pragma once

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

#include "agtel/common/resource.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::test {

inline void expect_same_attributes(const attribute_list& a, const attribute_list& b,
                                   const std::string& where = {}) {
  EXPECT_EQ(a.size(), b.size()) << where;
  EXPECT_TRUE(a == b) << where;
  EXPECT_EQ(a.dropped(), b.dropped()) << where;
  for (const attribute& x : a) {
    const attribute_value* y = b.find(x.key);
    ASSERT_NE(y, nullptr) << where << " " << x.key;
    EXPECT_EQ(x.value.index(), y->index()) << where << " " << x.key;
    if (auto* d = std::get_if<double>(&x.value)) {  // -0.0 must stay -0.0
      EXPECT_EQ(std::bit_cast<uint64_t>(*d), std::bit_cast<uint64_t>(std::get<double>(*y)))
          << x.key;
    }
  }
}

inline void expect_same_resource(const resource* a, const resource* b) {
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  expect_same_attributes(a->attributes, b->attributes, "resource");
  EXPECT_EQ(a->schema_url, b->schema_url);
}

inline void expect_same_scope(const instrumentation_scope* a, const instrumentation_scope* b) {
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->name, b->name);
  EXPECT_EQ(a->version, b->version);
  EXPECT_EQ(a->schema_url, b->schema_url);
  expect_same_attributes(a->attributes, b->attributes, "scope");
}

inline void expect_same_span(const trace::span_data& a, const trace::span_data& b) {
  std::string w = "span " + a.name;
  EXPECT_EQ(a.context, b.context) << w;
  EXPECT_EQ(a.context.state().serialize(), b.context.state().serialize()) << w;
  EXPECT_EQ(a.parent_span_id, b.parent_span_id) << w;
  EXPECT_EQ(a.parent_is_remote, b.parent_is_remote) << w;
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.kind, b.kind) << w;
  EXPECT_EQ(a.start_time, b.start_time) << w;
  EXPECT_EQ(a.end_time, b.end_time) << w;
  expect_same_attributes(a.attributes, b.attributes, w);
  ASSERT_EQ(a.events.size(), b.events.size()) << w;
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].name, b.events[i].name);
    EXPECT_EQ(a.events[i].time, b.events[i].time);
    expect_same_attributes(a.events[i].attributes, b.events[i].attributes, w + " event");
  }
  ASSERT_EQ(a.links.size(), b.links.size()) << w;
  for (size_t i = 0; i < a.links.size(); ++i) {
    EXPECT_EQ(a.links[i].context, b.links[i].context) << w << " link " << i;
    expect_same_attributes(a.links[i].attributes, b.links[i].attributes, w + " link");
  }
  EXPECT_EQ(a.dropped_events, b.dropped_events) << w;
  EXPECT_EQ(a.dropped_links, b.dropped_links) << w;
  EXPECT_EQ(a.status.code, b.status.code) << w;
  EXPECT_EQ(a.status.message, b.status.message) << w;
  expect_same_resource(a.resource, b.resource);
  expect_same_scope(a.scope, b.scope);
}

inline void expect_same_exemplars(const reuse_vector<metrics::exemplar>& a,
                                  const reuse_vector<metrics::exemplar>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    expect_same_attributes(a[i].filtered_attributes, b[i].filtered_attributes, "exemplar");
    EXPECT_EQ(a[i].time, b[i].time);
    EXPECT_EQ(a[i].value, b[i].value);
    EXPECT_EQ(a[i].trace_id, b[i].trace_id);
    EXPECT_EQ(a[i].span_id, b[i].span_id);
  }
}

// The members every kind of point has (exemplars where it has them).
template <class Point>
void expect_same_point_base(const Point& a, const Point& b) {
  expect_same_attributes(a.attributes, b.attributes, "point");
  EXPECT_EQ(a.start_time, b.start_time);
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.flags, b.flags);
  if constexpr (requires { a.exemplars; }) {
    expect_same_exemplars(a.exemplars, b.exemplars);
  }
}

// ---- the members of each kind of point beyond the base

inline void expect_same_point_rest(const metrics::number_point& p, const metrics::number_point& q) {
  EXPECT_EQ(p.value, q.value);
}

inline void expect_same_point_rest(const metrics::histogram_point& p,
                                   const metrics::histogram_point& q) {
  EXPECT_EQ(p.count, q.count);
  EXPECT_EQ(p.sum, q.sum);
  EXPECT_EQ(p.min, q.min);
  EXPECT_EQ(p.max, q.max);
  EXPECT_EQ(p.bounds, q.bounds);
  EXPECT_EQ(p.bucket_counts, q.bucket_counts);
}

inline void expect_same_point_rest(const metrics::exponential_histogram_point& p,
                                   const metrics::exponential_histogram_point& q) {
  EXPECT_EQ(p.count, q.count);
  EXPECT_EQ(p.sum, q.sum);
  EXPECT_EQ(p.scale, q.scale);
  EXPECT_EQ(p.zero_count, q.zero_count);
  EXPECT_EQ(p.zero_threshold, q.zero_threshold);
  EXPECT_EQ(p.positive.offset, q.positive.offset);
  EXPECT_EQ(p.positive.counts, q.positive.counts);
  EXPECT_EQ(p.negative.offset, q.negative.offset);
  EXPECT_EQ(p.negative.counts, q.negative.counts);
  EXPECT_EQ(p.min, q.min);
  EXPECT_EQ(p.max, q.max);
}

inline void expect_same_point_rest(const metrics::summary_point& p,
                                   const metrics::summary_point& q) {
  EXPECT_EQ(p.count, q.count);
  EXPECT_EQ(p.sum, q.sum);
  ASSERT_EQ(p.quantiles.size(), q.quantiles.size());
  for (size_t k = 0; k < p.quantiles.size(); ++k) {
    EXPECT_EQ(p.quantiles[k].quantile, q.quantiles[k].quantile);
    EXPECT_EQ(p.quantiles[k].value, q.quantiles[k].value);
  }
}

// Any of the five kinds of metric data.
template <class Data>
void expect_same_data(const Data& a, const Data& b) {
  if constexpr (requires { a.temporality; }) {
    EXPECT_EQ(a.temporality, b.temporality);
  }
  if constexpr (requires { a.monotonic; }) {
    EXPECT_EQ(a.monotonic, b.monotonic);
  }
  ASSERT_EQ(a.points.size(), b.points.size());
  for (size_t i = 0; i < a.points.size(); ++i) {
    SCOPED_TRACE("point " + std::to_string(i));
    expect_same_point_base(a.points[i], b.points[i]);
    expect_same_point_rest(a.points[i], b.points[i]);
  }
}

inline void expect_same_metric(const metrics::metric_data& a, const metrics::metric_data& b) {
  SCOPED_TRACE(a.name);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.unit, b.unit);
  ASSERT_EQ(a.data.index(), b.data.index());
  std::visit(
      [&](const auto& d) { expect_same_data(d, std::get<std::decay_t<decltype(d)>>(b.data)); },
      a.data);
}

}  // namespace agtel::test
