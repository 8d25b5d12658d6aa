// The status details are read with protobuf's CodedInputStream (bounds-checked varints,
// tag validation) over the trailer's bytes, field by field: no generated google.rpc
// classes, so nothing here allocates beyond the outcome's strings.
#include "export/otlp/grpc_status.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <array>
#include <climits>
#include <cstdint>
#include <string>

namespace agtel::exporter::otlp_detail {

namespace {

using google::protobuf::io::CodedInputStream;
using wire = google::protobuf::internal::WireFormatLite;

// One field of a message: its number, wire type, and value (a varint, or the bytes of a
// length-delimited field, viewing the input).
struct field {
  uint32_t number = 0;
  wire::WireType type = wire::WIRETYPE_VARINT;
  uint64_t varint = 0;
  std::string_view bytes;
};

// Calls `visit(field)` for each field of the serialized message `msg`, in order. Returns
// false when the bytes are not a well-formed message or `visit` returns false. Groups are
// refused: none of the messages read here (google.rpc.Status, google.protobuf.Any,
// google.rpc.RetryInfo, google.protobuf.Duration) has one.
template <class Visit>
bool for_each_field(std::string_view msg, Visit&& visit) {
  if (msg.size() > INT_MAX) return false;
  const int size = static_cast<int>(msg.size());
  CodedInputStream in(reinterpret_cast<const uint8_t*>(msg.data()), size);
  for (;;) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return in.CurrentPosition() == size;  // 0: the end, or a bad tag
    field f;
    f.number = wire::GetTagFieldNumber(tag);
    f.type = wire::GetTagWireType(tag);
    if (f.number == 0) return false;
    switch (f.type) {
      case wire::WIRETYPE_VARINT:
        if (!in.ReadVarint64(&f.varint)) return false;
        break;
      case wire::WIRETYPE_FIXED64:
        if (!in.Skip(8)) return false;
        break;
      case wire::WIRETYPE_FIXED32:
        if (!in.Skip(4)) return false;
        break;
      case wire::WIRETYPE_LENGTH_DELIMITED: {
        uint32_t length = 0;
        if (!in.ReadVarint32(&length)) return false;
        const int at = in.CurrentPosition();
        if (length > static_cast<uint32_t>(size - at)) return false;
        f.bytes = msg.substr(static_cast<size_t>(at), length);
        if (!in.Skip(static_cast<int>(length))) return false;
        break;
      }
      default:
        return false;
    }
    if (!visit(f)) return false;
  }
}

// A known field with the wrong wire type makes the message malformed, as it does for
// protobuf's own parsers.
bool expect(const field& f, wire::WireType type) {
  return f.type == type;
}

constexpr int64_t max_delay_seconds = 3600;

// google.protobuf.Duration -> milliseconds, rounded up, clamped to [0, 1 h].
std::optional<std::chrono::milliseconds> parse_duration(std::string_view bytes) {
  int64_t seconds = 0;
  int64_t nanos = 0;
  const bool ok = for_each_field(bytes, [&](const field& f) {
    if (f.number == 1) {
      if (!expect(f, wire::WIRETYPE_VARINT)) return false;
      seconds = static_cast<int64_t>(f.varint);
    } else if (f.number == 2) {
      if (!expect(f, wire::WIRETYPE_VARINT)) return false;
      nanos = static_cast<int32_t>(static_cast<uint32_t>(f.varint));  // int32 on the wire
    }
    return true;
  });
  if (!ok) return std::nullopt;
  if (seconds < 0 || nanos < 0) return std::chrono::milliseconds{0};
  if (seconds >= max_delay_seconds) return std::chrono::milliseconds{max_delay_seconds * 1000};
  if (nanos > 999'999'999) nanos = 999'999'999;
  return std::chrono::milliseconds{seconds * 1000 + (nanos + 999'999) / 1'000'000};
}

// google.rpc.RetryInfo { Duration retry_delay = 1; }
std::optional<std::chrono::milliseconds> parse_retry_info(std::string_view bytes) {
  std::optional<std::chrono::milliseconds> delay = std::chrono::milliseconds{0};
  const bool ok = for_each_field(bytes, [&](const field& f) {
    if (f.number != 1) return true;
    if (!expect(f, wire::WIRETYPE_LENGTH_DELIMITED)) return false;
    delay = parse_duration(f.bytes);
    return delay.has_value();
  });
  if (!ok) return std::nullopt;
  return delay;
}

// Any.type_url is "<prefix>/<full message name>"; the prefix is conventionally
// "type.googleapis.com" but any is allowed.
bool is_retry_info(std::string_view type_url) {
  constexpr std::string_view name = "google.rpc.RetryInfo";
  const size_t slash = type_url.rfind('/');
  return type_url.substr(slash == std::string_view::npos ? 0 : slash + 1) == name;
}

}  // namespace

std::optional<std::chrono::milliseconds> retry_delay_from_status_details(
    std::string_view status_details) noexcept {
  std::optional<std::chrono::milliseconds> found;
  const bool ok = for_each_field(status_details, [&](const field& f) {
    switch (f.number) {
      case 1:  // int32 code
        return expect(f, wire::WIRETYPE_VARINT);
      case 2:  // string message
        return expect(f, wire::WIRETYPE_LENGTH_DELIMITED);
      case 3: {  // repeated google.protobuf.Any details
        if (!expect(f, wire::WIRETYPE_LENGTH_DELIMITED)) return false;
        std::string_view type_url;
        std::string_view value;
        const bool any_ok = for_each_field(f.bytes, [&](const field& a) {
          if (a.number != 1 && a.number != 2) return true;
          if (!expect(a, wire::WIRETYPE_LENGTH_DELIMITED)) return false;
          (a.number == 1 ? type_url : value) = a.bytes;
          return true;
        });
        if (!any_ok) return false;
        if (!found && is_retry_info(type_url)) {
          found = parse_retry_info(value);
          return found.has_value();
        }
        return true;
      }
      default:
        return true;  // unknown fields are skipped, as protobuf does
    }
  });
  if (!ok) return std::nullopt;
  return found;
}

std::string_view grpc_code_name(int code) noexcept {
  static constexpr std::array<std::string_view, 17> names = {"OK",
                                                             "CANCELLED",
                                                             "UNKNOWN",
                                                             "INVALID_ARGUMENT",
                                                             "DEADLINE_EXCEEDED",
                                                             "NOT_FOUND",
                                                             "ALREADY_EXISTS",
                                                             "PERMISSION_DENIED",
                                                             "RESOURCE_EXHAUSTED",
                                                             "FAILED_PRECONDITION",
                                                             "ABORTED",
                                                             "OUT_OF_RANGE",
                                                             "UNIMPLEMENTED",
                                                             "INTERNAL",
                                                             "UNAVAILABLE",
                                                             "DATA_LOSS",
                                                             "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(names.size())) return "UNKNOWN_CODE";
  return names[static_cast<size_t>(code)];
}

send_outcome outcome_from_grpc_status(int code, std::string_view message,
                                      std::string_view status_details, bool deadline_passed) {
  using kind = send_outcome::kind;
  send_outcome out;
  out.status = code;
  if (code == 0) {
    out.result = kind::success;
    return out;
  }
  const auto delay = retry_delay_from_status_details(status_details);
  if (delay) out.retry_after = *delay;
  switch (code) {
    case 1:   // CANCELLED
    case 10:  // ABORTED
    case 11:  // OUT_OF_RANGE
    case 14:  // UNAVAILABLE
    case 15:  // DATA_LOSS
      out.result = kind::retryable;
      break;
    case 4:  // DEADLINE_EXCEEDED
      out.result = deadline_passed ? kind::timeout : kind::retryable;
      break;
    case 8:  // RESOURCE_EXHAUSTED
      out.result = delay ? kind::retryable : kind::permanent;
      break;
    default:
      out.result = kind::permanent;
      break;
  }
  out.error.reserve(8 + 20 + message.size());
  out.error.append("gRPC ").append(grpc_code_name(code));
  if (!message.empty()) out.error.append(": ").append(message.substr(0, 512));
  return out;
}

}  // namespace agtel::exporter::otlp_detail
