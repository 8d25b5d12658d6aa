// The composite propagator, OTEL_PROPAGATORS names, and the process-wide propagator.
#include "agtel/propagation/composite.hpp"

#include <algorithm>
#include <atomic>
#include <string>

#include "agtel/diagnostics.hpp"
#include "agtel/propagation/w3c_baggage.hpp"
#include "agtel/propagation/w3c_trace_context.hpp"
#include "propagation/detail/text.hpp"

namespace agtel::propagation {
namespace {

constexpr std::string_view component = "propagation";
constexpr size_t max_names = 16;  // bounds the work a hostile OTEL_PROPAGATORS can cause

class noop_propagator final : public text_map_propagator {
 public:
  void inject(const context&, text_map_writer&) const noexcept override {}
  context extract(const text_map_reader&, const context& base) const noexcept override {
    return base;
  }
  std::span<const std::string_view> fields() const noexcept override { return {}; }
  std::string_view name() const noexcept override { return "none"; }
};

std::shared_ptr<const text_map_propagator> make_default() {
  return std::make_shared<const composite_propagator>(
      std::vector<std::shared_ptr<const text_map_propagator>>{
          std::make_shared<const w3c_trace_context_propagator>(),
          std::make_shared<const w3c_baggage_propagator>()});
}

const std::shared_ptr<const text_map_propagator>& default_propagator() {
  static const std::shared_ptr<const text_map_propagator> instance = make_default();
  return instance;
}

std::atomic<std::shared_ptr<const text_map_propagator>>& global_slot() {
  static std::atomic<std::shared_ptr<const text_map_propagator>> slot{default_propagator()};
  return slot;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// A name as it may appear in a diagnostic: at most 64 bytes, control and non-ASCII bytes
// shown as '?', so that hostile configuration cannot forge log lines.
std::string printable(std::string_view name) {
  std::string out(name.substr(0, 64));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  if (name.size() > 64) out += "...";
  return out;
}

}  // namespace

composite_propagator::composite_propagator(
    std::vector<std::shared_ptr<const text_map_propagator>> parts) {
  for (auto& p : parts) {
    if (!p) continue;
    for (std::string_view f : p->fields())
      if (std::find(fields_.begin(), fields_.end(), f) == fields_.end()) fields_.push_back(f);
    parts_.push_back(std::move(p));
  }
}

void composite_propagator::inject(const context& ctx, text_map_writer& carrier) const noexcept {
  for (const auto& p : parts_) p->inject(ctx, carrier);
}

context composite_propagator::extract(const text_map_reader& carrier,
                                      const context& base) const noexcept {
  if (parts_.empty()) return base;
  context ctx = parts_.front()->extract(carrier, base);
  for (size_t i = 1; i < parts_.size(); ++i) ctx = parts_[i]->extract(carrier, ctx);
  return ctx;
}

namespace {
// Parses the list; problems are collected into one diagnostic (so that the rate limiter
// never hides part of a configuration report).
std::shared_ptr<const text_map_propagator> build_propagator(std::string_view names) {
  std::vector<std::shared_ptr<const text_map_propagator>> parts;
  std::vector<std::string> seen;
  std::string problems;
  auto report = [&](std::string_view text) {
    if (!problems.empty()) problems += "; ";
    problems += text;
  };
  bool none = false, any = false;
  detail::for_each_member(names, ',', [&](std::string_view raw) {
    std::string name = lower(detail::trim_ows(raw));
    if (name.empty()) return true;
    any = true;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) return true;
    if (seen.size() == max_names) {
      report("more than 16 names, the rest are ignored");
      return false;
    }
    seen.push_back(name);
    if (name == "tracecontext") {
      parts.push_back(std::make_shared<const w3c_trace_context_propagator>());
    } else if (name == "baggage") {
      parts.push_back(std::make_shared<const w3c_baggage_propagator>());
    } else if (name == "none") {
      none = true;
    } else if (name == "b3" || name == "b3multi" || name == "jaeger" || name == "xray" ||
               name == "ottrace") {
      report(name + " is not supported by agtel, skipped");
    } else {
      report("unknown propagator '" + printable(name) + "', skipped");
    }
    return true;
  });
  if (none && seen.size() > 1) report("'none' disables propagation, the other names are ignored");
  if (!problems.empty()) {
    agtel::detail::diag(
        diag_level::warning, component,
        "OTEL_PROPAGATORS: " + problems + " (supported: tracecontext, baggage, none)");
  }
  if (!any) return default_propagator();
  if (none || parts.empty()) return std::make_shared<const noop_propagator>();
  if (parts.size() == 1) return parts.front();
  return std::make_shared<const composite_propagator>(std::move(parts));
}
}  // namespace

std::shared_ptr<const text_map_propagator> make_propagator(std::string_view names) noexcept {
  try {
    return build_propagator(names);
  } catch (...) {  // out of memory
    agtel::detail::diag(diag_level::error, component,
                        "out of memory building propagators; using the default");
    return default_propagator();
  }
}

std::shared_ptr<const text_map_propagator> global_propagator() noexcept {
  return global_slot().load(std::memory_order_acquire);
}

void set_global_propagator(std::shared_ptr<const text_map_propagator> propagator) noexcept {
  if (!propagator) propagator = default_propagator();
  global_slot().store(std::move(propagator), std::memory_order_release);
}

void inject(text_map_writer& carrier) noexcept {
  global_propagator()->inject(agtel::detail::current_context(), carrier);
}

context extract(const text_map_reader& carrier) noexcept {
  return global_propagator()->extract(carrier, agtel::detail::current_context());
}

}  // namespace agtel::propagation
