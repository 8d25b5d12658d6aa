// The format of a metric_head row's data: the points one transaction received, grouped
// by series. Each group is
//
//   varint series_id | byte metric_kind | varint n | n bytes: one chunk (chunk_codec.hpp)
//
// so the head and the compacted chunks share one point encoding. A head row is written
// once and read by the compaction and by readers of recent data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "query/series.hpp"

namespace agtel::store::head {

struct group {
  int64_t series_id = 0;
  query::metric_kind kind = query::metric_kind::gauge;
  std::string_view chunk;  // points into the row's data
};

void append_group(int64_t series_id, query::metric_kind kind, std::string_view chunk,
                  std::string& out);

// Reads the groups of `data` in order. `next` returns false at the end or on malformed
// data (then `error()` says so).
class group_reader {
 public:
  explicit group_reader(std::string_view data) noexcept : data_(data) {}
  bool next(group& out) noexcept;
  bool failed() const noexcept { return failed_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace agtel::store::head
