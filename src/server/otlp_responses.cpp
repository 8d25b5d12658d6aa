#include "server/otlp_responses.hpp"

#include "otlp/json_writer.hpp"
#include "otlp/protobuf_writer.hpp"

namespace agtel::server {

std::string_view content_type_of(body_encoding e) noexcept {
  return e == body_encoding::protobuf ? "application/x-protobuf" : "application/json";
}

std::string status_body(body_encoding e, rpc_code code, std::string_view message) {
  std::string out;
  if (e == body_encoding::protobuf) {
    otlp::protobuf_writer w(out);
    w.int_field(1, static_cast<int32_t>(code));  // int32 code = 1
    w.string_field(2, message);                  // string message = 2
    w.finish();
  } else {
    otlp::json_writer w(out);
    w.begin_object();
    w.key("code");
    w.number(int64_t{static_cast<int32_t>(code)});
    w.key("message");
    w.string(message);
    w.end_object();
  }
  return out;
}

std::string status_with_retry_info(int32_t code, std::string_view message,
                                   std::chrono::seconds retry_delay) {
  std::string out;
  otlp::protobuf_writer w(out);
  w.int_field(1, code);         // int32 code = 1
  w.string_field(2, message);   // string message = 2
  auto any = w.begin(3);        // repeated google.protobuf.Any details = 3
  w.string_field(1, "type.googleapis.com/google.rpc.RetryInfo");  // string type_url = 1
  auto info = w.begin(2);       // bytes value = 2: RetryInfo
  auto delay = w.begin(1);      // google.protobuf.Duration retry_delay = 1
  w.int_field(1, retry_delay.count());  // int64 seconds = 1
  w.end(delay);
  w.end(info);
  w.end(any);
  w.finish();
  return out;
}

namespace {

std::string_view rejected_field_name(otlp::signal s) {
  switch (s) {
    case otlp::signal::traces:
      return "rejectedSpans";
    case otlp::signal::metrics:
      return "rejectedDataPoints";
    case otlp::signal::logs:
      return "rejectedLogRecords";
  }
  return "rejectedSpans";
}

}  // namespace

std::string export_response_body(body_encoding e, otlp::signal s, const otlp::partial_success& p) {
  std::string out;
  const bool full_success = p.rejected == 0 && p.error_message.empty();
  if (e == body_encoding::protobuf) {
    if (full_success) return out;
    otlp::protobuf_writer w(out);
    // Export*ServiceResponse.partial_success = 1 {int64 rejected_* = 1; string error_message = 2}
    auto m = w.begin(1, 2);
    if (p.rejected != 0) w.int_field(1, p.rejected);
    if (!p.error_message.empty()) w.string_field(2, p.error_message);
    w.end(m);
    w.finish();
    return out;
  }
  otlp::json_writer w(out);
  w.begin_object();
  if (!full_success) {
    w.key("partialSuccess");
    w.begin_object();
    if (p.rejected != 0) {
      w.key(rejected_field_name(s));
      w.quoted(p.rejected);
    }
    if (!p.error_message.empty()) {
      w.key("errorMessage");
      w.string(p.error_message);
    }
    w.end_object();
  }
  w.end_object();
  return out;
}

}  // namespace agtel::server
