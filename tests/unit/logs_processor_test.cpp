// The log record processors and the in-memory exporter: batching, the never-block rules
// (full queue, hung exporter, deadlines), accounting, shutdown, fork, and the simple path.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "agtel/diagnostics.hpp"
#include "agtel/export/in_memory_log_exporter.hpp"
#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/logs/simple_log_record_processor.hpp"
#include "support/fork_safety.hpp"
#include "support/test_exporter.hpp"

namespace agtel::logs {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::log_exporter_control;

struct setup {
  std::shared_ptr<log_exporter_control> ctl = std::make_shared<log_exporter_control>();
  batch_log_record_processor* blrp = nullptr;
  std::unique_ptr<logger_provider> provider;
  logger log;

  explicit setup(batch_log_record_processor_options o) {
    auto p = std::make_unique<batch_log_record_processor>(
        std::make_unique<test::controlled_log_exporter>(ctl), o);
    blrp = p.get();
    logger_provider_options po;
    po.processors.push_back(std::move(p));
    provider = std::make_unique<logger_provider>(std::move(po));
    log = provider->get_logger("blrp.test");
  }
  void emit(int n) {
    for (int i = 0; i < n; ++i) log.emit(severity::info, "r", {{"i", i}});
  }
  uint64_t accounted() const {
    auto st = blrp->stats();
    return st.exported + st.export_failed + st.dropped_queue_full + st.dropped_after_shutdown +
           st.queue_depth;
  }
};

TEST(logs_batch_processor, defaults_are_the_spec_blrp_values) {
  batch_log_record_processor_options o;
  EXPECT_EQ(o.max_queue_size, 2048u);
  EXPECT_EQ(o.schedule_delay, 1000ms);
  EXPECT_EQ(o.export_timeout, 30000ms);
  EXPECT_EQ(o.max_export_batch_size, 512u);
}

TEST(logs_batch_processor, exports_on_schedule_without_flush) {
  setup s({.schedule_delay = 20ms});
  s.emit(3);
  EXPECT_TRUE(eventually([&] { return s.ctl->size() == 3; }));
  EXPECT_EQ(s.blrp->stats().exported, 3u);
}

TEST(logs_batch_processor, exports_early_when_a_batch_is_waiting) {
  setup s({.max_queue_size = 64, .schedule_delay = 1h, .max_export_batch_size = 8});
  s.emit(40);
  EXPECT_TRUE(eventually([&] { return s.ctl->size() >= 32; }))
      << "only " << s.ctl->size() << " exported before the (1 h) schedule";
}

TEST(logs_batch_processor, batches_never_exceed_max_export_batch_size_and_keep_contents) {
  setup s({.max_queue_size = 1024, .schedule_delay = 1h, .max_export_batch_size = 7});
  s.emit(100);
  ASSERT_EQ(s.provider->force_flush(5s), sdk_result::ok);
  std::lock_guard lock(s.ctl->mutex);
  ASSERT_EQ(s.ctl->items.size(), 100u);
  for (size_t n : s.ctl->batch_sizes) EXPECT_LE(n, 7u);
  std::vector<bool> seen(100);
  for (const auto& r : s.ctl->items) {
    EXPECT_EQ(std::get<std::string>(r->body), "r");
    seen[static_cast<size_t>(std::get<int64_t>(*r->attributes.find("i")))] = true;
  }
  for (bool b : seen) EXPECT_TRUE(b);
}

TEST(logs_batch_processor, full_queue_drops_and_counts_without_blocking) {
  setup s({.max_queue_size = 16, .schedule_delay = 1h, .max_export_batch_size = 16});
  s.ctl->hang = true;  // the export thread takes one batch and hangs
  auto start = std::chrono::steady_clock::now();
  s.emit(1000);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 1s) << "emit must never wait for the exporter";
  auto st = s.blrp->stats();
  EXPECT_GE(st.dropped_queue_full,
            1000u - 2 * 16u);  // one batch in the hung export, one queue full
  s.ctl->release();
  EXPECT_EQ(s.provider->shutdown(5s), sdk_result::ok);
  st = s.blrp->stats();
  EXPECT_EQ(st.exported + st.dropped_queue_full, 1000u);
  EXPECT_EQ(st.exported, s.ctl->size());
}

