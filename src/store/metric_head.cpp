#include "store/metric_head.hpp"

namespace agtel::store::head {
namespace {

void put_varint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool get_varint(std::string_view s, size_t& pos, uint64_t& v) noexcept {
  v = 0;
  for (int shift = 0; shift < 64 && pos < s.size(); shift += 7) {
    const auto b = static_cast<uint8_t>(s[pos++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

}  // namespace

void append_group(int64_t series_id, query::metric_kind kind, std::string_view chunk,
                  std::string& out) {
  put_varint(static_cast<uint64_t>(series_id), out);
  out.push_back(static_cast<char>(kind));
  put_varint(chunk.size(), out);
  out.append(chunk);
}

bool group_reader::next(group& out) noexcept {
  if (failed_ || pos_ >= data_.size()) return false;
  uint64_t id = 0, n = 0;
  if (!get_varint(data_, pos_, id) || pos_ >= data_.size()) return failed_ = true, false;
  const auto kind = static_cast<uint8_t>(data_[pos_++]);
  if (kind > static_cast<uint8_t>(query::metric_kind::exponential_histogram) ||
      !get_varint(data_, pos_, n) || n > data_.size() - pos_)
    return failed_ = true, false;
  out.series_id = static_cast<int64_t>(id);
  out.kind = static_cast<query::metric_kind>(kind);
  out.chunk = data_.substr(pos_, n);
  pos_ += n;
  return true;
}

}  // namespace agtel::store::head
