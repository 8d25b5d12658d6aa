#include "agtel/trace/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace agtel::trace {
namespace {

class constant_sampler final : public sampler {
 public:
  explicit constant_sampler(bool on) : on_(on) {}
  sampling_result should_sample(const sampling_input& in) const noexcept override {
    return {on_ ? sampling_decision::record_and_sample : sampling_decision::drop, in.parent.state()};
  }
  std::string description() const override { return on_ ? "AlwaysOnSampler" : "AlwaysOffSampler"; }

 private:
  bool on_;
};

class trace_id_ratio final : public sampler {
 public:
  explicit trace_id_ratio(double ratio) : ratio_(std::isnan(ratio) ? 0.0 : std::clamp(ratio, 0.0, 1.0)) {
    // Rejection threshold over 56 bits of randomness: sample when randomness >= threshold.
    constexpr double two56 = 72057594037927936.0;
    threshold_ = ratio_ >= 1.0 ? 0 : static_cast<uint64_t>(std::ceil((1.0 - ratio_) * two56));
    if (ratio_ <= 0.0) threshold_ = uint64_t{1} << 56;  // nothing reaches it
  }
  sampling_result should_sample(const sampling_input& in) const noexcept override {
    const auto& b = in.trace_id.bytes();
    uint64_t randomness = 0;
    for (size_t i = 9; i < 16; ++i) randomness = randomness << 8 | b[i];  // 56 low bits
    bool sample = randomness >= threshold_;
    return {sample ? sampling_decision::record_and_sample : sampling_decision::drop, in.parent.state()};
  }
  std::string description() const override {
    char buf[64];
    std::snprintf(buf, sizeof buf, "TraceIdRatioBased{%g}", ratio_);
    return buf;
  }

 private:
  double ratio_;
  uint64_t threshold_;
};

class parent_based final : public sampler {
 public:
  explicit parent_based(parent_based_options o) : o_(std::move(o)) {
    if (!o_.root) o_.root = always_on_sampler();
    if (!o_.remote_parent_sampled) o_.remote_parent_sampled = always_on_sampler();
    if (!o_.remote_parent_not_sampled) o_.remote_parent_not_sampled = always_off_sampler();
    if (!o_.local_parent_sampled) o_.local_parent_sampled = always_on_sampler();
    if (!o_.local_parent_not_sampled) o_.local_parent_not_sampled = always_off_sampler();
  }
  sampling_result should_sample(const sampling_input& in) const noexcept override {
    const span_context& p = in.parent;
    if (!p.is_valid()) return o_.root->should_sample(in);
    const sampler& s = p.is_remote()
                           ? (p.sampled() ? *o_.remote_parent_sampled : *o_.remote_parent_not_sampled)
                           : (p.sampled() ? *o_.local_parent_sampled : *o_.local_parent_not_sampled);
    return s.should_sample(in);
  }
  std::string description() const override {
    return "ParentBased{root:" + o_.root->description() +
           ",remoteParentSampled:" + o_.remote_parent_sampled->description() +
           ",remoteParentNotSampled:" + o_.remote_parent_not_sampled->description() +
           ",localParentSampled:" + o_.local_parent_sampled->description() +
           ",localParentNotSampled:" + o_.local_parent_not_sampled->description() + "}";
  }

 private:
  parent_based_options o_;
};

}  // namespace

std::shared_ptr<sampler> always_on_sampler() {
  static const auto s = std::make_shared<constant_sampler>(true);
  return s;
}
std::shared_ptr<sampler> always_off_sampler() {
  static const auto s = std::make_shared<constant_sampler>(false);
  return s;
}
std::shared_ptr<sampler> trace_id_ratio_sampler(double ratio) {
  return std::make_shared<trace_id_ratio>(ratio);
}
std::shared_ptr<sampler> parent_based_sampler(parent_based_options options) {
  return std::make_shared<parent_based>(std::move(options));
}

}  // namespace agtel::trace
