// A custom span exporter: one line per agent-layer operation, for a team that wants its own
// log format or sink. An exporter receives finished spans in batches on the processor's
// thread; it must return by the deadline and never throw. Here it prints agent runs, tool
// calls and LLM calls with their duration, status and tokens, and counts what it saw.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "agtel/agent/agent.hpp"
#include "agtel/export/span_exporter.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

class agent_line_exporter final : public agtel::exporter::span_exporter {
 public:
  explicit agent_line_exporter(std::shared_ptr<int> lines) : lines_(std::move(lines)) {}

  agtel::export_result export_spans(std::span<const agtel::trace::span_ptr> batch,
                                    agtel::steady_time) noexcept override {
    for (const auto& s : batch) {
      const auto* op = s->attributes.find("gen_ai.operation.name");
      if (!op) continue;  // not an agent-layer span
      std::string line = s->name + "  " + std::to_string(s->duration_ns() / 1000) + " us";
      if (s->status.code == agtel::trace::status_code::error)
        line += "  FAILED: " + s->status.message;
      if (const auto* in = s->attributes.find("gen_ai.usage.input_tokens"))
        line += "  in=" + std::to_string(std::get<int64_t>(*in));
      if (const auto* out = s->attributes.find("gen_ai.usage.output_tokens"))
        line += " out=" + std::to_string(std::get<int64_t>(*out));
      std::printf("%s\n", line.c_str());
      ++*lines_;
    }
    return agtel::export_result::success;
  }
  agtel::sdk_result shutdown(agtel::steady_time) noexcept override { return agtel::sdk_result::ok; }

 private:
  std::shared_ptr<int> lines_;
};

int main() {
  auto lines = std::make_shared<int>(0);
  agtel::trace::tracer_provider_options options;
  options.processors.push_back(std::make_unique<agtel::trace::batch_span_processor>(
      std::make_unique<agent_line_exporter>(lines)));
  auto provider = std::make_shared<agtel::trace::tracer_provider>(std::move(options));
  agtel::trace::set_global_tracer_provider(provider);

  {
    agtel::agent::agent_run run("coder");
    agtel::agent::run_tool("grep", [] { return 3; });
    try {
      agtel::agent::run_tool("compile", []() -> int { throw std::runtime_error("syntax error"); });
    } catch (const std::exception&) {
    }
    agtel::agent::llm_call call("gpt-4o", {.provider = "openai"});
    call.set_usage({.input_tokens = 812, .output_tokens = 95});
  }
  provider->shutdown();  // flushes: the batch reaches the exporter
  std::printf("%d agent operations exported\n", *lines);
  return *lines == 4 ? 0 : 1;
}
