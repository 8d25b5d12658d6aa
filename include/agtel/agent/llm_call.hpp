// An LLM call (chat, completion, embeddings), streaming or not.
//
//   agtel::agent::llm_call call("gpt-4o", {.provider = "openai", .max_tokens = 1024});
//   for (auto& chunk : stream) {
//     call.on_chunk();                                   // time to first chunk, per chunk
//     if (chunk.usage) call.set_usage({.input_tokens = chunk.usage->prompt,
//                                      .output_tokens = chunk.usage->completion});
//   }
//   call.set_response("gpt-4o-2024-08-06", {"stop"});
//
// Emits the span `{operation} {model}`, e.g. `chat gpt-4o` (CLIENT; gen_ai.operation.name,
// gen_ai.provider.name, gen_ai.request.model, .temperature, .max_tokens,
// gen_ai.response.model, .finish_reasons, gen_ai.usage.input_tokens, .output_tokens,
// .cache_read.input_tokens, .cache_creation.input_tokens; a gen_ai.first_chunk event;
// opt-in gen_ai.input.messages / gen_ai.output.messages) and the metrics
//   gen_ai.client.operation.duration       {operation, provider, request model, error.type}
//   gen_ai.client.token.usage              {..., gen_ai.token.type, gen_ai.agent.name}
//   gen_ai.client.operation.time_to_first_chunk / time_per_output_chunk (streaming only)
//   llm.cost {provider, model} from the price table, or llm.cost.unpriced_calls {model}
// Usage also adds to the innermost agent run on this thread.
#pragma once

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "agtel/agent/operation.hpp"
#include "agtel/agent/settings.hpp"

namespace agtel::agent {

struct llm_options {
  std::string_view operation = "chat";  // gen_ai.operation.name
  std::string_view provider{};          // gen_ai.provider.name: openai, anthropic, ...
  double temperature = -1;              // < 0: not set
  int64_t max_tokens = -1;              // < 0: not set
  std::string_view agent_name{};        // default: the innermost agent run on this thread
  const agtel::context* parent = nullptr;
};

class llm_call final : public operation {
 public:
  explicit llm_call(std::string_view request_model, const llm_options& options = {}) noexcept;
  ~llm_call();

  // Streaming: call as each chunk arrives. The first records the time to first chunk (a
  // metric and a span event), each later one the time since the previous chunk.
  void on_chunk() noexcept;
  // Usage as reported (streams report it in the final chunk); counts < 0 mean "not
  // reported". A later call replaces an earlier one.
  void set_usage(const token_usage& usage) noexcept;
  // The model that answered and why it stopped (up to 4 reasons are kept).
  void set_response(std::string_view response_model,
                    std::initializer_list<std::string_view> finish_reasons = {}) noexcept;
  // Opt-in content (see settings.hpp): ignored unless capture is on; redacted and capped.
  void set_input_messages(std::string_view messages) noexcept;
  void set_output_messages(std::string_view messages) noexcept;

 private:
  std::string model_, operation_, provider_, agent_name_, response_model_;
  std::array<std::string, 4> finish_reasons_;
  size_t finish_reason_count_ = 0;
  token_usage usage_{};
  timestamp_ns last_chunk_ = 0;
};

// Runs `fn` inside an LLM call; `fn` takes the llm_call& to report usage and response.
template <class F>
decltype(auto) run_llm(std::string_view request_model, const llm_options& options, F&& fn) {
  llm_call scope(request_model, options);
  return detail::run_in(scope, std::forward<F>(fn));
}

}  // namespace agtel::agent
