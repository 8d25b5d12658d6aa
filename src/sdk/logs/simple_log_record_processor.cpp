#include "agtel/logs/simple_log_record_processor.hpp"

#include "sdk/common/detail/simple_export.hpp"
#include "sdk/logs/detail/log_signal.hpp"

namespace agtel::logs {
namespace {

class simple_log_record_processor final : public log_record_processor {
 public:
  simple_log_record_processor(std::unique_ptr<log_record_exporter> e,
                              std::chrono::milliseconds timeout)
      : export_(std::move(e), timeout, "simple_log_record_processor", "log record") {}

  void on_emit(log_record_ptr record) noexcept override { export_.export_one(record); }
  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept override {
    return export_.force_flush(timeout);
  }
  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept override {
    return export_.shutdown(timeout);
  }

 private:
  agtel::detail::simple_export<detail::log_signal> export_;
};

}  // namespace

std::unique_ptr<log_record_processor> make_simple_log_record_processor(
    std::unique_ptr<log_record_exporter> exporter, std::chrono::milliseconds export_timeout) {
  return std::make_unique<simple_log_record_processor>(std::move(exporter), export_timeout);
}

}  // namespace agtel::logs
