#include "agtel/metrics/meter.hpp"

#include <algorithm>

#include "agtel/diagnostics.hpp"
#include "sdk/metrics/detail/provider_impl.hpp"

namespace agtel::metrics {
namespace {

bool same_name(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto l = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return l(x) == l(y);
         });
}

// The spec's unit rule: at most 63 ASCII characters.
bool valid_unit(std::string_view unit) noexcept {
  if (unit.size() > 63) return false;
  return std::all_of(unit.begin(), unit.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Returns the existing instrument for a repeated registration, or nullptr (after reporting
// a conflict) when a new one must be created. Caller holds m.mutex.
detail::instrument_base* existing(detail::meter_core& m, std::string_view name,
                                  instrument_kind kind, bool is_double) {
  for (auto& i : m.instruments) {
    if (!same_name(i->name(), name)) continue;
    if (i->kind() == kind && i->is_double() == is_double) return i.get();
    agtel::detail::diag(
        diag_level::warning, "metrics",
        "instrument '" + std::string(name) + "' of meter '" + m.scope.name +
            "' registered again with another kind or value type; both are exported");
  }
  return nullptr;
}

template <class I>
I* create(detail::meter_core* core, std::string_view name, instrument_kind kind, bool is_double,
          const instrument_options& o) noexcept {
  if (core == nullptr) return nullptr;
  auto* provider = core->provider;
  if (provider->shut_down.load(std::memory_order_acquire)) return nullptr;
  if (!is_valid_instrument_name(name)) {
    agtel::detail::diag(diag_level::error, "metrics",
                        "invalid instrument name '" + std::string(name.substr(0, 300)) +
                            "' (a letter, then up to 254 of [A-Za-z0-9_.-/]); it records nothing");
    return nullptr;
  }
  if (!valid_unit(o.unit)) {
    agtel::detail::diag(diag_level::error, "metrics",
                        "invalid unit for instrument '" + std::string(name) +
                            "' (at most 63 ASCII characters); it records nothing");
    return nullptr;
  }
  try {
    std::lock_guard lock(core->mutex);
    if (auto* e = existing(*core, name, kind, is_double)) return static_cast<I*>(e);
    std::vector<std::unique_ptr<detail::metric_stream>> streams;
    for (auto& cfg : provider->streams_for(*core, name, kind, is_double, o))
      streams.push_back(detail::make_stream(std::move(cfg)));
    auto inst = std::make_unique<I>(core, std::string(name), kind, is_double, std::move(streams));
    I* raw = inst.get();
    core->instruments.push_back(std::move(inst));
    return raw;
  } catch (...) {
    agtel::detail::diag(diag_level::error, "metrics",
                        "out of memory creating instrument '" + std::string(name) + "'");
    return nullptr;
  }
}

}  // namespace

bool is_valid_instrument_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 255) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(name[0])) return false;
  return std::all_of(name.begin() + 1, name.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '/';
  });
}

detail::sync_instrument* meter::create_sync(std::string_view name, instrument_kind kind,
                                            bool is_double, const instrument_options& o) noexcept {
  return create<detail::sync_instrument>(core_, name, kind, is_double, o);
}

detail::async_instrument* meter::create_async(std::string_view name, instrument_kind kind,
                                              bool is_double,
                                              const instrument_options& o) noexcept {
  return create<detail::async_instrument>(core_, name, kind, is_double, o);
}

}  // namespace agtel::metrics
