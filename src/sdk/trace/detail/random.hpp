// Random trace and span ids: a per-thread xoshiro256++ generator seeded from getrandom().
//
// xoshiro256++ (Blackman and Vigna, 2019) passes BigCrush and costs about 1 ns per 64 bits;
// ids need uniqueness, not secrecy. After fork() the child reseeds (pthread_atfork), so a
// parent and its child never produce the same ids.
#pragma once

#include <cstdint>

#include "agtel/trace/ids.hpp"

namespace agtel::trace::detail {

uint64_t random_u64() noexcept;

trace_id random_trace_id() noexcept;  // never all-zero
span_id random_span_id() noexcept;    // never all-zero

}  // namespace agtel::trace::detail
