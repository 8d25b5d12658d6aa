// Logging bridge: an application that already has its own logging function keeps calling
// it, and every call also becomes an OpenTelemetry log record that carries the current
// span's trace id, so a log line leads straight to the trace of the agent step that wrote it.
//
// The records go to an in-memory store here, printed at the end; in production the
// provider would get a batch processor with the OTLP or JSON-lines exporter instead.
#include <cstdio>
#include <memory>
#include <string>

#include "agtel/export/in_memory_log_exporter.hpp"
#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/bridge.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace app {

// The application's existing logging, unchanged in shape: a level and a message. Its
// levels count like syslog's (0 most severe), so the bridge uses the syslog scale.
enum class level { error = 3, warning = 4, info = 6, debug = 7 };

void log(level lvl, const std::string& message) {
  std::fprintf(stderr, "[app %d] %s\n", static_cast<int>(lvl),
               message.c_str());                                      // what it did before
  agtel::logs::bridge_log(agtel::logs::syslog_levels, lvl, message);  // the one added line
}

}  // namespace app

int main() {
  auto store = std::make_shared<agtel::exporter::in_memory_log_store>();
  agtel::logs::logger_provider_options options;
  options.minimum_severity = agtel::logs::severity::info;  // debug lines stay out of telemetry
  options.processors.push_back(std::make_unique<agtel::logs::batch_log_record_processor>(
      std::make_unique<agtel::exporter::in_memory_log_exporter>(store)));
  auto provider = std::make_shared<agtel::logs::logger_provider>(std::move(options));
  agtel::logs::set_global_logger_provider(provider);

  agtel::trace::tracer_provider traces;  // spans give the records their trace context
  auto tracer = traces.get_tracer("logging_bridge");

  app::log(app::level::info, "agent starting");
  std::string tool_span_id;
  {
    auto tool = tracer.start_span("execute_tool grep");
    auto active = tool.activate();
    tool_span_id = tool.context().span_id().to_hex();
    app::log(app::level::debug, "grep args: -r TODO");  // below the minimum: not a record
    app::log(app::level::warning, "grep took 2.1 s");
  }
  // A message that arrives with a level name (from a config file, another language, ...).
  agtel::logs::bridge_log("error", "planner gave up", {{"gen_ai.agent.name", "planner"}});

  provider->shutdown();  // flushes the batch processor

  int failures = 0;
  auto records = store->records();
  for (const auto& r : records) {
    const auto* body = std::get_if<std::string>(&r->body);
    std::printf("%-6s %-8s %-18s trace=%s span=%s\n",
                std::string(agtel::logs::short_name(r->severity_number)).c_str(),
                r->severity_text.c_str(), body ? body->c_str() : "?",
                r->trace_id.is_valid() ? r->trace_id.to_hex().c_str() : "-",
                r->span_id.is_valid() ? r->span_id.to_hex().c_str() : "-");
  }
  // The example checks itself (it runs as a test).
  if (records.size() != 3) ++failures;
  for (const auto& r : records) {
    if (r->severity_number == agtel::logs::severity::warn && r->span_id.to_hex() != tool_span_id)
      ++failures;
  }
  if (failures) std::fprintf(stderr, "logging_bridge: %d check(s) failed\n", failures);
  return failures == 0 ? 0 : 1;
}
