// observe_otlp_exporter: an OTLP exporter's counts as the SDK self-metrics of the
// OpenTelemetry semantic conventions (otel/sdk-metrics), plus agtel's request counts.
#include <string>

#include "agtel/export/otlp_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/version.hpp"

namespace agtel::exporter {

bool observe_otlp_exporter(metrics::meter_provider& provider,
                           std::shared_ptr<const otlp_exporter_stats_source> source) {
  if (!source) return false;
  metrics::meter meter = provider.get_meter("agtel.sdk", agtel::version);
  if (!meter.enabled()) return false;

  using observer = metrics::observer<int64_t>;
  auto as_i64 = [](uint64_t v) { return static_cast<int64_t>(v); };
  const std::string kind(source->item_kind());
  const std::string unit = kind == "span"                ? "{span}"
                           : kind == "metric_data_point" ? "{data_point}"
                                                         : "{log_record}";
  meter.create_observable_counter<int64_t>(
      "otel.sdk.exporter." + kind + ".exported",
      [source, as_i64](observer& o) {
        const otlp_exporter_stats s = source->stats();
        const std::string_view type = source->component_type(), name = source->component_name();
        o.observe(as_i64(s.exported_items),
                  {{"otel.component.type", type}, {"otel.component.name", name}});
        const std::pair<std::string_view, uint64_t> failures[] = {
            {"rejected", s.rejected_items},
            {"timeout", s.failed_timeout},
            {"unavailable", s.failed_unavailable},
            {"non_retryable", s.failed_non_retryable},
            {"shutdown", s.failed_shutdown}};
        for (const auto& [error_type, n] : failures)
          if (n)
            o.observe(as_i64(n), {{"otel.component.type", type},
                                  {"otel.component.name", name},
                                  {"error.type", error_type}});
      },
      {.description = "The number of items for which the export has finished, either "
                      "successful or failed",
       .unit = unit});

  auto simple = [&](std::string_view name, std::string_view description, std::string_view u,
                    uint64_t otlp_exporter_stats::*field) {
    meter.create_observable_counter<int64_t>(
        name,
        [source, as_i64, field](observer& o) {
          o.observe(as_i64(source->stats().*field),
                    {{"otel.component.type", source->component_type()},
                     {"otel.component.name", source->component_name()}});
        },
        {.description = std::string(description), .unit = std::string(u)});
  };
  simple("agtel.sdk.exporter.requests", "Export requests sent, retries included", "{request}",
         &otlp_exporter_stats::requests);
  simple("agtel.sdk.exporter.retries", "Export requests that were retries", "{request}",
         &otlp_exporter_stats::retries);
  simple("agtel.sdk.exporter.sent", "Request bodies sent, after compression", "By",
         &otlp_exporter_stats::bytes_sent);
  return true;
}

}  // namespace agtel::exporter
