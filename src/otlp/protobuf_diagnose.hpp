// Why protobuf's parser rejected a message, as a sentence with a field path.
//
// The generated parser only says "no". When it does, the decoder asks this walker, which
// reads the same bytes against the message's descriptor and reports the first problem it
// finds: a truncated or over-long field, an invalid wire type or field number, nesting
// past the limit, or a `string` field that is not valid UTF-8. It runs only after a
// failure, so its speed does not matter; it allocates only for the message it returns.
#pragma once

#include <string>
#include <string_view>

namespace google::protobuf {
class Descriptor;
}

namespace agtel::otlp {

// Messages nested deeper than this are rejected (protobuf's own default limit).
inline constexpr int protobuf_max_depth = 100;

// A description of the first defect in `bytes` read as a `type` message, such as
//   "resource_spans[0].scope_spans[0].spans[3].name: invalid UTF-8 at byte 211"
// or a generic sentence when the walker finds nothing wrong.
std::string diagnose_protobuf(const google::protobuf::Descriptor& type, std::string_view bytes);

}  // namespace agtel::otlp
