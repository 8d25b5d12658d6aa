// Many threads starting and ending spans at once through the batch processor: every span
// is accounted for, parents stay right per thread, and (under TSan) nothing races.
#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "support/test_exporter.hpp"

namespace agtel::trace {
namespace {

using namespace std::chrono_literals;

TEST(tracing_concurrency, every_span_is_exported_or_counted) {
  auto ctl = std::make_shared<test::exporter_control>();
  auto* bsp = new batch_span_processor(std::make_unique<test::test_exporter>(ctl),
                                       {.max_queue_size = 512, .schedule_delay = 5ms, .max_export_batch_size = 64});
  tracer_provider_options o;
  o.processors.emplace_back(bsp);
  tracer_provider provider(std::move(o));
  auto t = provider.get_tracer("concurrency");

  constexpr int threads = 4, per_thread = 5000;
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&, i] {
      for (int j = 0; j < per_thread; ++j) {
        auto parent = t.start_span("parent", {.attributes = {{"thread", i}}});
        auto active = parent.activate();
        auto child = t.start_span("child");
        child.set_attribute("j", j);
      }
    });
  for (auto& th : pool) th.join();
  EXPECT_EQ(provider.shutdown(10s), sdk_result::ok);

  auto st = bsp->stats();
  const uint64_t total = threads * per_thread * 2;
  EXPECT_EQ(st.exported + st.dropped_queue_full + st.export_failed + st.dropped_after_shutdown, total);
  EXPECT_EQ(st.exported, ctl->items.size());

  // Each exported child points at a parent of the same trace, and ids are unique.
  std::unordered_set<span_id> ids;
  for (const auto& s : ctl->items) EXPECT_TRUE(ids.insert(s->context.span_id()).second);
  std::unordered_map<span_id, trace_id> parents;
  for (const auto& s : ctl->items) {
    if (s->name == "parent") parents[s->context.span_id()] = s->context.trace_id();
  }
  for (const auto& s : ctl->items) {
    if (s->name != "child") continue;
    auto it = parents.find(s->parent_span_id);
    if (it != parents.end()) {
      EXPECT_EQ(it->second, s->context.trace_id());
    }
  }
}

TEST(tracing_concurrency, flush_and_shutdown_race_with_producers) {
  auto ctl = std::make_shared<test::exporter_control>();
  auto* bsp = new batch_span_processor(std::make_unique<test::test_exporter>(ctl),
                                       {.max_queue_size = 256, .schedule_delay = 1ms, .max_export_batch_size = 32});
  tracer_provider_options o;
  o.processors.emplace_back(bsp);
  auto provider = std::make_unique<tracer_provider>(std::move(o));
  auto t = provider->get_tracer("race");
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> ended{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < 3; ++i)
    pool.emplace_back([&] {
      while (!stop.load()) {
        auto s = t.start_span("s");
        bool reaches_processor = s.is_recording();  // false once shutdown has begun
        s.end();
        if (reaches_processor) ended++;
      }
    });
  for (int i = 0; i < 20; ++i) provider->force_flush(1s);
  EXPECT_EQ(provider->shutdown(5s), sdk_result::ok);
  stop = true;
  for (auto& th : pool) th.join();
  auto st = bsp->stats();
  EXPECT_EQ(st.exported + st.dropped_queue_full + st.export_failed + st.dropped_after_shutdown,
            ended.load());
}

}  // namespace
}  // namespace agtel::trace
