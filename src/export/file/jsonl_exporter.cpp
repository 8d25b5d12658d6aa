// The three JSON-lines exporters: encode a batch as one OTLP/JSON request (the codec
// shared with the OTLP/HTTP exporter and the receiver), add the newline, append.
#include "agtel/export/jsonl_exporter.hpp"

#include "export/file/jsonl_file.hpp"
#include "otlp/codec.hpp"

namespace agtel::exporter {
namespace {

// Encodes with `encode` into `line` and appends it; an empty batch writes nothing.
template <class Encode>
export_result write_line(detail::jsonl_file& file, std::string& line, Encode encode) noexcept {
  try {
    encode(line);
    line += '\n';
  } catch (...) {  // out of memory while encoding
    return export_result::failure;
  }
  return file.append(line) ? export_result::success : export_result::failure;
}

sdk_result flush(detail::jsonl_file& file) noexcept {
  return file.sync() ? sdk_result::ok : sdk_result::failure;
}

}  // namespace

// ---- spans ------------------------------------------------------------------------------

jsonl_span_exporter::jsonl_span_exporter(jsonl_exporter_options options)
    : file_(std::make_unique<detail::jsonl_file>(std::move(options), "traces")) {}
jsonl_span_exporter::~jsonl_span_exporter() = default;

export_result jsonl_span_exporter::export_spans(std::span<const trace::span_ptr> batch,
                                                steady_time) noexcept {
  if (batch.empty()) return export_result::success;
  return write_line(*file_, line_, [&](std::string& out) { otlp::encode_traces_json(batch, out); });
}
sdk_result jsonl_span_exporter::force_flush(steady_time) noexcept { return flush(*file_); }
sdk_result jsonl_span_exporter::shutdown(steady_time) noexcept { return file_->shutdown(); }
jsonl_exporter_stats jsonl_span_exporter::stats() const noexcept { return file_->stats(); }
std::string jsonl_span_exporter::current_file() const { return file_->current_path(); }

// ---- metrics ----------------------------------------------------------------------------

jsonl_metric_exporter::jsonl_metric_exporter(jsonl_exporter_options options,
                                             metrics::temporality_selector temporality)
    : file_(std::make_unique<detail::jsonl_file>(std::move(options), "metrics")),
      temporality_(temporality ? temporality : metrics::cumulative_temporality) {}
jsonl_metric_exporter::~jsonl_metric_exporter() = default;

export_result jsonl_metric_exporter::export_metrics(const metrics::resource_metrics& batch,
                                                    steady_time) noexcept {
  if (batch.scopes.empty()) return export_result::success;
  return write_line(*file_, line_, [&](std::string& out) { otlp::encode_metrics_json(batch, out); });
}
metrics::aggregation_temporality jsonl_metric_exporter::preferred_temporality(
    metrics::instrument_kind kind) const noexcept {
  return temporality_(kind);
}
sdk_result jsonl_metric_exporter::force_flush(steady_time) noexcept { return flush(*file_); }
sdk_result jsonl_metric_exporter::shutdown(steady_time) noexcept { return file_->shutdown(); }
jsonl_exporter_stats jsonl_metric_exporter::stats() const noexcept { return file_->stats(); }
std::string jsonl_metric_exporter::current_file() const { return file_->current_path(); }

// ---- logs -------------------------------------------------------------------------------

jsonl_log_exporter::jsonl_log_exporter(jsonl_exporter_options options)
    : file_(std::make_unique<detail::jsonl_file>(std::move(options), "logs")) {}
jsonl_log_exporter::~jsonl_log_exporter() = default;

export_result jsonl_log_exporter::export_logs(std::span<const logs::log_record_ptr> batch,
                                              steady_time) noexcept {
  if (batch.empty()) return export_result::success;
  return write_line(*file_, line_, [&](std::string& out) { otlp::encode_logs_json(batch, out); });
}
sdk_result jsonl_log_exporter::force_flush(steady_time) noexcept { return flush(*file_); }
sdk_result jsonl_log_exporter::shutdown(steady_time) noexcept { return file_->shutdown(); }
jsonl_exporter_stats jsonl_log_exporter::stats() const noexcept { return file_->stats(); }
std::string jsonl_log_exporter::current_file() const { return file_->current_path(); }

}  // namespace agtel::exporter
