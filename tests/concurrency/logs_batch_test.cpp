// Many threads emitting log records through the batch processor at once (also run under
// TSan): every record is accounted for exactly once, as exported or as a counted drop,
// and each exported record carries the span that was current on its own thread.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agtel::logs {
namespace {

using namespace std::chrono_literals;

// Counts and checks records as they are exported; slow enough that the small queue fills.
class checking_exporter final : public log_record_exporter {
 public:
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> wrong_span{0};
  std::mutex mutex;
  std::map<int64_t, trace::span_id> span_of_thread;  // filled before the threads start

  export_result export_logs(std::span<const log_record_ptr> batch, steady_time) noexcept override {
    for (const auto& r : batch) {
      const attribute_value* t = r->attributes.find("thread");
      if (!t || span_of_thread.at(std::get<int64_t>(*t)) != r->span_id) wrong_span++;
    }
    received += batch.size();
    std::this_thread::sleep_for(200us);
    return export_result::success;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
};

void run(size_t queue, int threads, int per_thread, bool shutdown_while_emitting) {
  auto exp = std::make_unique<checking_exporter>();
  checking_exporter* e = exp.get();
  auto proc = std::make_unique<batch_log_record_processor>(
      std::move(exp),
      batch_log_record_processor_options{
          .max_queue_size = queue, .schedule_delay = 5ms, .max_export_batch_size = 64});
  batch_log_record_processor* blrp = proc.get();
  logger_provider_options o;
  o.processors.push_back(std::move(proc));
  logger_provider provider(std::move(o));
  auto log = provider.get_logger("concurrency");

  trace::tracer_provider tp;
  auto tracer = tp.get_tracer("t");
  std::vector<trace::span> spans;
  for (int t = 0; t < threads; ++t) {
    spans.push_back(tracer.start_span("worker"));
    e->span_of_thread[t] = spans.back().context().span_id();
  }

  std::atomic<uint64_t> emitted{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      auto active = spans[static_cast<size_t>(t)].activate();
      for (int i = 0; i < per_thread; ++i) {
        log.emit(severity::info, "step", {{"thread", t}, {"i", i}, {"tool", "grep"}});
        emitted.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  go = true;
  if (shutdown_while_emitting) {
    std::this_thread::sleep_for(2ms);
    EXPECT_NE(blrp->shutdown(10s), sdk_result::timeout);
  }
  for (auto& w : workers) w.join();
  provider.shutdown(10s);

  auto st = blrp->stats();
  EXPECT_EQ(st.queue_depth, 0u);
  EXPECT_EQ(st.export_failed, 0u);
  EXPECT_EQ(st.exported, e->received.load()) << "the processor counts what the exporter received";
  EXPECT_EQ(st.exported + st.dropped_queue_full + st.dropped_after_shutdown, emitted.load())
      << "exported " << st.exported << ", dropped (full) " << st.dropped_queue_full
      << ", dropped (after shutdown) " << st.dropped_after_shutdown;
  EXPECT_EQ(e->wrong_span.load(), 0u) << "a record carried another thread's span";
  if (!shutdown_while_emitting) {
    EXPECT_GT(st.dropped_queue_full, 0u) << "the test meant to overfill the queue";
  }
}

TEST(logs_batch_concurrency, many_threads_exact_accounting_with_drops) {
  run(64, 6, 20000, false);
}

TEST(logs_batch_concurrency, shutdown_while_threads_emit_counts_every_record) {
  run(512, 4, 20000, true);
}

}  // namespace
}  // namespace agtel::logs
