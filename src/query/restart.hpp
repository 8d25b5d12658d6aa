// When a cumulative stream (counter or histogram) started over, per the OTel data model.
#pragma once

#include <cstdint>

namespace agtel::query {

// A changed start time means a restart; 0 means "unknown", which says nothing. (A value
// that decreases is the other sign; the callers check that themselves.)
inline bool restarted(int64_t start_ns, int64_t prev_start_ns) {
  return start_ns != 0 && prev_start_ns != 0 && start_ns != prev_start_ns;
}

}  // namespace agtel::query
