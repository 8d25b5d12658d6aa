// A tool call.
//
//   auto hits = agtel::agent::run_tool("grep", [&] { return grep(pattern); });
//
// or, to attach arguments and results (captured only when content capture is on):
//
//   agtel::agent::tool_call call("grep", {.call_id = id});
//   call.set_arguments(args_json);
//   ...
//   call.set_result(result_json);
//
// Emits the span `execute_tool {name}` (INTERNAL; gen_ai.tool.name, gen_ai.tool.call.id,
// gen_ai.tool.type; opt-in gen_ai.tool.call.arguments / .result) and
// gen_ai.execute_tool.duration {gen_ai.tool.name, gen_ai.tool.type, gen_ai.agent.name,
// error.type}. See operation.hpp for failures.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "agtel/agent/operation.hpp"

namespace agtel::agent {

struct tool_options {
  std::string_view type = "function";  // gen_ai.tool.type: function | extension | datastore
  std::string_view call_id{};          // gen_ai.tool.call.id (span only)
  std::string_view agent_name{};       // default: the innermost agent run on this thread
  const agtel::context* parent = nullptr;
};

class tool_call final : public operation {
 public:
  explicit tool_call(std::string_view name, const tool_options& options = {}) noexcept;
  ~tool_call();

  // Opt-in content (see settings.hpp): ignored unless capture is on; redacted and capped.
  void set_arguments(std::string_view arguments) noexcept;
  void set_result(std::string_view result) noexcept;

 private:
  std::string name_, type_, agent_name_;
};

// Runs `fn` inside a tool call and returns its result; an exception is recorded and
// re-thrown unchanged. `fn` may take the tool_call& to set arguments and results.
template <class F>
decltype(auto) run_tool(std::string_view name, F&& fn) {
  tool_call scope(name);
  return detail::run_in(scope, std::forward<F>(fn));
}
template <class F>
decltype(auto) run_tool(std::string_view name, const tool_options& options, F&& fn) {
  tool_call scope(name, options);
  return detail::run_in(scope, std::forward<F>(fn));
}

}  // namespace agtel::agent
