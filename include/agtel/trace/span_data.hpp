// A span's recorded data: what processors and exporters receive, what the OTLP receiver
// decodes into, and what the store writes. The SDK's finished span and a span that came
// in over the wire are this one type.
//
// Span data lives in a pool and is shared through `span_ptr`, an intrusive reference:
// copying a span_ptr adds a reference, and the last reference returns the object to the
// pool, where its strings and lists keep their capacity for the next span.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

#include "agtel/common/attribute.hpp"
#include "agtel/common/resource.hpp"
#include "agtel/common/reuse_vector.hpp"
#include "agtel/common/time.hpp"
#include "agtel/trace/span_context.hpp"

namespace agtel::trace {

// OTLP's numbering (0 is "unspecified" on the wire and is read as internal).
enum class span_kind : uint8_t { internal = 1, server = 2, client = 3, producer = 4, consumer = 5 };

enum class status_code : uint8_t { unset = 0, ok = 1, error = 2 };

struct span_status {
  status_code code = status_code::unset;
  std::string message;  // only meaningful with error
};

struct span_event {
  std::string name;
  timestamp_ns time = 0;
  attribute_list attributes;
};

struct span_link {
  span_context context;
  attribute_list attributes;
};

class span_data {
 public:
  span_context context;
  span_id parent_span_id;  // invalid for a root span
  bool parent_is_remote = false;
  std::string name;
  span_kind kind = span_kind::internal;
  timestamp_ns start_time = 0;
  timestamp_ns end_time = 0;
  attribute_list attributes;
  reuse_vector<span_event> events;
  reuse_vector<span_link> links;
  uint32_t dropped_events = 0;
  uint32_t dropped_links = 0;
  span_status status;
  // Owned by the tracer provider (SDK spans) or by the decoded batch (received spans);
  // never null for SDK spans.
  const agtel::resource* resource = nullptr;
  const instrumentation_scope* scope = nullptr;

  // Empties every field for reuse; keeps storage.
  void reset() noexcept;

  uint64_t duration_ns() const noexcept { return end_time > start_time ? end_time - start_time : 0; }

 private:
  friend class span_ptr;
  friend struct span_pool_access;
  std::atomic<uint32_t> refs_{0};
  uint8_t home_ = 0;  // the pool stripe it returns to (see span_pool.cpp)
};

// A counted reference to pooled span data. Thread-safe to copy and drop from any thread.
class span_ptr {
 public:
  span_ptr() noexcept = default;
  // A fresh, reset span_data from the pool (allocates only when the pool is empty).
  static span_ptr make();

  span_ptr(const span_ptr& o) noexcept : p_(o.p_) {
    if (p_) p_->refs_.fetch_add(1, std::memory_order_relaxed);
  }
  span_ptr(span_ptr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  span_ptr& operator=(span_ptr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~span_ptr() { reset(); }

  void reset() noexcept {
    if (p_ && p_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) recycle(p_);
    p_ = nullptr;
  }

  span_data* get() const noexcept { return p_; }
  span_data& operator*() const noexcept { return *p_; }
  span_data* operator->() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }

  // Ownership hand-over for the SDK's hot path: adopts a pointer that already carries one
  // reference, and gives it back. Not for general use.
  static span_ptr adopt(span_data* p) noexcept {
    span_ptr r;
    r.p_ = p;
    return r;
  }
  span_data* release() noexcept { return std::exchange(p_, nullptr); }

 private:
  static void recycle(span_data* p) noexcept;  // back to the pool
  span_data* p_ = nullptr;
};

}  // namespace agtel::trace
