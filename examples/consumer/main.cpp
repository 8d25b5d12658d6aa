// The smallest program against an installed agtel: one span, kept in memory, checked.
// Prints "ok" and exits 0 when the span came through with its attribute.
#include <cstdio>
#include <memory>
#include <string>
#include <variant>

#include "agtel/export/in_memory_span_exporter.hpp"
#include "agtel/trace/simple_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "agtel/version.hpp"

int main() {
  auto store = std::make_shared<agtel::exporter::in_memory_span_store>();
  agtel::trace::tracer_provider_options options;
  options.processors.push_back(agtel::trace::make_simple_span_processor(
      std::make_unique<agtel::exporter::in_memory_span_exporter>(store)));
  agtel::trace::tracer_provider provider(std::move(options));

  auto tracer = provider.get_tracer("agtel.consumer", agtel::version);
  {
    auto span = tracer.start_span("execute_tool search");
    span.set_attribute("gen_ai.tool.name", "search");
  }
  if (provider.shutdown() != agtel::sdk_result::ok) {
    std::fprintf(stderr, "shutdown failed\n");
    return 1;
  }

  auto spans = store->spans();
  if (spans.size() != 1) {
    std::fprintf(stderr, "expected 1 exported span, got %zu\n", spans.size());
    return 1;
  }
  const auto* tool = spans[0]->attributes.find("gen_ai.tool.name");
  if (spans[0]->name != "execute_tool search" || tool == nullptr ||
      !std::holds_alternative<std::string>(*tool) || std::get<std::string>(*tool) != "search") {
    std::fprintf(stderr, "the exported span lost its name or attribute\n");
    return 1;
  }
  std::puts("ok");
  return 0;
}
