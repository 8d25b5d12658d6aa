// The log record processor over the shared batching mechanism
// (sdk/common/detail/batch_engine.hpp), which holds the never-block, deadline and fork
// rules for every signal.
#include "agtel/logs/batch_log_record_processor.hpp"

#include "sdk/common/detail/batch_engine.hpp"
#include "sdk/logs/detail/log_signal.hpp"

namespace agtel::logs {

struct batch_log_record_processor::state : agtel::detail::batch_queue<detail::log_signal> {
  state(std::unique_ptr<log_record_exporter> e, const batch_log_record_processor_options& o)
      : batch_queue(std::move(e),
                    {o.max_queue_size, o.schedule_delay, o.export_timeout, o.max_export_batch_size},
                    "batch_log_record_processor", "log records"),
        public_options{options().max_queue_size, options().schedule_delay, options().export_timeout,
                       options().max_export_batch_size} {}
  const batch_log_record_processor_options public_options;  // as corrected
};

batch_log_record_processor::batch_log_record_processor(
    std::unique_ptr<log_record_exporter> exporter, batch_log_record_processor_options options)
    : state_(std::make_shared<state>(std::move(exporter), options)) {
  state_->start();
}

batch_log_record_processor::~batch_log_record_processor() {
  state_->close();
}

void batch_log_record_processor::on_emit(log_record_ptr record) noexcept {
  state_->offer(std::move(record));
}

sdk_result batch_log_record_processor::force_flush(std::chrono::milliseconds timeout) noexcept {
  return state_->force_flush(timeout);
}

sdk_result batch_log_record_processor::shutdown(std::chrono::milliseconds timeout) noexcept {
  return state_->shutdown(timeout);
}

batch_log_record_processor_stats batch_log_record_processor::stats() const noexcept {
  auto c = state_->counts();
  return {c.exported, c.export_failed, c.dropped_queue_full, c.dropped_after_shutdown,
          c.queue_depth};
}

const batch_log_record_processor_options& batch_log_record_processor::options() const noexcept {
  return state_->public_options;
}

}  // namespace agtel::logs
