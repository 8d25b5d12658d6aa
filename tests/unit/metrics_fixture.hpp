// The metrics tests' world: a meter provider read on demand by one pull reader, without the
// SDK's own metrics unless asked (so a collection holds only what the test recorded), a
// meter "test" (version "1.0"), and helpers that read a point's value.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <variant>

#include "agtel/metrics/meter_provider.hpp"

namespace agtel::test {

struct metrics_fixture {
  explicit metrics_fixture(metrics::temporality_selector t = metrics::cumulative_temporality,
                           metrics::meter_provider_options o = {}, bool self_metrics = false) {
    reader = std::make_shared<metrics::pull_metric_reader>(t);
    o.readers.push_back(reader);
    o.self_metrics = self_metrics;
    provider = std::make_unique<metrics::meter_provider>(std::move(o));
    m = provider->get_meter("test", "1.0");
  }
  metrics::resource_metrics collect() {
    metrics::resource_metrics rm;
    EXPECT_TRUE(reader->collect(rm));
    return rm;
  }
  std::shared_ptr<metrics::pull_metric_reader> reader;
  std::unique_ptr<metrics::meter_provider> provider;
  metrics::meter m;
};

// A point's value, or -999 when the point is missing (so a missing point fails an EXPECT_EQ).
inline int64_t int_value(const metrics::number_point* p) {
  return p ? std::get<int64_t>(p->value) : -999;
}
inline double double_value(const metrics::number_point* p) {
  return p ? std::get<double>(p->value) : -999;
}

}  // namespace agtel::test
