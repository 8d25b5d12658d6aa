// GenAI attributes lifted into typed span columns (schema in store.hpp). Three of them
// map one key to one column, so a string value is kept in its column only, not again in
// the attributes text (about 15 bytes a span for a tool call), and the reader puts it
// back. The others (model, tokens) are read from one of several keys, so the attributes
// text keeps them and the column is a copy for fast views.
#pragma once

#include <string>
#include <string_view>

#include "agtel/agent/semconv.hpp"

namespace agtel::store {

struct lifted_column {
  std::string_view key;
  const char* column;
};

inline constexpr lifted_column lifted_string_columns[] = {
    {agent::semconv::attr::operation_name, "operation"},
    {agent::semconv::attr::agent_name, "agent_name"},
    {agent::semconv::attr::tool_name, "tool_name"},
};

// The column holding `key` only, or nullptr.
inline const char* lifted_column_of(std::string_view key) noexcept {
  for (const auto& l : lifted_string_columns)
    if (l.key == key) return l.column;
  return nullptr;
}

}  // namespace agtel::store
