#include "otlp/protobuf_diagnose.hpp"

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <map>

#include "otlp/protobuf_writer.hpp"

namespace agtel::otlp {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

class walker {
 public:
  explicit walker(std::string_view bytes) : start_(bytes.data()) {}

  // Walks one message (or a group's contents, when `group` is non-zero) from p to end.
  // Returns false with error_ set at the first defect. `type` is null for unknown fields,
  // whose contents are only checked for structure.
  bool walk(const Descriptor* type, const char*& p, const char* end, const std::string& path,
            int depth, uint32_t group = 0) {
    if (depth > protobuf_max_depth)
      return fail(path, "nested deeper than " + std::to_string(protobuf_max_depth) + " messages", p);
    std::map<uint32_t, int> seen;  // occurrences per field, for "[i]" in paths
    while (p < end) {
      const char* at = p;
      uint64_t tag;
      if (!varint(p, end, tag)) return fail(path, "truncated or malformed field tag", at);
      uint32_t number = static_cast<uint32_t>(tag >> 3);
      unsigned wt = tag & 7;
      if (number == 0 || (tag >> 3) > 0x1FFFFFFF) return fail(path, "invalid field number", at);
      const FieldDescriptor* f = type ? type->FindFieldByNumber(static_cast<int>(number)) : nullptr;
      std::string fpath = field_path(path, f, number, seen[number]++);
      switch (wt) {
        case 0: {
          uint64_t v;
          if (!varint(p, end, v)) return fail(fpath, "truncated or malformed varint", at);
          break;
        }
        case 1:
        case 5: {
          size_t n = wt == 1 ? 8 : 4;
          if (static_cast<size_t>(end - p) < n) return fail(fpath, "truncated fixed-width value", at);
          p += n;
          break;
        }
        case 2: {
          uint64_t len;
          if (!varint(p, end, len)) return fail(fpath, "truncated length", at);
          if (len > static_cast<uint64_t>(end - p))
            return fail(fpath, "length " + std::to_string(len) + " runs past the end of its message (" +
                                   std::to_string(end - p) + " bytes left)", at);
          const char* body_end = p + len;
          if (f && f->type() == FieldDescriptor::TYPE_MESSAGE) {
            if (!walk(f->message_type(), p, body_end, fpath, depth + 1)) return false;
          } else if (f && f->type() == FieldDescriptor::TYPE_STRING &&
                     !exporter::console::is_valid_utf8(std::string_view(p, len))) {
            return fail(fpath, "invalid UTF-8 in a string field", at);
          }
          p = body_end;
          break;
        }
        case 3:
          if (!walk(nullptr, p, end, fpath, depth + 1, number)) return false;
          break;
        case 4:
          if (group == number) return true;
          return fail(fpath, "end-group without a matching start-group", at);
        default:
          return fail(fpath, "invalid wire type " + std::to_string(wt), at);
      }
    }
    if (group) return fail(path, "group not closed before the end of its message", p);
    return true;
  }

  std::string error;

 private:
  static bool varint(const char*& p, const char* end, uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p == end) return false;
      auto b = static_cast<uint8_t>(*p++);
      v |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return true;
    }
    return false;  // more than ten bytes
  }

  static std::string field_path(const std::string& path, const FieldDescriptor* f, uint32_t number,
                                int index) {
    std::string s = path;
    if (!s.empty()) s += '.';
    if (f)
      s += f->name();
    else
      s += "(unknown field " + std::to_string(number) + ")";
    if (f && f->is_repeated()) s += "[" + std::to_string(index) + "]";
    return s;
  }

  bool fail(const std::string& path, const std::string& what, const char* at) {
    error = (path.empty() ? std::string("message") : path) + ": " + what + " at byte " +
            std::to_string(at - start_);
    return false;
  }

  const char* start_;
};

}  // namespace

std::string diagnose_protobuf(const Descriptor& type, std::string_view bytes) {
  walker w(bytes);
  const char* p = bytes.data();
  if (!w.walk(&type, p, bytes.data() + bytes.size(), "", 0)) return w.error;
  return "the protobuf parser rejected the " + type.name() + " (no defect located)";
}

}  // namespace agtel::otlp
