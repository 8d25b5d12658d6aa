// libFuzzer target for the YAML configuration reader (src/config/yaml_config.cpp).
//
// Any input must parse without crashing, hanging or throwing, and whatever it yields must
// hold the configuration's invariants: numbers inside their documented ranges, a ratio in
// [0, 1], and diagnostics that are single lines free of raw control bytes (they quote the
// input, so hostile input must not reach a terminal unescaped).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agtel/diagnostics.hpp"
#include "agtel/sdk/config.hpp"

namespace {

void check_message(agtel::diag_level, std::string_view, std::string_view message) {
  for (char c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) __builtin_trap();
}

void check_config(const agtel::sdk_config& c) {
  if (!(c.sampler_ratio >= 0.0 && c.sampler_ratio <= 1.0)) __builtin_trap();
  if (c.batch.max_queue_size == 0 || c.batch.max_queue_size > (1u << 20)) __builtin_trap();
  if (c.batch.max_export_batch_size == 0 || c.batch.max_export_batch_size > (1u << 20))
    __builtin_trap();
  if (c.batch.schedule_delay.count() < 0 || c.batch.export_timeout.count() < 0) __builtin_trap();
  for (const auto& p : c.propagators)
    if (p.empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  agtel::set_diagnostic_handler(check_message);
  agtel::set_diagnostic_level(agtel::diag_level::debug);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Keep every message flowing to the checker (no rate-limit window carried across inputs).
  agtel::detail::reset_diagnostics_for_testing();
  agtel::set_diagnostic_level(agtel::diag_level::debug);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto c = agtel::config_from_yaml_string(text)) check_config(*c);
  return 0;
}
