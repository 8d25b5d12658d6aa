// Outcomes of the SDK's lifecycle and export calls. Each value says what the caller can
// do next; none of these calls throws.
#pragma once

#include <string_view>

namespace agtel {

// force_flush / shutdown outcomes.
enum class sdk_result {
  ok,                // everything handed in before the call has been exported (or dropped and counted)
  timeout,           // the deadline passed first; work may still complete in the background
  failure,           // an exporter reported failure; the data was dropped and counted
  already_shutdown,  // shutdown ran before; calling again does nothing
};

// What an exporter reports for one batch.
enum class export_result {
  success,  // delivered
  failure,  // not delivered and not worth retrying; the caller must not retry this batch
  timeout,  // the deadline passed; the batch is counted as dropped
};

constexpr std::string_view to_string(sdk_result r) noexcept {
  switch (r) {
    case sdk_result::ok: return "ok";
    case sdk_result::timeout: return "timeout";
    case sdk_result::failure: return "failure";
    case sdk_result::already_shutdown: return "already_shutdown";
  }
  return "?";
}
constexpr std::string_view to_string(export_result r) noexcept {
  switch (r) {
    case export_result::success: return "success";
    case export_result::failure: return "failure";
    case export_result::timeout: return "timeout";
  }
  return "?";
}

}  // namespace agtel
