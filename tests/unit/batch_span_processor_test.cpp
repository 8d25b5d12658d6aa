#include "agtel/trace/batch_span_processor.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "agtel/trace/tracer_provider.hpp"
#include "support/test_exporter.hpp"

namespace agtel::trace {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::exporter_control;

struct setup {
  std::shared_ptr<exporter_control> ctl = std::make_shared<exporter_control>();
  batch_span_processor* bsp = nullptr;
  std::unique_ptr<tracer_provider> provider;
  tracer t;

  explicit setup(batch_span_processor_options o, std::shared_ptr<sampler> s = always_on_sampler()) {
    auto p = std::make_unique<batch_span_processor>(std::make_unique<test::test_exporter>(ctl), o);
    bsp = p.get();
    tracer_provider_options po;
    po.sampler = std::move(s);
    po.processors.push_back(std::move(p));
    provider = std::make_unique<tracer_provider>(std::move(po));
    t = provider->get_tracer("bsp.test");
  }
  void spans(int n) {
    for (int i = 0; i < n; ++i) t.start_span("s").end();
  }
};

TEST(batch_span_processor, exports_on_schedule_without_flush) {
  setup s({.schedule_delay = 20ms});
  s.spans(3);
  EXPECT_TRUE(eventually([&] { return s.ctl->size() == 3; }));
  EXPECT_EQ(s.bsp->stats().exported, 3u);
}

TEST(batch_span_processor, exports_early_when_a_batch_is_waiting) {
  setup s({.max_queue_size = 64, .schedule_delay = 1h, .max_export_batch_size = 8});
  s.spans(40);
  EXPECT_TRUE(eventually([&] { return s.ctl->size() >= 32; }))
      << "only " << s.ctl->size() << " exported before the (1 h) schedule";
}

TEST(batch_span_processor, batches_never_exceed_max_export_batch_size) {
  struct sizing_exporter : exporter::span_exporter {
    std::atomic<size_t>* max_seen;
    explicit sizing_exporter(std::atomic<size_t>* m) : max_seen(m) {}
    export_result export_spans(std::span<const span_ptr> b, steady_time) noexcept override {
      size_t cur = max_seen->load();
      while (b.size() > cur && !max_seen->compare_exchange_weak(cur, b.size())) {
      }
      return export_result::success;
    }
    sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
  };
  std::atomic<size_t> max_seen{0};
  tracer_provider_options po;
  auto* raw = new batch_span_processor(
      std::make_unique<sizing_exporter>(&max_seen),
      {.max_queue_size = 1000, .schedule_delay = 1h, .max_export_batch_size = 7});
  po.processors.emplace_back(raw);
  tracer_provider provider(std::move(po));
  auto t = provider.get_tracer("x");
  for (int i = 0; i < 500; ++i) t.start_span("s").end();
  EXPECT_EQ(provider.force_flush(5s), sdk_result::ok);
  EXPECT_EQ(raw->stats().exported, 500u);
  EXPECT_LE(max_seen.load(), 7u);
  EXPECT_GT(max_seen.load(), 0u);
}

TEST(batch_span_processor, full_queue_drops_and_counts_without_blocking) {
  setup s({.max_queue_size = 4, .schedule_delay = 1h, .max_export_batch_size = 2});
  s.ctl->hang = true;
  s.spans(2);
  ASSERT_TRUE(eventually([&] { return s.ctl->inside_export.load(); }));  // exporter now stuck
  auto start = std::chrono::steady_clock::now();
  s.spans(100);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "end() blocked on a full queue";
  auto st = s.bsp->stats();
  EXPECT_EQ(st.queue_depth, 4u);
  EXPECT_EQ(st.dropped_queue_full, 96u);
  s.ctl->release();
  EXPECT_EQ(s.provider->force_flush(5s), sdk_result::ok);
  st = s.bsp->stats();
  EXPECT_EQ(st.exported + st.dropped_queue_full, 102u) << "every span is exported or counted";
}

TEST(batch_span_processor, force_flush_exports_everything_before_the_call) {
  setup s({.schedule_delay = 1h});
  s.spans(10);
  EXPECT_EQ(s.bsp->force_flush(5s), sdk_result::ok);
  EXPECT_EQ(s.ctl->size(), 10u);
  EXPECT_EQ(s.ctl->flush_calls, 1);
}

TEST(batch_span_processor, force_flush_and_shutdown_meet_deadline_while_export_hangs) {
  // A full batch of one wakes the worker into the hanging export.
  auto s = std::make_unique<setup>(
      batch_span_processor_options{.schedule_delay = 1h, .max_export_batch_size = 1});
  s->ctl->hang = true;
  s->spans(1);
  ASSERT_TRUE(eventually([&] { return s->ctl->inside_export.load(); }));

  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s->bsp->force_flush(100ms), sdk_result::timeout);
  auto flush_took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(flush_took, 100ms);
  EXPECT_LT(flush_took, 1s);

