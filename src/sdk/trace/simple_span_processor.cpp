#include "agtel/trace/simple_span_processor.hpp"

#include "sdk/common/detail/simple_export.hpp"
#include "sdk/trace/detail/span_signal.hpp"

namespace agtel::trace {
namespace {

class simple_span_processor final : public span_processor {
 public:
  simple_span_processor(std::unique_ptr<exporter::span_exporter> e,
                        std::chrono::milliseconds timeout)
      : export_(std::move(e), timeout, "simple_span_processor", "span") {}

  void on_end(span_ptr span) noexcept override {
    if (span->context.sampled()) export_.export_one(span);
  }
  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept override {
    return export_.force_flush(timeout);
  }
  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept override {
    return export_.shutdown(timeout);
  }

 private:
  agtel::detail::simple_export<detail::span_signal> export_;
};

}  // namespace

std::unique_ptr<span_processor> make_simple_span_processor(
    std::unique_ptr<exporter::span_exporter> exporter, std::chrono::milliseconds export_timeout) {
  return std::make_unique<simple_span_processor>(std::move(exporter), export_timeout);
}

}  // namespace agtel::trace
