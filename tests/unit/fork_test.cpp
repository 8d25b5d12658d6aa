// fork() with a running batch processor: the child records and exports its own spans
// (with a fresh export thread), does not re-export the parent's queued spans, does not
// deadlock, and generates ids different from the parent's.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "support/fork_safety.hpp"
#include "support/test_exporter.hpp"

namespace agtel::trace {
namespace {

using namespace std::chrono_literals;

TEST(fork, child_gets_working_processor_and_distinct_ids) {
  AGTEL_SKIP_FORK_WITH_THREADS_UNDER_ASAN();
  auto ctl = std::make_shared<test::exporter_control>();
  auto* bsp =
      new batch_span_processor(std::make_unique<test::test_exporter>(ctl), {.schedule_delay = 1h});
  tracer_provider_options o;
  o.processors.emplace_back(bsp);
  tracer_provider provider(std::move(o));
  auto t = provider.get_tracer("fork");
  for (int i = 0; i < 5; ++i) t.start_span("parent-queued").end();  // queued, not exported yet

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    span_id ids[16];
    for (auto& id : ids) {
      auto s = t.start_span("child");
      id = s.context().span_id();
    }
    if (write(fds[1], ids, sizeof ids) != static_cast<ssize_t>(sizeof ids)) code = 10;
    if (provider.force_flush(5s) != sdk_result::ok) code = 11;
    size_t child_spans = 0, parent_spans = 0;
    for (const auto& s : ctl->items) (s->name == "child" ? child_spans : parent_spans)++;
    if (child_spans != 16) code = 12;
    if (parent_spans != 0) code = 13;
    if (provider.shutdown(5s) != sdk_result::ok) code = 14;
    _exit(code);
  }
  close(fds[1]);
  span_id parent_ids[16];
  for (auto& id : parent_ids) id = t.start_span("after-fork").context().span_id();
  span_id child_ids[16];
  ASSERT_EQ(read(fds[0], child_ids, sizeof child_ids), static_cast<ssize_t>(sizeof child_ids));
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "child failed check " << WEXITSTATUS(status);
  for (auto& c : child_ids)
    for (auto& p : parent_ids) EXPECT_NE(c, p) << "parent and child generated the same id";

  EXPECT_EQ(provider.force_flush(5s), sdk_result::ok);
  EXPECT_EQ(ctl->size(), 5u + 16u) << "the parent's exports must be unaffected by the fork";
}

}  // namespace
}  // namespace agtel::trace
