#include "agtel/export/in_memory_span_exporter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "agtel/trace/simple_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agtel::exporter {
namespace {

using trace::span_ptr;

std::vector<span_ptr> named(std::initializer_list<std::string_view> names) {
  std::vector<span_ptr> out;
  for (auto n : names) {
    span_ptr p = span_ptr::make();
    p->name = n;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> names_of(const in_memory_span_store& store) {
  std::vector<std::string> out;
  for (const auto& p : store.spans()) out.push_back(p->name);
  return out;
}

TEST(InMemorySpanExporter, KeepsSpansInExportOrder) {
  auto store = std::make_shared<in_memory_span_store>();
  in_memory_span_exporter exporter(store);
  EXPECT_EQ(exporter.export_spans(named({"a", "b"}), steady_time::max()), export_result::success);
  EXPECT_EQ(exporter.export_spans(named({"c"}), steady_time::max()), export_result::success);
  EXPECT_EQ(exporter.export_spans({}, steady_time::max()), export_result::success);
  EXPECT_EQ(names_of(*store), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(store->size(), 3u);
  EXPECT_EQ(store->discarded(), 0u);
}

TEST(InMemorySpanExporter, SnapshotsShareTheSpans) {
  auto store = std::make_shared<in_memory_span_store>();
  auto batch = named({"a"});
  store->add(batch);
  auto snapshot = store->spans();
  ASSERT_EQ(snapshot.size(), 1u);
  EXPECT_EQ(snapshot[0].get(), batch[0].get());  // a reference, not a copy of the data
  store->clear();
  EXPECT_EQ(store->size(), 0u);
  EXPECT_EQ(snapshot[0]->name, "a");  // the snapshot keeps its reference
}

TEST(InMemorySpanExporter, DiscardsTheOldestPastCapacity) {
  in_memory_span_store store(3);
  store.add(named({"a", "b"}));
  store.add(named({"c", "d"}));
  EXPECT_EQ(names_of(store), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(store.discarded(), 1u);
  // A batch larger than the whole store keeps its newest spans.
  store.add(named({"e", "f", "g", "h", "i"}));
  EXPECT_EQ(names_of(store), (std::vector<std::string>{"g", "h", "i"}));
  EXPECT_EQ(store.discarded(), 6u);
  store.clear();
  EXPECT_EQ(store.discarded(), 0u);
}

TEST(InMemorySpanExporter, ZeroCapacityDiscardsEverything) {
  in_memory_span_store store(0);
  store.add(named({"a", "b"}));
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.discarded(), 2u);
}

TEST(InMemorySpanExporter, FailsAfterShutdownAndWithoutAStore) {
  auto store = std::make_shared<in_memory_span_store>();
  in_memory_span_exporter exporter(store);
  EXPECT_EQ(exporter.shutdown(steady_time::max()), sdk_result::ok);
  EXPECT_EQ(exporter.shutdown(steady_time::max()), sdk_result::already_shutdown);
  EXPECT_EQ(exporter.export_spans(named({"late"}), steady_time::max()), export_result::failure);
  EXPECT_EQ(store->size(), 0u);

  in_memory_span_exporter orphan(nullptr);
  EXPECT_EQ(orphan.export_spans(named({"x"}), steady_time::max()), export_result::failure);
}

TEST(InMemorySpanExporter, ConcurrentWritersAndReaders) {
  auto store = std::make_shared<in_memory_span_store>(500);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        store->add(named({"x", "y"}));
        (void)store->spans();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(store->size(), 500u);
  EXPECT_EQ(store->discarded(), 4u * 100 * 2 - 500);
}

TEST(InMemorySpanExporter, CollectsSpansFromTheSdk) {
  auto store = std::make_shared<in_memory_span_store>();
  trace::tracer_provider_options opts;
  opts.processors.push_back(
      trace::make_simple_span_processor(std::make_unique<in_memory_span_exporter>(store)));
  trace::tracer_provider provider(std::move(opts));
  auto tracer = provider.get_tracer("agtel.test");
  {
    auto parent = tracer.start_span("parent");
    auto active = parent.activate();
    tracer.start_span("child").end();
  }
  provider.shutdown();
  auto spans = store->spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->name, "child");
  EXPECT_EQ(spans[1]->name, "parent");
  EXPECT_EQ(spans[0]->parent_span_id, spans[1]->context.span_id());
  EXPECT_EQ(spans[0]->context.trace_id(), spans[1]->context.trace_id());
}

}  // namespace
}  // namespace agtel::exporter
