#include "agtel/trace/simple_span_processor.hpp"

#include <mutex>

#include "agtel/diagnostics.hpp"

namespace agtel::trace {
namespace {

class simple_span_processor final : public span_processor {
 public:
  simple_span_processor(std::unique_ptr<exporter::span_exporter> e, std::chrono::milliseconds timeout)
      : exporter_(std::move(e)), timeout_(timeout) {}

  void on_end(span_ptr span) noexcept override {
    if (!span->context.sampled()) return;
    std::lock_guard lock(mutex_);  // the spec forbids concurrent export calls
    if (shut_down_) return;
    export_result r = exporter_->export_spans({&span, 1}, steady_time::clock::now() + timeout_);
    if (r != export_result::success)
      agtel::detail::diag(diag_level::warning, "simple_span_processor",
                          std::string("export ") + std::string(to_string(r)) + ": 1 span dropped");
  }

  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept override {
    std::lock_guard lock(mutex_);
    if (shut_down_) return sdk_result::already_shutdown;
    return exporter_->force_flush(steady_time::clock::now() + timeout);
  }

  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept override {
    std::lock_guard lock(mutex_);
    if (shut_down_) return sdk_result::already_shutdown;
    shut_down_ = true;
    return exporter_->shutdown(steady_time::clock::now() + timeout);
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<exporter::span_exporter> exporter_;
  std::chrono::milliseconds timeout_;
  bool shut_down_ = false;
};

}  // namespace

std::unique_ptr<span_processor> make_simple_span_processor(
    std::unique_ptr<exporter::span_exporter> exporter, std::chrono::milliseconds export_timeout) {
  return std::make_unique<simple_span_processor>(std::move(exporter), export_timeout);
}

}  // namespace agtel::trace