TEST(logs_batch_processor, force_flush_and_shutdown_meet_their_deadline_while_export_hangs) {
  auto s = std::make_unique<setup>(batch_log_record_processor_options{.schedule_delay = 1h});
  s->ctl->hang = true;
  s->emit(5);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(s->provider->force_flush(100ms), sdk_result::timeout);
  EXPECT_EQ(s->provider->shutdown(100ms), sdk_result::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  auto ctl = s->ctl;
  s.reset();  // destroying the provider with the export still hung must not block either
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s);
  ctl->release();  // the detached export thread finishes on its own
}

TEST(logs_batch_processor, failed_exports_are_counted_and_reported) {
  std::atomic<int> warnings{0};
  set_diagnostic_handler([&](diag_level, std::string_view component, std::string_view msg) {
    if (component == "batch_log_record_processor" &&
        msg.find("log records dropped") != std::string_view::npos)
      warnings++;
  });
  {
    setup s({.schedule_delay = 1h});
    s.ctl->fail = true;
    s.emit(4);
    EXPECT_EQ(s.provider->force_flush(5s), sdk_result::failure);
    EXPECT_EQ(s.blrp->stats().export_failed, 4u);
    EXPECT_EQ(s.blrp->stats().exported, 0u);
  }
  set_diagnostic_handler(nullptr);
  agtel::detail::reset_diagnostics_for_testing();
  EXPECT_GE(warnings.load(), 1);
}

TEST(logs_batch_processor, shutdown_exports_pending_then_counts_late_records) {
  setup s({.schedule_delay = 1h});
  s.emit(10);
  EXPECT_EQ(s.blrp->shutdown(5s), sdk_result::ok);
  EXPECT_EQ(s.ctl->size(), 10u);
  EXPECT_EQ(s.ctl->shutdown_calls.load(), 1);
  s.log.emit(severity::info, "late");  // the provider is still up; only the processor stopped
  s.blrp->on_emit(log_record_ptr::make());
  EXPECT_EQ(s.blrp->stats().dropped_after_shutdown, 2u);
  EXPECT_EQ(s.blrp->shutdown(1s), sdk_result::already_shutdown);
  EXPECT_EQ(s.blrp->force_flush(1s), sdk_result::already_shutdown);
  EXPECT_EQ(s.accounted(), 12u);
}

TEST(logs_batch_processor, invalid_options_are_corrected) {
  setup s({.max_queue_size = 0,
           .schedule_delay = -5ms,
           .export_timeout = -1ms,
           .max_export_batch_size = 0});
  EXPECT_EQ(s.blrp->options().max_queue_size, 2048u);
  EXPECT_EQ(s.blrp->options().max_export_batch_size, 512u);
  EXPECT_GT(s.blrp->options().schedule_delay.count(), 0);
  EXPECT_EQ(s.blrp->options().export_timeout.count(), 0);
  setup big_batch({.max_queue_size = 10, .max_export_batch_size = 100});
  EXPECT_EQ(big_batch.blrp->options().max_export_batch_size, 10u);
  s.emit(3);
  EXPECT_EQ(s.provider->force_flush(5s), sdk_result::ok);
  EXPECT_EQ(s.ctl->size(), 3u);
}

TEST(logs_batch_processor, a_null_exporter_fails_batches_instead_of_crashing) {
  batch_log_record_processor p(nullptr, {.schedule_delay = 1h});
  p.on_emit(log_record_ptr::make());
  EXPECT_EQ(p.force_flush(5s), sdk_result::failure);
  EXPECT_EQ(p.stats().export_failed, 1u);
}

