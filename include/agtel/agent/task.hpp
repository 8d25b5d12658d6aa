// A task that waits in a queue before a worker runs it.
//
//   agtel::agent::queued_task t("embed", {.priority = "high"});   // on the submitting thread
//   pool.submit([t = std::move(t)]() mutable {
//     auto run = t.start();                                     // on the worker
//     ...
//   });
//
// Queuing adds 1 to task.queue.size {priority} and starts the span `task {type}`
// (INTERNAL; task.type, task.id, priority) under the submitter's current span; start()
// takes 1 off the queue size, adds a task.started event and task.queue_time (seconds), and
// makes the span current on the worker. The end records task.duration {task.type,
// error.type} (start to finish, without the wait). A task destroyed without being started
// leaves the queue and fails with error.type "cancelled".
#pragma once

#include <string>
#include <string_view>

#include "agtel/agent/operation.hpp"

namespace agtel::agent {

struct task_options {
  std::string_view id{};                 // task.id (span only)
  std::string_view priority = "normal";  // metric attribute: keep it to a few values
  const agtel::context* parent = nullptr;
};

class task_run;

// Movable: hand it to the thread that will run the task.
class queued_task {
 public:
  explicit queued_task(std::string_view type, const task_options& options = {}) noexcept;
  queued_task(queued_task&& other) noexcept;
  queued_task& operator=(queued_task&&) = delete;
  ~queued_task();

  // Starts the task on the calling thread. Call once; later calls return a task_run that
  // records nothing.
  task_run start() noexcept;

 private:
  friend class task_run;
  const detail::instruments* ins_;
  trace::span span_;
  std::string type_, priority_;
  timestamp_ns queued_at_;
  bool pending_;
};

class task_run final : public operation {
 public:
  ~task_run();

 private:
  friend class queued_task;
  explicit task_run(queued_task& task) noexcept;
  std::string type_;
  bool live_;
};

}  // namespace agtel::agent
