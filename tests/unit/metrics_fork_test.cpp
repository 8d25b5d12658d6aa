// fork() with a running periodic metric reader: the child gets a fresh export thread that
// collects, flushes and shuts down; the parent's measurements from before the fork are
// not exported again by the child (delta reader); neither process deadlocks; and the
// parent's reader carries on unaffected.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "support/fork_safety.hpp"

namespace agtel::metrics {
namespace {

using namespace std::chrono_literals;

// The sum of the counter "forked.requests" over every exported collection.
int64_t exported_total(const exporter::in_memory_metric_store& store) {
  int64_t total = 0;
  for (const auto& rm : store.collections()) {
    const metric_data* m = exporter::find_metric(rm, "forked.requests");
    if (m == nullptr) continue;
    for (const auto& p : std::get<sum_data>(m->data).points) total += std::get<int64_t>(p.value);
  }
  return total;
}

TEST(MetricsFork, ChildExportsOnlyItsOwnMeasurementsOnAFreshThread) {
  AGTEL_SKIP_FORK_WITH_THREADS_UNDER_ASAN();
  auto store = std::make_shared<exporter::in_memory_metric_store>();
  auto reader = std::make_shared<periodic_metric_reader>(
      std::make_unique<exporter::in_memory_metric_exporter>(store, delta_temporality),
      periodic_metric_reader_options{.interval = 1h});
  meter_provider_options o;
  o.readers.push_back(reader);
  meter_provider provider(std::move(o));
  auto requests = provider.get_meter("fork").create_counter<int64_t>("forked.requests");
  requests.add(5);  // recorded, not exported yet
  // A flush in flight in another thread must not leave a lock held in the child.
  std::thread flusher([&] {
    for (int i = 0; i < 20; ++i) reader->force_flush(1s);
  });

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int code = 0;
    const int64_t before = exported_total(*store);  // the parent's, copied by fork
    requests.add(3);
    if (reader->force_flush(5s) != sdk_result::ok) code = 10;  // needs the fresh thread
    if (exported_total(*store) - before != 3) code = 11;       // not the parent's 5 again
    requests.add(2);
    if (reader->shutdown(5s) != sdk_result::ok) code = 12;  // the final collection
    if (exported_total(*store) - before != 5) code = 13;
    _exit(code);
  }
  flusher.join();
  requests.add(1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child failed check " << WEXITSTATUS(status);

  ASSERT_EQ(reader->force_flush(5s), sdk_result::ok);
  EXPECT_EQ(exported_total(*store), 6) << "the parent exports its own 5 + 1, once";
}

TEST(MetricsFork, PeriodicExportRunsInTheChild) {
  AGTEL_SKIP_FORK_WITH_THREADS_UNDER_ASAN();
  auto store = std::make_shared<exporter::in_memory_metric_store>();
  auto reader = std::make_shared<periodic_metric_reader>(
      std::make_unique<exporter::in_memory_metric_exporter>(store),
      periodic_metric_reader_options{.interval = 20ms});
  meter_provider_options o;
  o.readers.push_back(reader);
  meter_provider provider(std::move(o));
  provider.get_meter("fork").create_counter<int64_t>("forked.requests").add(1);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const size_t before = store->size();
    // No flush: only the child's own timer can export.
    for (int i = 0; i < 250 && store->size() < before + 3; ++i) usleep(20'000);
    _exit(store->size() >= before + 3 ? 0 : 20);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the child's reader never exported on its own";
}

}  // namespace
}  // namespace agtel::metrics
