#include "agtel/trace/sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace agtel::trace {
namespace {

trace_id id_with_randomness(uint64_t r56) {
  std::array<uint8_t, 16> b{};
  b[0] = 0xAB;  // high bytes do not matter
  for (int i = 0; i < 7; ++i) b[15 - i] = static_cast<uint8_t>(r56 >> (8 * i));
  return trace_id(b);
}

sampling_decision decide(const sampler& s, const span_context& parent, const trace_id& tid) {
  return s.should_sample({parent, tid, "op", span_kind::internal, {}}).decision;
}

const span_context no_parent;

TEST(sampler, always_on_and_off) {
  auto tid = id_with_randomness(1);
  EXPECT_EQ(decide(*always_on_sampler(), no_parent, tid), sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*always_off_sampler(), no_parent, tid), sampling_decision::drop);
  EXPECT_EQ(always_on_sampler()->description(), "AlwaysOnSampler");
  EXPECT_EQ(always_off_sampler()->description(), "AlwaysOffSampler");
}

TEST(sampler, trace_id_ratio_threshold_on_56_bit_randomness) {
  auto half = trace_id_ratio_sampler(0.5);
  const uint64_t two55 = uint64_t{1} << 55;
  EXPECT_EQ(decide(*half, no_parent, id_with_randomness(two55)), sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*half, no_parent, id_with_randomness(two55 - 1)), sampling_decision::drop);
  EXPECT_EQ(decide(*trace_id_ratio_sampler(1.0), no_parent, id_with_randomness(0)),
            sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*trace_id_ratio_sampler(0.0), no_parent, id_with_randomness((uint64_t{1} << 56) - 1)),
            sampling_decision::drop);
  EXPECT_EQ(half->description(), "TraceIdRatioBased{0.5}");
}

TEST(sampler, trace_id_ratio_clamps_bad_ratios) {
  EXPECT_EQ(decide(*trace_id_ratio_sampler(7.0), no_parent, id_with_randomness(0)),
            sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*trace_id_ratio_sampler(-1.0), no_parent, id_with_randomness((uint64_t{1} << 56) - 1)),
            sampling_decision::drop);
  EXPECT_EQ(decide(*trace_id_ratio_sampler(std::nan("")), no_parent, id_with_randomness((uint64_t{1} << 56) - 1)),
            sampling_decision::drop);
}

TEST(sampler, trace_id_ratio_samples_the_expected_fraction) {
  auto s = trace_id_ratio_sampler(0.25);
  int sampled = 0;
  const int n = 40000;
  uint64_t x = 0x9E3779B97F4A7C15u;
  for (int i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    if (decide(*s, no_parent, id_with_randomness(x & ((uint64_t{1} << 56) - 1))) ==
        sampling_decision::record_and_sample)
      ++sampled;
  }
  EXPECT_NEAR(sampled / double(n), 0.25, 0.01);
}

TEST(sampler, parent_based_follows_each_parent_case) {
  auto tid = id_with_randomness(0);  // a ratio sampler would drop this id
  auto pb = parent_based_sampler(trace_id_ratio_sampler(0.5));
  auto sid = span_id::from_hex("0102030405060708").value();
  span_context remote_sampled(tid, sid, trace_flags{1}, true);
  span_context remote_unsampled(tid, sid, trace_flags{0}, true);
  span_context local_sampled(tid, sid, trace_flags{1}, false);
  span_context local_unsampled(tid, sid, trace_flags{0}, false);
  EXPECT_EQ(decide(*pb, no_parent, tid), sampling_decision::drop) << "root goes to the ratio sampler";
  EXPECT_EQ(decide(*pb, remote_sampled, tid), sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*pb, remote_unsampled, tid), sampling_decision::drop);
  EXPECT_EQ(decide(*pb, local_sampled, tid), sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*pb, local_unsampled, tid), sampling_decision::drop);

  auto custom = parent_based_sampler({.root = always_on_sampler(),
                                      .remote_parent_not_sampled = always_on_sampler(),
                                      .local_parent_sampled = always_off_sampler()});
  EXPECT_EQ(decide(*custom, remote_unsampled, tid), sampling_decision::record_and_sample);
  EXPECT_EQ(decide(*custom, local_sampled, tid), sampling_decision::drop);
  EXPECT_EQ(pb->description(),
            "ParentBased{root:TraceIdRatioBased{0.5},remoteParentSampled:AlwaysOnSampler,"
            "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
            "localParentNotSampled:AlwaysOffSampler}");
}

TEST(sampler, result_carries_parent_trace_state) {
  auto tid = id_with_randomness(0);
  span_context parent(tid, span_id::from_hex("0102030405060708").value(), trace_flags{1}, true,
                      trace_state::parse("vendor=abc"));
  auto r = always_on_sampler()->should_sample({parent, tid, "op", span_kind::server, {}});
  EXPECT_EQ(r.state.get("vendor"), "abc");
}

}  // namespace
}  // namespace agtel::trace