  t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s->provider->shutdown(150ms), sdk_result::timeout);
  auto shutdown_took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(shutdown_took, 1s);

  auto ctl = s->ctl;
  t0 = std::chrono::steady_clock::now();
  s.reset();  // destroying the processor must not wait for the hung export
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  ctl->release();  // the detached export thread finishes on its own
  EXPECT_TRUE(eventually([&] { return ctl->shutdown_calls.load() == 1; }));
}

// The export thread works for shutdown no longer than shutdown's caller waits: every
// batch's deadline is capped at shutdown's (3 spans: below the early-wake threshold, so
// the only export is shutdown's).
TEST(batch_span_processor, shutdown_deadline_caps_every_export) {
  setup s({.schedule_delay = 1h, .export_timeout = 1h});
  s.ctl->hang = true;
  s.ctl->hang_to_deadline = true;
  const auto before = std::chrono::steady_clock::now();
  s.spans(3);
  EXPECT_NE(s.provider->shutdown(200ms), sdk_result::ok);
  const auto returned = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] {
    auto st = s.bsp->stats();
    return st.export_failed == 3;
  })) << "the export thread still works after shutdown returned";
  EXPECT_LT(std::chrono::steady_clock::now() - returned, 1s);
  std::lock_guard lock(s.ctl->mutex);
  ASSERT_FALSE(s.ctl->deadlines.empty());
  for (auto d : s.ctl->deadlines) EXPECT_LE(d, returned + 200ms);
  EXPECT_LE(s.ctl->deadlines.back(), before + 1s) << "a batch was given the 1 h export_timeout";
}

TEST(batch_span_processor, failed_exports_are_counted) {
  setup s({.schedule_delay = 1h});
  s.ctl->fail = true;
  s.spans(5);
  EXPECT_EQ(s.bsp->force_flush(5s), sdk_result::failure);
  auto st = s.bsp->stats();
  EXPECT_EQ(st.export_failed, 5u);
  EXPECT_EQ(st.exported, 0u);
}

TEST(batch_span_processor, shutdown_exports_pending_then_counts_late_spans) {
  setup s({.schedule_delay = 1h});
  s.spans(3);
  auto open = s.t.start_span("open at shutdown");
  EXPECT_EQ(s.provider->shutdown(5s), sdk_result::ok);
  EXPECT_EQ(s.ctl->size(), 3u);
  EXPECT_EQ(s.ctl->shutdown_calls, 1);
  open.end();
  EXPECT_EQ(s.bsp->stats().dropped_after_shutdown, 1u);
  EXPECT_EQ(s.bsp->force_flush(1s), sdk_result::already_shutdown);
  EXPECT_EQ(s.bsp->shutdown(1s), sdk_result::already_shutdown);
}

TEST(batch_span_processor, record_only_spans_are_not_exported) {
  struct record_only : sampler {
    sampling_result should_sample(const sampling_input&) const noexcept override {
      return {sampling_decision::record_only, {}};
    }
    std::string description() const override { return "RecordOnly"; }
  };
  setup s({.schedule_delay = 1h}, std::make_shared<record_only>());
  auto sp = s.t.start_span("recorded");
  EXPECT_TRUE(sp.is_recording());
  EXPECT_FALSE(sp.context().sampled());
  sp.end();
  EXPECT_EQ(s.bsp->force_flush(5s), sdk_result::ok);
  EXPECT_EQ(s.ctl->size(), 0u);
}

TEST(batch_span_processor, invalid_options_are_corrected) {
  setup s({.max_queue_size = 0, .schedule_delay = 0ms, .max_export_batch_size = 0});
  EXPECT_EQ(s.bsp->options().max_queue_size, 2048u);
  EXPECT_EQ(s.bsp->options().max_export_batch_size, 512u);
  setup big_batch({.max_queue_size = 10, .max_export_batch_size = 100});
  EXPECT_EQ(big_batch.bsp->options().max_export_batch_size, 10u);
  big_batch.spans(3);
  EXPECT_EQ(big_batch.bsp->force_flush(5s), sdk_result::ok);
  EXPECT_EQ(big_batch.ctl->size(), 3u);
}

}  // namespace
}  // namespace agtel::trace
