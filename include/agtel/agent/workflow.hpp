// A workflow: one orchestration session, from the request that starts it to its answer.
//
//   agtel::agent::workflow session("triage", {.conversation_id = conv_id});
//   ... agents, tools, LLM calls: they nest under the session's span ...
//
// Emits the span `invoke_workflow {name}` (INTERNAL; gen_ai.workflow.name,
// gen_ai.conversation.id), and at the end gen_ai.workflow.duration {gen_ai.workflow.name,
// error.type} and session.duration {}. See operation.hpp for failures.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "agtel/agent/operation.hpp"

namespace agtel::agent {

struct workflow_options {
  std::string_view conversation_id{};      // on the span only (ids never go on metrics)
  const agtel::context* parent = nullptr;  // null: the current span
};

class workflow final : public operation {
 public:
  explicit workflow(std::string_view name, const workflow_options& options = {}) noexcept;
  ~workflow();

 private:
  std::string name_;
};

// An orchestration session is a workflow.
using session = workflow;

// Runs `fn` inside a workflow scope; see detail::run_in.
template <class F>
decltype(auto) run_workflow(std::string_view name, F&& fn) {
  workflow scope(name);
  return detail::run_in(scope, std::forward<F>(fn));
}

}  // namespace agtel::agent
