// Process-wide settings of the agent layer: the price table that turns token usage into
// cost, and message content capture.
//
//   agtel::agent::settings s;
//   s.prices["gpt-4o"] = {.input_per_million = 2.50, .output_per_million = 10.00,
//                         .cached_input_per_million = 1.25};
//   s.content.enabled = true;                       // off by default
//   s.content.redact = [](std::string_view key, std::string_view text) {
//     return scrub_emails(text);                    // your own function
//   };
//   agtel::agent::configure(std::move(s));
//
// configure() may run at any time from any thread; operations that start afterwards see
// the new settings (each operation reads them once, with one atomic load). Every
// configuration ever installed stays allocated until exit, so keep the number of calls
// small (start-up, a config reload).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "agtel/common/time.hpp"

namespace agtel::agent {

// USD per million tokens. Input tokens include cached ones (the GenAI conventions count
// cached tokens in gen_ai.usage.input_tokens); those are charged at the cached price when
// one is given, else at the input price.
struct model_price {
  double input_per_million = 0;
  double output_per_million = 0;
  std::optional<double> cached_input_per_million{};
};

// Model name -> price. A call is priced by its response model when the table has it (the
// dated name a provider answers with, "gpt-4o-2024-08-06"), else by its request model.
// A model found under neither is counted in llm.cost.unpriced_calls, never as $0.
using price_table = std::map<std::string, model_price, std::less<>>;

// Returns what to store for a captured value: `key` is the attribute it goes to
// (gen_ai.input.messages, gen_ai.output.messages, gen_ai.tool.call.arguments,
// gen_ai.tool.call.result), `content` the text as the application gave it. Runs on the
// caller's thread before the size cap; an exception from it drops the value (the
// operation goes on).
using content_redactor = std::function<std::string(std::string_view key, std::string_view content)>;

// Prompts, completions, tool arguments and results may hold personal or secret data, so
// nothing is captured unless `enabled`. Captured values are cut to `max_bytes` (at a UTF-8
// boundary); the number of bytes cut goes into `<key>.truncated_bytes`.
struct content_capture {
  bool enabled = false;
  size_t max_bytes = 4096;
  content_redactor redact{};
};

struct settings {
  price_table prices{};
  content_capture content{};
  // Where the scopes (workflow, agent_run, plan_step, tool_call, llm_call, task, invoke)
  // read the time when they start and end: null for the wall clock (agtel::now_ns). A
  // simulation or a replay installs its own, so that the scopes and the calls it records
  // with explicit times (recorder.hpp) lie on one timeline. Called on the scopes' threads;
  // it must be cheap and must not throw.
  timestamp_ns (*clock)() noexcept = nullptr;
};

// Installs `s` for operations that start from now on. Never throws (out of memory keeps the
// previous settings and is reported through the diagnostic handler).
void configure(settings s) noexcept;

// The installed settings. The reference stays valid until exit.
const settings& current_settings() noexcept;

// Token usage of one call, as providers report it. -1: not reported.
struct token_usage {
  int64_t input_tokens = -1;  // including cached input tokens
  int64_t output_tokens = -1;
  int64_t cache_read_input_tokens = -1;
  int64_t cache_creation_input_tokens = -1;
};

// The cost in USD of `usage` at `price`: (input - cached) * input price + cached * cached
// price + output * output price, per million. Unreported counts count as zero.
double cost_usd(const model_price& price, const token_usage& usage) noexcept;

// The price for a call from `table` (response model first, then request model), or null.
const model_price* find_price(const price_table& table, std::string_view response_model,
                              std::string_view request_model) noexcept;

}  // namespace agtel::agent
