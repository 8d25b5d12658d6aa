// A log record's data: what log processors and exporters receive, what the OTLP receiver
// decodes into, and what the store writes. It mirrors OTLP's LogRecord
// (opentelemetry/proto/logs/v1/logs.proto).
//
// Like spans, records live in a pool and are shared through `log_record_ptr`, a counted
// reference: the last reference returns the record to the pool, where its strings and
// lists keep their capacity for the next record (see agtel/logs/logger.hpp for the API
// that fills them).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "agtel/common/attribute.hpp"
#include "agtel/common/resource.hpp"
#include "agtel/common/time.hpp"
#include "agtel/trace/ids.hpp"

namespace agtel::logs {

// OTLP's SeverityNumber: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR,
// 21-24 FATAL (the second to fourth value of a range are finer levels, TRACE2..TRACE4).
// 0 is "unspecified".
enum class severity : uint8_t {
  unspecified = 0,
  trace = 1,
  debug = 5,
  info = 9,
  warn = 13,
  error = 17,
  fatal = 21,
};

// "TRACE", "DEBUG2", "INFO", "WARN4", ... (the spec's short names); "" for unspecified or
// out of range.
std::string_view short_name(severity s) noexcept;

class log_record_data {
 public:
  timestamp_ns time = 0;                             // when the event happened; 0 when unknown
  timestamp_ns observed_time = 0;                    // when the SDK (or the receiver) saw it
  severity severity_number = severity::unspecified;  // any value 0..24
  std::string severity_text;  // the source's own level name ("warning"); may be empty
  // OTLP's body is an AnyValue; agtel keeps the attribute value types (a string for almost
  // every log). Structured bodies received over the wire (maps, mixed arrays) arrive as
  // their OTLP/JSON text.
  attribute_value body = std::string();
  bool has_body = false;      // false: the record has no body (OTLP field absent)
  std::string event_name;     // OTLP LogRecord.event_name; empty for plain logs
  attribute_list attributes;  // dropped count in attributes.dropped()
  // The span that was current when the record was emitted; invalid ids outside a span.
  trace::trace_id trace_id;
  trace::span_id span_id;
  trace::trace_flags trace_flags;
  // Owned by the logger provider (SDK) or by the decoded batch (receiver); never null for
  // SDK records.
  const agtel::resource* resource = nullptr;
  const instrumentation_scope* scope = nullptr;

  // Empties every field for reuse; keeps storage.
  void reset() noexcept;

 private:
  friend class log_record_ptr;
  friend struct log_record_pool_access;
  std::atomic<uint32_t> refs_{0};
  uint8_t home_ = 0;  // the pool stripe it returns to
};

// A counted reference to pooled record data, thread-safe to copy and drop from any thread
// (the same contract as trace::span_ptr).
class log_record_ptr {
 public:
  log_record_ptr() noexcept = default;
  // A fresh, reset record from the pool (allocates only when the pool is empty).
  static log_record_ptr make();

  log_record_ptr(const log_record_ptr& o) noexcept : p_(o.p_) {
    if (p_) p_->refs_.fetch_add(1, std::memory_order_relaxed);
  }
  log_record_ptr(log_record_ptr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  log_record_ptr& operator=(log_record_ptr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~log_record_ptr() { reset(); }

  void reset() noexcept {
    if (p_ && p_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) recycle(p_);
    p_ = nullptr;
  }

  log_record_data* get() const noexcept { return p_; }
  log_record_data& operator*() const noexcept { return *p_; }
  log_record_data* operator->() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

  // Ownership hand-over for the SDK's queues: adopts a pointer that already carries one
  // reference, and gives it back. Not for general use.
  static log_record_ptr adopt(log_record_data* p) noexcept {
    log_record_ptr r;
    r.p_ = p;
    return r;
  }
  log_record_data* release() noexcept { return std::exchange(p_, nullptr); }

 private:
  static void recycle(log_record_data* p) noexcept;  // back to the pool
  log_record_data* p_ = nullptr;
};

}  // namespace agtel::logs
