// Quickstart: trace one agent run (a tool call, an LLM call, and a tool that fails) and
// print the trace as a tree on the console.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "agtel/export/console_span_exporter.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

using namespace std::chrono_literals;
using agtel::trace::span_kind;
using agtel::trace::status_code;

// A tool that fails; its type name shows up as exception.type.
struct tool_timeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

int main() {
  // Set up once at start-up: who we are (the resource) and where finished spans go. The
  // batch processor exports on a background thread, so ending a span never waits on I/O.
  agtel::resource app;
  app.attributes.set("service.name", "quickstart");
  agtel::trace::tracer_provider_options options;
  options.resource = agtel::resource::sdk_default().merge(app);
  options.processors.push_back(std::make_unique<agtel::trace::batch_span_processor>(
      agtel::exporter::make_console_span_exporter(
          {.format = agtel::exporter::console_format::tree})));
  auto provider = std::make_shared<agtel::trace::tracer_provider>(std::move(options));
  agtel::trace::set_global_tracer_provider(provider);

  // Keep the tracer: looking it up per span is wasted work.
  agtel::trace::tracer tracer = agtel::trace::get_tracer("quickstart", "1.0.0");

  {
    // The agent run. activate() makes it the current span on this thread, so every span
    // started inside the block nests under it without passing it around.
    auto agent = tracer.start_span("invoke_agent planner",
                                   {.attributes = {{"gen_ai.operation.name", "invoke_agent"},
                                                   {"gen_ai.agent.name", "planner"}}});
    auto active = agent.activate();

    {
      auto tool = tracer.start_span("execute_tool search",
                                    {.attributes = {{"gen_ai.operation.name", "execute_tool"},
                                                    {"gen_ai.tool.name", "search"}}});
      std::this_thread::sleep_for(3ms);  // the tool's work
    }                                    // the span ends here, when its handle goes out of scope

    {
      // An LLM call is a client span; token counts are known only when it returns.
      auto llm = tracer.start_span(
          "chat gpt-4o",
          {.kind = span_kind::client,
           .attributes = {{"gen_ai.operation.name", "chat"}, {"gen_ai.request.model", "gpt-4o"}}});
      std::this_thread::sleep_for(8ms);
      llm.set_attributes(
          {{"gen_ai.usage.input_tokens", 1250}, {"gen_ai.usage.output_tokens", 310}});
    }

    {
      auto tool = tracer.start_span("execute_tool fetch_url",
                                    {.attributes = {{"gen_ai.tool.name", "fetch_url"}}});
      try {
        throw tool_timeout("no response after 2 s");
      } catch (const std::exception& e) {
        // record_exception adds the "exception" event; the status says the call failed.
        tool.record_exception(e);
        tool.set_status(status_code::error, e.what());
      }
    }
  }

  // Flushes the batch processor: the console exporter prints the tree now.
  provider->shutdown();
  return 0;
}
