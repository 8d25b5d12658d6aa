// Exemplar reservoirs (OpenTelemetry metrics SDK specification, "Exemplar"): a series
// keeps a few of its measurements with the trace and span they were recorded in.
//
//  - aligned (histograms): one slot per bucket; a measurement replaces the slot of its
//    bucket, so each bucket keeps its latest exemplar (AlignedHistogramBucketExemplarReservoir).
//  - fixed (sums, gauges, exponential histograms): `size` slots filled by reservoir
//    sampling — the n-th measurement of an interval replaces a random slot with
//    probability size/n (SimpleFixedSizeExemplarReservoir).
//
// Offers come from recording threads (under a spin lock: only measurements that pass the
// exemplar filter get here); take() comes from the collecting thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agtel/common/attribute.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "agtel/trace/span_context.hpp"
#include "sdk/metrics/detail/spin_lock.hpp"

namespace agtel::metrics::detail {

struct exemplar_slot {
  bool set = false;
  exemplar value;
};

inline constexpr size_t fixed_reservoir_size = 4;

class exemplar_reservoir {
 public:
  // `slots`: bucket count (aligned) or the reservoir size (fixed).
  exemplar_reservoir(size_t slots, bool aligned) : slots_(slots), aligned_(aligned) {}

  // Offers a measurement. `bucket` is used by aligned reservoirs. `dropped` are the
  // measurement's attributes that the stream's view removed (kept on the exemplar).
  void offer(size_t bucket, number_value v, const trace::span_context& span,
             std::span<const attribute_view> dropped) noexcept;

  // Moves the set slots into `out` (resized to the slot count; unset slots have set=false)
  // and empties the reservoir. Returns whether any slot was set.
  bool take(std::vector<exemplar_slot>& out) noexcept;

 private:
  spin_lock lock_;
  std::vector<exemplar_slot> slots_;
  bool aligned_;
  bool any_ = false;
  uint64_t offered_ = 0;  // fixed reservoirs: measurements offered since the last take
};

// The attributes of `original` whose key is not in `kept_keys` (sorted), into `out`.
void dropped_attributes(std::span<const attribute_view> original,
                        const std::vector<std::string>& kept_keys,
                        std::vector<attribute_view>& out);

}  // namespace agtel::metrics::detail