TEST(logs_batch_processor, fork_child_exports_its_own_records_only) {
  AGTEL_SKIP_FORK_WITH_THREADS_UNDER_ASAN();
  setup s({.schedule_delay = 1h});
  s.emit(5);  // queued in the parent, not exported yet
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int code = 0;
    for (int i = 0; i < 16; ++i) s.log.emit(severity::info, "child");
    if (s.provider->force_flush(5s) != sdk_result::ok) code = 11;
    size_t child = 0, parent = 0;
    for (const auto& r : s.ctl->snapshot())
      (std::get<std::string>(r->body) == "child" ? child : parent)++;
    if (child != 16) code = 12;
    if (parent != 0) code = 13;
    if (s.provider->shutdown(5s) != sdk_result::ok) code = 14;
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child failed check " << WEXITSTATUS(status);
  EXPECT_EQ(s.provider->force_flush(5s), sdk_result::ok);
  EXPECT_EQ(s.ctl->size(), 5u) << "the parent's exports must be unaffected by the fork";
}

TEST(logs_simple_processor, exports_synchronously_and_stops_at_shutdown) {
  auto ctl = std::make_shared<log_exporter_control>();
  auto p = make_simple_log_record_processor(std::make_unique<test::controlled_log_exporter>(ctl));
  p->on_emit(log_record_ptr::make());
  EXPECT_EQ(ctl->size(), 1u) << "exported before on_emit returned";
  EXPECT_EQ(p->force_flush(1s), sdk_result::ok);
  EXPECT_EQ(ctl->flush_calls.load(), 1);
  EXPECT_EQ(p->shutdown(1s), sdk_result::ok);
  EXPECT_EQ(ctl->shutdown_calls.load(), 1);
  p->on_emit(log_record_ptr::make());
  EXPECT_EQ(ctl->size(), 1u);
  EXPECT_EQ(p->shutdown(1s), sdk_result::already_shutdown);
  EXPECT_EQ(p->force_flush(1s), sdk_result::already_shutdown);
}

TEST(logs_simple_processor, a_failing_exporter_is_reported_not_thrown) {
  std::atomic<int> warnings{0};
  set_diagnostic_handler([&](diag_level, std::string_view component, std::string_view) {
    if (component == "simple_log_record_processor") warnings++;
  });
  auto ctl = std::make_shared<log_exporter_control>();
  ctl->fail = true;
  auto p = make_simple_log_record_processor(std::make_unique<test::controlled_log_exporter>(ctl));
  p->on_emit(log_record_ptr::make());
  set_diagnostic_handler(nullptr);
  agtel::detail::reset_diagnostics_for_testing();
  EXPECT_EQ(warnings.load(), 1);
}

TEST(in_memory_log_exporter, keeps_the_newest_records_up_to_capacity) {
  auto store = std::make_shared<exporter::in_memory_log_store>(3);
  exporter::in_memory_log_exporter e(store);
  std::vector<log_record_ptr> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(log_record_ptr::make());
    batch.back()->attributes.set("i", i);
  }
  EXPECT_EQ(e.export_logs({batch.data(), 2}, {}), export_result::success);
  EXPECT_EQ(e.export_logs({batch.data() + 2, 3}, {}), export_result::success);
  auto kept = store->records();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(std::get<int64_t>(*kept[0]->attributes.find("i")), 2);
  EXPECT_EQ(std::get<int64_t>(*kept[2]->attributes.find("i")), 4);
  EXPECT_EQ(store->discarded(), 2u);
  EXPECT_EQ(e.export_logs(batch, {}), export_result::success);  // a batch larger than the store
  EXPECT_EQ(std::get<int64_t>(*store->records()[0]->attributes.find("i")), 2);
  EXPECT_EQ(store->discarded(), 7u);
  store->clear();
  EXPECT_EQ(store->size(), 0u);
  EXPECT_EQ(e.shutdown({}), sdk_result::ok);
  EXPECT_EQ(e.shutdown({}), sdk_result::already_shutdown);
  EXPECT_EQ(e.export_logs(batch, {}), export_result::failure);
  exporter::in_memory_log_exporter no_store(nullptr);
  EXPECT_EQ(no_store.export_logs(batch, {}), export_result::failure);
}

}  // namespace
}  // namespace agtel::logs
