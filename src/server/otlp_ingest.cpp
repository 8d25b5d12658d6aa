#include "server/otlp_ingest.hpp"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <variant>

#include "sdk/common/detail/ascii.hpp"

namespace agtel::server {
namespace {

using clock = std::chrono::steady_clock;

// The answer of one request, waiting for the writer's COMMIT (done() runs on the writer
// thread; the receiver's thread waits here with a deadline).
struct commit_wait {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  bool ok = false;
  std::string error;
};

size_t count_summary_points(const otlp::metric_batch& batch) {
  size_t n = 0;
  for (const metrics::resource_metrics& rm : batch.resource_metrics)
    for (const metrics::scope_metrics& sm : rm.scopes)
      for (const metrics::metric_data& m : sm.metrics)
        if (auto* q = std::get_if<metrics::summary_data>(&m.data)) n += q->points.size();
  return n;
}

template <class Batch>
ingest_result store_batch(otlp::signal s, Batch&& batch, size_t items, store::writer& writer,
                          server_metrics& metrics, const ingest_options& options,
                          clock::time_point started_at, otlp::partial_success partial) {
  ingest_result r;
  auto refuse = [&](ingest_outcome outcome, std::string message) {
    metrics.count_items(s, items, items);
    metrics.count_request(s, outcome == ingest_outcome::throttled ? "throttled" : "unavailable");
    r.outcome = outcome;
    r.message = std::move(message);
    return std::move(r);
  };
  if (items > 0) {  // nothing to store: an empty request is a successful one
    auto wait = std::make_shared<commit_wait>();
    const store::submit_result submitted =
        writer.submit(std::forward<Batch>(batch), [wait](bool ok, std::string_view error) {
          std::lock_guard lock(wait->mutex);
          wait->done = true;
          wait->ok = ok;
          wait->error = error;
          wait->cv.notify_all();
        });
    if (submitted == store::submit_result::queue_full)
      return refuse(ingest_outcome::throttled,
                    "the store's write queue is full; retry after " +
                        std::to_string(options.retry_after.count()) + " s");
    if (submitted == store::submit_result::closed)
      return refuse(ingest_outcome::unavailable, "the server is shutting down; retry later");
    std::unique_lock lock(wait->mutex);
    if (!wait->cv.wait_for(lock, options.commit_timeout, [&] { return wait->done; })) {
      // The batch may still be committed later; a retry then stores it twice, which is the
      // lesser harm than acknowledging what is not (yet) durable.
      return refuse(ingest_outcome::unavailable,
                    "the store did not commit the batch within " +
                        std::to_string(options.commit_timeout.count()) + " ms; retry later");
    }
    if (!wait->ok)
      return refuse(ingest_outcome::unavailable,
                    "the store could not write the batch: " + wait->error);
    lock.unlock();
    metrics.count_items(s, items, 0);
  }
  metrics.count_request(s, "accepted");
  metrics.record_duration(s, clock::now() - started_at);
  r.partial = std::move(partial);
  return r;
}

// Compares the whole of both strings whatever differs first, so that the time taken does
// not tell an attacker how much of a guessed token was right.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  const size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0u : 1u;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

}  // namespace

bool bearer_authorized(std::string_view value, std::string_view token) noexcept {
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() < scheme.size() ||
      !agtel::detail::iequals(agtel::detail::trim(value.substr(0, scheme.size())), "bearer"))
    return false;
  return constant_time_equal(value.substr(scheme.size()), token);
}

ingest_result ingest_export(otlp::signal s, body_encoding e, std::string_view body,
                            store::writer& writer, server_metrics& metrics,
                            const ingest_options& options, clock::time_point started_at) {
  const bool pb = e == body_encoding::protobuf;
  auto decode_failed = [&](const std::string& message) {
    metrics.count_request(s, "bad_request");
    ingest_result r;
    r.outcome = ingest_outcome::bad_request;
    r.message = std::string("invalid ") + (pb ? "OTLP/protobuf" : "OTLP/JSON") +
                " export request: " + message;
    return r;
  };
  switch (s) {
    case otlp::signal::traces: {
      otlp::trace_batch batch;
      std::string err =
          pb ? otlp::decode_traces_protobuf(body, batch) : otlp::decode_traces_json(body, batch);
      if (!err.empty()) return decode_failed(err);
      const size_t items = batch.spans.size();
      return store_batch(s, std::move(batch), items, writer, metrics, options, started_at, {});
    }
    case otlp::signal::logs: {
      otlp::log_batch batch;
      std::string err =
          pb ? otlp::decode_logs_protobuf(body, batch) : otlp::decode_logs_json(body, batch);
      if (!err.empty()) return decode_failed(err);
      const size_t items = batch.records.size();
      return store_batch(s, std::move(batch), items, writer, metrics, options, started_at, {});
    }
    case otlp::signal::metrics: {
      otlp::metric_batch batch;
      std::string err =
          pb ? otlp::decode_metrics_protobuf(body, batch) : otlp::decode_metrics_json(body, batch);
      if (!err.empty()) return decode_failed(err);
      // Summaries (a legacy Prometheus type no OpenTelemetry SDK produces) are not stored;
      // the answer says so, and everything else is.
      const size_t points = store::count_points(batch);
      const size_t summaries = count_summary_points(batch);
      otlp::partial_success partial;
      if (summaries > 0) {
        partial.rejected = static_cast<int64_t>(summaries);
        partial.error_message =
            std::to_string(summaries) +
            " summary data point(s) not stored: agtel stores gauges, sums and histograms";
        metrics.count_items(s, summaries, summaries);
      }
      return store_batch(s, std::move(batch), points - summaries, writer, metrics, options,
                         started_at, std::move(partial));
    }
  }
  return decode_failed("unknown signal");
}

}  // namespace agtel::server
