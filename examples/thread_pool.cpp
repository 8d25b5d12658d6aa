// Thread pools: the current span is per thread, so a task submitted to a pool must carry
// the submitter's context and attach it on the worker. Then the tool spans started by the
// workers nest under the agent span instead of each starting a new trace.
#include <condition_variable>
#include <deque>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agtel/export/console_span_exporter.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

// A minimal fixed-size pool (nothing agtel-specific in it).
class thread_pool {
 public:
  explicit thread_pool(int threads) {
    for (int i = 0; i < threads; ++i)
      workers_.emplace_back([this](std::stop_token stop) { run(stop); });
  }
  void submit(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void run(std::stop_token stop) {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        if (!ready_.wait(lock, stop, [&] { return !tasks_.empty(); })) return;  // stopping
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::jthread> workers_;  // last: stopped and joined first
};

// The whole trick: capture the context where the task is created, attach it where the
// task runs. The scope restores the worker's own context when the task returns.
template <class F>
std::function<void()> with_current_context(F f) {
  return [ctx = agtel::context::current(), f = std::move(f)]() mutable {
    auto scope = ctx.attach();
    f();
  };
}

int main() {
  agtel::resource app;
  app.attributes.set("service.name", "thread_pool_example");
  agtel::trace::tracer_provider_options options;
  options.resource = agtel::resource::sdk_default().merge(app);
  options.processors.push_back(std::make_unique<agtel::trace::batch_span_processor>(
      agtel::exporter::make_console_span_exporter()));
  auto provider = std::make_shared<agtel::trace::tracer_provider>(std::move(options));
  agtel::trace::tracer tracer = provider->get_tracer("thread_pool_example");

  thread_pool pool(2);
  {
    auto agent = tracer.start_span("invoke_agent researcher",
                                   {.attributes = {{"gen_ai.agent.name", "researcher"}}});
    auto active = agent.activate();

    const std::vector<std::string> tools{"web_search", "read_file", "run_query"};
    std::latch done(static_cast<std::ptrdiff_t>(tools.size()));
    for (const std::string& tool : tools) {
      pool.submit(with_current_context([&tracer, &done, tool] {
        // On a worker thread: the attached context makes the agent span the parent.
        auto span =
            tracer.start_span("execute_tool " + tool, {.attributes = {{"gen_ai.tool.name", tool}}});
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        span.end();  // end before signalling, so the agent span ends last
        done.count_down();
      }));
    }
    done.wait();  // the agent run lasts until its tools are done
  }

  provider->shutdown();  // prints one trace: the agent with three tool spans under it
  return 0;
}
