// The span processor over the shared batching mechanism (sdk/common/detail/batch_engine.hpp),
// which holds the never-block, deadline and fork rules for every signal.
#include "agtel/trace/batch_span_processor.hpp"

#include "sdk/common/detail/batch_engine.hpp"
#include "sdk/trace/detail/span_signal.hpp"

namespace agtel::trace {
namespace {

using detail::span_signal;

agtel::detail::batch_options engine_options(const batch_span_processor_options& o) {
  return {o.max_queue_size, o.schedule_delay, o.export_timeout, o.max_export_batch_size};
}

}  // namespace

struct batch_span_processor::state : agtel::detail::batch_queue<span_signal> {
  state(std::unique_ptr<exporter::span_exporter> e, const batch_span_processor_options& o)
      : batch_queue(std::move(e), engine_options(o), "batch_span_processor", "spans"),
        public_options{options().max_queue_size, options().schedule_delay, options().export_timeout,
                       options().max_export_batch_size} {}
  const batch_span_processor_options public_options;  // as corrected
};

batch_span_processor::batch_span_processor(std::unique_ptr<exporter::span_exporter> exporter,
                                           batch_span_processor_options options)
    : state_(std::make_shared<state>(std::move(exporter), options)) {
  state_->start();
}

batch_span_processor::~batch_span_processor() {
  state_->close();
}

void batch_span_processor::on_end(span_ptr span) noexcept {
  if (!span->context.sampled()) return;  // recorded for processors, not for export
  state_->offer(std::move(span));
}

sdk_result batch_span_processor::force_flush(std::chrono::milliseconds timeout) noexcept {
  return state_->force_flush(timeout);
}

sdk_result batch_span_processor::shutdown(std::chrono::milliseconds timeout) noexcept {
  return state_->shutdown(timeout);
}

batch_span_processor_stats batch_span_processor::stats() const noexcept {
  auto c = state_->counts();
  return {c.exported, c.export_failed, c.dropped_queue_full, c.dropped_after_shutdown,
          c.queue_depth};
}

const batch_span_processor_options& batch_span_processor::options() const noexcept {
  return state_->public_options;
}

}  // namespace agtel::trace
