// The agent layer's settings: published as immutable objects through one atomic pointer,
// so an operation reads them with one load and never takes a lock.
#include "agtel/agent/settings.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "agtel/diagnostics.hpp"

namespace agtel::agent {
namespace {

struct store {
  std::atomic<const settings*> current;
  std::mutex mutex;
  // Every configuration ever installed: an operation may still read an older one, and
  // configure() runs rarely, so they are kept until exit rather than reference-counted on
  // the hot path.
  std::vector<std::unique_ptr<const settings>> all;

  store() {
    all.push_back(std::make_unique<const settings>());
    current.store(all.back().get());
  }
};
store& the_store() {
  static store* s = new store;  // leaked: operations may end during static destruction
  return *s;
}

}  // namespace

void configure(settings s) noexcept {
  auto& st = the_store();
  try {
    std::lock_guard lock(st.mutex);
    st.all.push_back(std::make_unique<const settings>(std::move(s)));
    st.current.store(st.all.back().get(), std::memory_order_release);
  } catch (...) {
    agtel::detail::diag(diag_level::error, "agent",
                        "out of memory in configure; settings unchanged");
  }
}

const settings& current_settings() noexcept {
  return *the_store().current.load(std::memory_order_acquire);
}

double cost_usd(const model_price& price, const token_usage& usage) noexcept {
  const double input = usage.input_tokens > 0 ? static_cast<double>(usage.input_tokens) : 0;
  const double output = usage.output_tokens > 0 ? static_cast<double>(usage.output_tokens) : 0;
  double cached =
      usage.cache_read_input_tokens > 0 ? static_cast<double>(usage.cache_read_input_tokens) : 0;
  if (cached > input) cached = input;
  const double cached_price = price.cached_input_per_million.value_or(price.input_per_million);
  return ((input - cached) * price.input_per_million + cached * cached_price +
          output * price.output_per_million) /
         1e6;
}

const model_price* find_price(const price_table& table, std::string_view response_model,
                              std::string_view request_model) noexcept {
  if (!response_model.empty())
    if (auto it = table.find(response_model); it != table.end()) return &it->second;
  if (!request_model.empty())
    if (auto it = table.find(request_model); it != table.end()) return &it->second;
  return nullptr;
}

}  // namespace agtel::agent
