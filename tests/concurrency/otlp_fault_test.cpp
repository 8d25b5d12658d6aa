// OTLP/HTTP exporters against a misbehaving network: a port that refuses connections,
// 503 with Retry-After, 400 and 413, a connection reset in the middle of the body, a
// server that never answers. For each, with the exporters behind the SDK's batch
// processors (spans, log records) and periodic reader (metrics):
//   - the application thread never waits for the network: batch processors document
//     "never blocks"; each end()/emit()/add() is held to 100 ms here (scheduling noise on
//     a loaded 2-core machine and TSan), while any fault below would hold a blocking
//     caller for >= 300 ms;
//   - shutdown returns by its deadline;
//   - every item is accounted for: exported + failed + dropped == produced, in the
//     processor's counts and in the exporter's own.
// Runs under TSan in CI (tests/concurrency). The server is tests/support/loopback_http_server.hpp.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "otlp/codec.hpp"
#include "support/loopback_http_server.hpp"

namespace agtel::exporter {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using test::http_reply;
using test::http_request;
using test::loopback_http_server;

constexpr auto app_bound = 100ms;       // the longest one end()/emit()/add() may take
constexpr auto export_timeout = 300ms;  // the exporters' per-export timeout
constexpr auto shutdown_timeout = 1000ms;
constexpr auto shutdown_slack = 500ms;  // thread wake-ups under TSan on a loaded machine

enum class fault { none, refused, unavailable_retry_after, bad_request, too_large, reset, stall };

std::string_view name(fault f) {
  switch (f) {
    case fault::none:
      return "none";
    case fault::refused:
      return "refused";
    case fault::unavailable_retry_after:
      return "unavailable_retry_after";
    case fault::bad_request:
      return "bad_request";
    case fault::too_large:
      return "too_large";
    case fault::reset:
      return "reset";
    case fault::stall:
      return "stall";
  }
  return "?";
}

http_reply reply_for(fault f) {
  switch (f) {
    case fault::unavailable_retry_after:
      return {http_reply::action::respond, 503, "Retry-After: 1\r\n", ""};
    case fault::bad_request:
      return {http_reply::action::respond, 400, "", "bad payload"};
    case fault::too_large:
      return {http_reply::action::respond, 413, "", ""};
    case fault::reset:
      return {http_reply::action::reset, 0, "", ""};
    case fault::stall:
      return {http_reply::action::stall, 0, "", ""};
    default:
      return {};
  }
}

// A server scripted for `f` (or, for `refused`, an address where nothing listens), and
// the exporter options that reach it.
struct network {
  explicit network(fault f, std::string_view path)
      : server(f == fault::refused ? nullptr
                                   : std::make_unique<loopback_http_server>(
                                         [f](const http_request&) { return reply_for(f); })) {
    options.endpoint =
        server ? server->url(path)
               : "http://127.0.0.1:" + std::to_string(loopback_http_server::closed_port()) +
                     std::string(path);
    options.timeout = export_timeout;
    options.initial_backoff = 20ms;
    options.max_backoff = 50ms;
    options.max_attempts = 3;
  }
  std::unique_ptr<loopback_http_server> server;
  otlp_exporter_options options;
};

// Silences (and counts) the SDK's diagnostics for a test: the faults make plenty.
class quiet_diagnostics {
 public:
  quiet_diagnostics() {
    set_diagnostic_handler([](diag_level, std::string_view, std::string_view) {});
  }
  ~quiet_diagnostics() { set_diagnostic_handler(nullptr); }
};

// Polls `done` for up to 15 s (an export thread left running by a timed-out shutdown
// finishes its last batches within a few export timeouts).
template <class F>
bool eventually(F done) {
  for (auto until = clock_type::now() + 15s; clock_type::now() < until;
       std::this_thread::sleep_for(5ms))
    if (done()) return true;
  return done();
}

void expect_shutdown_in_time(clock_type::duration took) {
  EXPECT_LE(took, shutdown_timeout + shutdown_slack)
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
}

class OtlpFaultTraces : public ::testing::TestWithParam<fault> {};

TEST_P(OtlpFaultTraces, AppNeverBlocksAndEverySpanIsAccountedFor) {
  quiet_diagnostics quiet;
  network net(GetParam(), "/v1/traces");
  auto exporter = make_otlp_span_exporter(net.options);
  auto stats = otlp_stats(*exporter);
  trace::batch_span_processor_options bo;
  bo.max_queue_size = 256;
  bo.max_export_batch_size = 64;
  bo.schedule_delay = 10ms;
  bo.export_timeout = 2s;  // the exporter's own timeout (300 ms) is the tighter bound
  auto processor = std::make_unique<trace::batch_span_processor>(std::move(exporter), bo);
  trace::batch_span_processor* bsp = processor.get();
  trace::tracer_provider_options po;
  po.processors.push_back(std::move(processor));
  trace::tracer_provider provider(std::move(po));
  auto tracer = provider.get_tracer("fault-test");

  constexpr int produced = 3000;
  clock_type::duration slowest{};
  for (int i = 0; i < produced; ++i) {
    const auto t0 = clock_type::now();
    {
      auto s = tracer.start_span("tool call");
      s.set_attribute("i", int64_t{i});
    }  // ends here
    slowest = std::max(slowest, clock_type::now() - t0);
    if (i % 500 == 0) std::this_thread::sleep_for(20ms);  // let batches go out meanwhile
  }
  EXPECT_LT(slowest, app_bound)
      << std::chrono::duration_cast<std::chrono::microseconds>(slowest).count() << " us";

  const auto t0 = clock_type::now();
  provider.shutdown(shutdown_timeout);
  expect_shutdown_in_time(clock_type::now() - t0);

  auto total = [&] {
    auto c = bsp->stats();
    return c.exported + c.export_failed + c.dropped_queue_full + c.dropped_after_shutdown;
  };
  ASSERT_TRUE(eventually([&] { return total() == produced && bsp->stats().queue_depth == 0; }))
      << total();
  // The exporter's view agrees with the processor's, item for item, once its last export
  // has returned.
  ASSERT_TRUE(eventually([&] {
    auto e = stats->stats();
    return e.exported_items + e.rejected_items + e.failed_items() ==
           bsp->stats().exported + bsp->stats().export_failed;
  }));
  const auto c = bsp->stats();
  const auto e = stats->stats();
  EXPECT_EQ(e.exported_items, c.exported);
  switch (GetParam()) {
    case fault::none:
      EXPECT_GT(c.exported, 0u);
      EXPECT_EQ(e.failed_items(), 0u);
      break;
    case fault::refused:
    case fault::reset:
      EXPECT_EQ(c.exported, 0u);
      EXPECT_EQ(e.failed_unavailable, c.export_failed);
      EXPECT_GT(e.retries, 0u);  // retryable: each batch was tried max_attempts times
      break;
    case fault::unavailable_retry_after:
      // Retry-After: 1 s is longer than the 300 ms export timeout: give up at once.
      EXPECT_EQ(e.failed_unavailable, c.export_failed);
      EXPECT_EQ(e.retries, 0u);
      break;
    case fault::bad_request:
    case fault::too_large:
      EXPECT_EQ(e.failed_non_retryable, c.export_failed);
      EXPECT_EQ(e.retries, 0u);
      break;
    case fault::stall:
      EXPECT_EQ(e.failed_timeout, c.export_failed);
      EXPECT_GT(c.dropped_queue_full, 0u);  // the queue filled while exports hung
      break;
  }
  if (GetParam() != fault::none) {
    EXPECT_GT(c.export_failed, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, OtlpFaultTraces,
                         ::testing::Values(fault::none, fault::refused,
                                           fault::unavailable_retry_after, fault::bad_request,
                                           fault::too_large, fault::reset, fault::stall),
                         [](const auto& info) { return std::string(name(info.param)); });

class OtlpFaultLogs : public ::testing::TestWithParam<fault> {};

TEST_P(OtlpFaultLogs, AppNeverBlocksAndEveryRecordIsAccountedFor) {
  quiet_diagnostics quiet;
  network net(GetParam(), "/v1/logs");
  auto exporter = make_otlp_log_exporter(net.options);
  auto stats = otlp_stats(*exporter);
  logs::batch_log_record_processor_options bo;
  bo.max_queue_size = 256;
  bo.max_export_batch_size = 64;
  bo.schedule_delay = 10ms;
  bo.export_timeout = 2s;
  auto processor = std::make_unique<logs::batch_log_record_processor>(std::move(exporter), bo);
  logs::batch_log_record_processor* blrp = processor.get();
  logs::logger_provider_options po;
  po.processors.push_back(std::move(processor));
  logs::logger_provider provider(std::move(po));
  auto logger = provider.get_logger("fault-test");

  constexpr int produced = 3000;
  clock_type::duration slowest{};
  for (int i = 0; i < produced; ++i) {
    const auto t0 = clock_type::now();
    logger.emit(logs::severity::warn, "tool timed out", {{"i", int64_t{i}}});
    slowest = std::max(slowest, clock_type::now() - t0);
    if (i % 500 == 0) std::this_thread::sleep_for(20ms);
  }
  EXPECT_LT(slowest, app_bound);

  const auto t0 = clock_type::now();
  provider.shutdown(shutdown_timeout);
  expect_shutdown_in_time(clock_type::now() - t0);

  ASSERT_TRUE(eventually([&] {
    auto c = blrp->stats();
    return c.exported + c.export_failed + c.dropped_queue_full + c.dropped_after_shutdown ==
               produced &&
           c.queue_depth == 0;
  }));
  ASSERT_TRUE(eventually([&] {
    auto e = stats->stats();
    return e.exported_items + e.rejected_items + e.failed_items() ==
           blrp->stats().exported + blrp->stats().export_failed;
  }));
  const auto c = blrp->stats();
  EXPECT_EQ(stats->stats().exported_items, c.exported);
  if (GetParam() == fault::none) {
    EXPECT_GT(c.exported, 0u);
    EXPECT_EQ(c.export_failed, 0u);
  } else {
    EXPECT_EQ(c.exported, 0u);
    EXPECT_GT(c.export_failed, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, OtlpFaultLogs,
                         ::testing::Values(fault::none, fault::refused, fault::too_large,
                                           fault::reset, fault::stall),
                         [](const auto& info) { return std::string(name(info.param)); });

class OtlpFaultMetrics : public ::testing::TestWithParam<fault> {};

TEST_P(OtlpFaultMetrics, AppNeverBlocksAndShutdownMeetsItsDeadline) {
  quiet_diagnostics quiet;
  network net(GetParam(), "/v1/metrics");
  auto exporter = make_otlp_metric_exporter(net.options);
  auto stats = otlp_stats(*exporter);
  auto reader = std::make_shared<metrics::periodic_metric_reader>(
      std::move(exporter), metrics::periodic_metric_reader_options{20ms, 2s});
  metrics::meter_provider_options po;
  po.readers.push_back(reader);
  metrics::meter_provider provider(std::move(po));
  auto counter = provider.get_meter("fault-test").create_counter<int64_t>("tool.calls");

  clock_type::duration slowest{};
  const auto until = clock_type::now() + 400ms;  // long enough for several collections
  for (int i = 0; clock_type::now() < until; ++i) {
    const auto t0 = clock_type::now();
    counter.add(1, {{"tool", i % 2 ? "grep" : "search"}});
    slowest = std::max(slowest, clock_type::now() - t0);
    if (i % 1000 == 0) std::this_thread::sleep_for(1ms);
  }
  EXPECT_LT(slowest, app_bound);

  const auto t0 = clock_type::now();
  provider.shutdown(shutdown_timeout);
  expect_shutdown_in_time(clock_type::now() - t0);

  // Each collection holds 2 data points (plus the SDK's own metrics, when they have
  // points); every point handed to the exporter is exported or failed, never lost.
  ASSERT_TRUE(eventually([&] {
    auto r = reader->export_stats();
    auto e = stats->stats();
    return r.exports_ok + r.exports_failed > 0 && (e.exported_items + e.failed_items() > 0);
  }));
  const auto e = stats->stats();
  const auto r = reader->export_stats();
  if (GetParam() == fault::none) {
    EXPECT_GT(e.exported_items, 0u);
    EXPECT_EQ(e.failed_items(), 0u);
    EXPECT_EQ(r.exports_failed, 0u);
  } else {
    EXPECT_EQ(e.exported_items, 0u);
    EXPECT_GT(e.failed_items(), 0u);
    EXPECT_GT(r.exports_failed, 0u);
    EXPECT_EQ(r.exports_ok, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, OtlpFaultMetrics,
                         ::testing::Values(fault::none, fault::refused, fault::stall),
                         [](const auto& info) { return std::string(name(info.param)); });

// ---- one exporter, one export: the retry rules in detail --------------------------------

std::vector<trace::span_ptr> spans(int n) {
  static const agtel::resource resource{{{"service.name", "fault-test"}}, ""};
  static const instrumentation_scope scope{"fault-test", "", "", {}};
  std::vector<trace::span_ptr> out;
  for (int i = 0; i < n; ++i) {
    auto s = trace::span_ptr::make();
    s->name = "s" + std::to_string(i);
    s->resource = &resource;
    s->scope = &scope;
    out.push_back(std::move(s));
  }
  return out;
}

TEST(OtlpFaultRetry, RetryAfterIsHonouredThenTheBatchIsDelivered) {
  quiet_diagnostics quiet;
  std::mutex m;
  std::vector<clock_type::time_point> arrivals;
  loopback_http_server server([&](const http_request&) {
    std::lock_guard lock(m);
    arrivals.push_back(clock_type::now());
    return arrivals.size() == 1
               ? http_reply{http_reply::action::respond, 503, "Retry-After: 1\r\n", ""}
               : http_reply{};
  });
  otlp_exporter_options o;
  o.endpoint = server.url("/v1/traces");
  o.timeout = 5s;
  o.initial_backoff = 10ms;  // far shorter than Retry-After: the server's value must win
  auto exporter = make_otlp_span_exporter(o);
  EXPECT_EQ(exporter->export_spans(spans(3), steady_time::max()), export_result::success);
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(arrivals[1] - arrivals[0], 1s);
  const auto st = otlp_stats(*exporter)->stats();
  EXPECT_EQ(st.exported_items, 3u);
  EXPECT_EQ(st.requests, 2u);
  EXPECT_EQ(st.retries, 1u);
}

TEST(OtlpFaultRetry, RetryableAnswersAreRetriedUpToMaxAttempts) {
  quiet_diagnostics quiet;
  for (int status : {429, 502, 503, 504}) {
    loopback_http_server server([status](const http_request&) {
      return http_reply{http_reply::action::respond, status, "", ""};
    });
    otlp_exporter_options o;
    o.endpoint = server.url("/v1/traces");
    o.initial_backoff = 5ms;
    o.max_attempts = 4;
    auto exporter = make_otlp_span_exporter(o);
    EXPECT_EQ(exporter->export_spans(spans(2), steady_time::max()), export_result::failure);
    EXPECT_EQ(server.requests(), 4u) << status;
    EXPECT_EQ(otlp_stats(*exporter)->stats().failed_unavailable, 2u) << status;
  }
}

TEST(OtlpFaultRetry, OtherAnswersAreNeverRetried) {
  quiet_diagnostics quiet;
  for (int status : {400, 401, 403, 404, 413, 500, 501}) {
    loopback_http_server server([status](const http_request&) {
      return http_reply{http_reply::action::respond, status, "Retry-After: 0\r\n", ""};
    });
    otlp_exporter_options o;
    o.endpoint = server.url("/v1/traces");
    o.initial_backoff = 5ms;
    auto exporter = make_otlp_span_exporter(o);
    EXPECT_EQ(exporter->export_spans(spans(2), steady_time::max()), export_result::failure);
    EXPECT_EQ(server.requests(), 1u) << status;
    EXPECT_EQ(otlp_stats(*exporter)->stats().failed_non_retryable, 2u) << status;
  }
}

TEST(OtlpFaultRetry, AResetMidBodyIsRetriedOnANewConnection) {
  quiet_diagnostics quiet;
  std::atomic<int> seen{0};
  loopback_http_server server([&](const http_request&) {
    return ++seen == 1 ? http_reply{http_reply::action::reset, 0, "", ""} : http_reply{};
  });
  otlp_exporter_options o;
  o.endpoint = server.url("/v1/traces");
  o.initial_backoff = 5ms;
  auto exporter = make_otlp_span_exporter(o);
  // A large body, so that the reset lands while it is still being sent.
  EXPECT_EQ(exporter->export_spans(spans(20000), steady_time::max()), export_result::success);
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_EQ(otlp_stats(*exporter)->stats().retries, 1u);
  EXPECT_EQ(otlp_stats(*exporter)->stats().exported_items, 20000u);
}

TEST(OtlpFaultRetry, AStalledServerCostsTheTimeoutAndNoMore) {
  quiet_diagnostics quiet;
  loopback_http_server server([](const http_request&) {
    return http_reply{http_reply::action::stall, 0, "", ""};
  });
  otlp_exporter_options o;
  o.endpoint = server.url("/v1/traces");
  o.timeout = 300ms;
  auto exporter = make_otlp_span_exporter(o);
  auto t0 = clock_type::now();
  EXPECT_EQ(exporter->export_spans(spans(2), steady_time::max()), export_result::timeout);
  auto took = clock_type::now() - t0;
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 300ms + shutdown_slack);
  // The caller's deadline wins when it is earlier than the timeout.
  t0 = clock_type::now();
  EXPECT_EQ(exporter->export_spans(spans(2), clock_type::now() + 50ms), export_result::timeout);
  EXPECT_LT(clock_type::now() - t0, 50ms + shutdown_slack);
  EXPECT_EQ(otlp_stats(*exporter)->stats().failed_timeout, 4u);
}

TEST(OtlpFaultRetry, ShutdownEndsABackoffWait) {
  quiet_diagnostics quiet;
  loopback_http_server server([](const http_request&) {
    return http_reply{http_reply::action::respond, 503, "Retry-After: 3\r\n", ""};
  });
  otlp_exporter_options o;
  o.endpoint = server.url("/v1/traces");
  o.timeout = 10s;
  auto exporter = make_otlp_span_exporter(o);
  std::thread exporting([&] {
    EXPECT_EQ(exporter->export_spans(spans(2), steady_time::max()), export_result::failure);
  });
  ASSERT_TRUE(eventually([&] { return server.requests() == 1; }));
  std::this_thread::sleep_for(50ms);  // inside the 3 s wait now
  const auto t0 = clock_type::now();
  EXPECT_EQ(exporter->shutdown(steady_time::max()), sdk_result::ok);
  exporting.join();
  EXPECT_LT(clock_type::now() - t0, 1s);
  EXPECT_EQ(server.requests(), 1u);
  EXPECT_EQ(otlp_stats(*exporter)->stats().failed_shutdown, 2u);
}

}  // namespace
}  // namespace agtel::exporter
