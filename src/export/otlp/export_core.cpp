#include "export/otlp/export_core.hpp"

#include <algorithm>
#include <array>

namespace agtel::exporter::otlp_detail {

namespace {

std::string_view protocol_word(otlp_protocol p) noexcept {
  switch (p) {
    case otlp_protocol::http_protobuf:
      return "otlp_http";
    case otlp_protocol::http_json:
      return "otlp_http_json";
    case otlp_protocol::grpc:
      return "otlp_grpc";
  }
  return "otlp";
}

std::string_view signal_word(otlp::signal s) noexcept {
  switch (s) {
    case otlp::signal::traces:
      return "span";
    case otlp::signal::metrics:
      return "metric";
    case otlp::signal::logs:
      return "log";
  }
  return "";
}

// otel.component.name numbers instances per component type, as the conventions suggest.
uint64_t next_instance(otlp_protocol p, otlp::signal s) noexcept {
  static std::array<std::atomic<uint64_t>, 9> counters{};
  return counters[static_cast<size_t>(p) * 3 + static_cast<size_t>(s)].fetch_add(1);
}

}  // namespace

stats_block::stats_block(otlp_protocol protocol, otlp::signal signal)
    : type_(std::string(protocol_word(protocol)) + "_" + std::string(signal_word(signal)) +
            "_exporter"),
      name_(type_ + "/" + std::to_string(next_instance(protocol, signal))),
      kind_(signal == otlp::signal::metrics ? "metric_data_point" : signal_word(signal)) {}

otlp_exporter_stats stats_block::stats() const noexcept {
  constexpr auto r = std::memory_order_relaxed;
  otlp_exporter_stats s;
  s.exported_items = exported.load(r);
  s.rejected_items = rejected.load(r);
  s.failed_timeout = failed_timeout.load(r);
  s.failed_unavailable = failed_unavailable.load(r);
  s.failed_non_retryable = failed_non_retryable.load(r);
  s.failed_shutdown = failed_shutdown.load(r);
  s.requests = requests.load(r);
  s.retries = retries.load(r);
  s.bytes_sent = bytes_sent.load(r);
  return s;
}

std::string default_endpoint(otlp_protocol protocol, otlp::signal signal) {
  if (protocol == otlp_protocol::grpc) return "http://localhost:4317";
  switch (signal) {
    case otlp::signal::traces:
      return "http://localhost:4318/v1/traces";
    case otlp::signal::metrics:
      return "http://localhost:4318/v1/metrics";
    case otlp::signal::logs:
      return "http://localhost:4318/v1/logs";
  }
  return {};
}

export_core::export_core(const otlp_exporter_options& options, otlp::signal signal)
    : options_(options),
      policy_{options.initial_backoff, options.max_backoff, options.backoff_multiplier,
              std::max(1, options.max_attempts)},
      stats_(std::make_shared<stats_block>(options.protocol, signal)),
      jitter_(std::random_device{}()) {
  if (options_.endpoint.empty()) options_.endpoint = default_endpoint(options_.protocol, signal);
  transport_ = options_.protocol == otlp_protocol::grpc ? make_grpc_transport(options_, signal)
                                                        : make_http_transport(options_, signal);
}

void export_core::report_message(diag_level level, std::string_view message) noexcept {
  // The component name keys the diagnostics' rate limit, so one failing exporter cannot
  // silence another.
  agtel::detail::diag(level, stats_->component_name(), message);
}

bool export_core::refuse_after_shutdown(uint64_t items) noexcept {
  if (!shut_down_.load(std::memory_order_acquire)) return false;
  stats_->failed_shutdown.fetch_add(items, std::memory_order_relaxed);
  return true;
}

export_result export_core::encode_failed(uint64_t items) noexcept {
  stats_->failed_non_retryable.fetch_add(items, std::memory_order_relaxed);
  report(diag_level::error, "out of memory while encoding a batch; it is dropped");
  return export_result::failure;
}

bool export_core::wait_before_retry(steady_time until) noexcept {
  std::unique_lock lock(mutex_);
  return !wake_.wait_until(lock, until, [this] { return shut_down_.load(); });
}

export_result export_core::send(uint64_t items, steady_time deadline) noexcept {
  constexpr auto r = std::memory_order_relaxed;
  if (!transport_) {  // the options were reported when the exporter was made
    stats_->failed_non_retryable.fetch_add(items, r);
    return export_result::failure;
  }
  deadline = std::min(deadline, std::chrono::steady_clock::now() + options_.timeout);
  for (int attempt = 1;; ++attempt) {
    stats_->requests.fetch_add(1, r);
    if (attempt > 1) stats_->retries.fetch_add(1, r);
    send_outcome outcome = transport_->send(body_, deadline);
    stats_->bytes_sent.fetch_add(outcome.bytes_sent, r);
    switch (outcome.result) {
      case send_outcome::kind::success:
        handle_response(outcome, items);
        return export_result::success;
      case send_outcome::kind::timeout:
        stats_->failed_timeout.fetch_add(items, r);
        report(diag_level::warning, "export timed out (", outcome.error, "); ", items,
               " items dropped");
        return export_result::timeout;
      case send_outcome::kind::permanent:
        stats_->failed_non_retryable.fetch_add(items, r);
        report(diag_level::warning, "export failed, not retryable (", outcome.error, "); ", items,
               " items dropped");
        return export_result::failure;
      case send_outcome::kind::retryable:
        break;
    }
    const double random01 = std::uniform_real_distribution<double>(0.0, 1.0)(jitter_);
    const auto delay = next_retry_delay(policy_, attempt, outcome.retry_after,
                                        deadline - std::chrono::steady_clock::now(), random01);
    if (!delay) {
      stats_->failed_unavailable.fetch_add(items, r);
      report(diag_level::warning, "export failed after ", static_cast<uint64_t>(attempt),
             " attempt(s) (", outcome.error, "); ", items, " items dropped");
      return export_result::failure;
    }
    if (!wait_before_retry(std::chrono::steady_clock::now() + *delay)) {
      stats_->failed_shutdown.fetch_add(items, r);
      return export_result::failure;
    }
  }
}

void export_core::handle_response(const send_outcome& outcome, uint64_t items) noexcept {
  constexpr auto r = std::memory_order_relaxed;
  otlp::partial_success partial;
  const bool parsed = options_.protocol == otlp_protocol::http_json
                          ? otlp::decode_response_json(outcome.response, partial)
                          : otlp::decode_response_protobuf(outcome.response, partial);
  // An unreadable 2xx body still means "accepted" (see codec.hpp).
  const uint64_t rejected =
      parsed
          ? std::min<uint64_t>(items, static_cast<uint64_t>(std::max<int64_t>(0, partial.rejected)))
          : 0;
  stats_->rejected.fetch_add(rejected, r);
  stats_->exported.fetch_add(items - rejected, r);
  if (!parsed || (rejected == 0 && partial.error_message.empty()) || partial_success_reported_)
    return;
  // Once per exporter: a server that rejects part of every batch would otherwise fill the
  // log; the stats keep counting.
  partial_success_reported_ = true;
  report(diag_level::warning, "the server rejected ", rejected, " of ", items, " items: \"",
         std::string_view(partial.error_message).substr(0, 300),
         "\" (reported once; later rejections are only counted in the exporter's stats)");
}

sdk_result export_core::shutdown() noexcept {
  if (shut_down_.exchange(true)) return sdk_result::already_shutdown;
  std::lock_guard lock(mutex_);
  wake_.notify_all();
  return sdk_result::ok;
}

}  // namespace agtel::exporter::otlp_detail
