// The agent tests' world: a tracer provider that exports every span at once into memory
// and a meter provider read on demand, both installed as the global providers (which is
// where the agent layer takes them from), and helpers to look at what came out.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/agent/settings.hpp"
#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/export/in_memory_span_exporter.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/logs/simple_log_record_processor.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/simple_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agtel::test {

// Keeps every exported log record.
class log_store final : public logs::log_record_exporter {
 public:
  explicit log_store(std::shared_ptr<std::vector<logs::log_record_ptr>> out)
      : out_(std::move(out)) {}
  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time) noexcept override {
    out_->insert(out_->end(), batch.begin(), batch.end());
    return export_result::success;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }

 private:
  std::shared_ptr<std::vector<logs::log_record_ptr>> out_;
};

class agent_world {
 public:
  agent_world() {
    spans_ = std::make_shared<exporter::in_memory_span_store>();
    trace::tracer_provider_options t;
    t.processors.push_back(trace::make_simple_span_processor(
        std::make_unique<exporter::in_memory_span_exporter>(spans_)));
    tracer_provider_ = std::make_shared<trace::tracer_provider>(std::move(t));
    reader_ = std::make_shared<metrics::pull_metric_reader>();
    metrics::meter_provider_options m;
    m.readers.push_back(reader_);
    m.self_metrics = false;
    meter_provider_ = std::make_shared<metrics::meter_provider>(std::move(m));
    logs::logger_provider_options l;
    l.processors.push_back(
        logs::make_simple_log_record_processor(std::make_unique<log_store>(logs_)));
    logger_provider_ = std::make_shared<logs::logger_provider>(std::move(l));
    trace::set_global_tracer_provider(tracer_provider_);
    metrics::set_global_meter_provider(meter_provider_);
    logs::set_global_logger_provider(logger_provider_);
    agent::configure({});
  }
  ~agent_world() {
    trace::set_global_tracer_provider(nullptr);
    metrics::set_global_meter_provider(nullptr);
    logs::set_global_logger_provider(nullptr);
    agent::configure({});
  }

  // The log records exported so far (the simple processor exports each at once).
  const std::vector<logs::log_record_ptr>& logs() const { return *logs_; }

  std::vector<trace::span_ptr> spans() const { return spans_->spans(); }
  // The only exported span named `name` (fails the test when there is not exactly one).
  trace::span_ptr span(std::string_view name) const {
    trace::span_ptr found;
    int n = 0;
    for (const auto& s : spans_->spans())
      if (s->name == name) {
        found = s;
        ++n;
      }
    EXPECT_EQ(n, 1) << "spans named '" << name << "'";
    return found;
  }
  metrics::resource_metrics collect() {
    metrics::resource_metrics rm;
    EXPECT_TRUE(reader_->collect(rm));
    return rm;
  }

 private:
  std::shared_ptr<exporter::in_memory_span_store> spans_;
  std::shared_ptr<trace::tracer_provider> tracer_provider_;
  std::shared_ptr<metrics::pull_metric_reader> reader_;
  std::shared_ptr<metrics::meter_provider> meter_provider_;
  std::shared_ptr<std::vector<logs::log_record_ptr>> logs_ =
      std::make_shared<std::vector<logs::log_record_ptr>>();
  std::shared_ptr<logs::logger_provider> logger_provider_;
};

// The string value of attribute `key`, or "<absent>" / "<not a string>".
inline std::string str_attr(const attribute_list& attrs, std::string_view key) {
  const attribute_value* v = attrs.find(key);
  if (!v) return "<absent>";
  if (const auto* s = std::get_if<std::string>(v)) return *s;
  return "<not a string>";
}
inline std::string str_attr(const trace::span_ptr& s, std::string_view key) {
  return str_attr(s->attributes, key);
}
// The integer value of attribute `key`, or -999 when absent or not an integer.
inline int64_t int_attr(const trace::span_ptr& s, std::string_view key) {
  const attribute_value* v = s->attributes.find(key);
  if (!v) return -999;
  if (const auto* i = std::get_if<int64_t>(v)) return *i;
  return -999;
}
inline double double_attr(const trace::span_ptr& s, std::string_view key) {
  const attribute_value* v = s->attributes.find(key);
  if (!v) return -999;
  if (const auto* d = std::get_if<double>(v)) return *d;
  return -999;
}

}  // namespace agtel::test
