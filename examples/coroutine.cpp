// C++20 coroutines: a coroutine that resumes on another thread must take its context with
// it, because the current span is per thread. Here the awaiter that moves the coroutine
// captures the context when the coroutine suspends and attaches it around resume() on the
// new thread, so spans started after each co_await have the right parent.
#include <unistd.h>

#include <condition_variable>
#include <coroutine>
#include <deque>
#include <exception>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>

#include "agtel/export/console_span_exporter.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

// One thread that runs posted jobs in order (nothing agtel-specific in it).
class executor {
 public:
  void post(std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

 private:
  void run(std::stop_token stop) {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        if (!ready_.wait(lock, stop, [&] { return !jobs_.empty(); })) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<std::function<void()>> jobs_;
  std::jthread thread_{[this](std::stop_token stop) { run(stop); }};  // last member
};

// `co_await resume_on{ex}` continues the coroutine on `ex`'s thread, in the same context.
struct resume_on {
  executor& ex;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    // Captured on the suspending thread; attached on the resuming one. The scope lasts
    // until the coroutine suspends again or finishes, i.e. exactly while it runs there.
    ex.post([h, ctx = agtel::context::current()] {
      auto scope = ctx.attach();
      h.resume();
    });
  }
  void await_resume() const noexcept {}
};

// A fire-and-forget coroutine: starts at once, frees its frame when it finishes.
struct task {
  struct promise_type {
    task get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

int64_t thread_id() {
  return static_cast<int64_t>(gettid());
}

// Note: never keep a context_scope (an activate() or attach() result) alive across a
// co_await. Scopes restore the previous context of the thread they were made on; after a
// hop that is the wrong thread. Activate inside blocks that do not suspend, as below.
task research(agtel::trace::tracer tracer, executor& io, executor& model, std::latch& done) {
  co_await resume_on{io};
  {
    // On the io thread, inside the caller's agent span.
    auto tool = tracer.start_span(
        "execute_tool web_search",
        {.attributes = {{"gen_ai.tool.name", "web_search"}, {"thread.id", thread_id()}}});
    auto active = tool.activate();  // fine: no co_await in this block
    tracer.start_span("GET", {.kind = agtel::trace::span_kind::client}).end();
  }
  co_await resume_on{model};
  {
    auto llm = tracer.start_span("chat gpt-4o", {.kind = agtel::trace::span_kind::client,
                                                 .attributes = {{"gen_ai.request.model", "gpt-4o"},
                                                                {"thread.id", thread_id()}}});
    llm.set_attribute("gen_ai.usage.output_tokens", 42);
  }
  done.count_down();
}

int main() {
  agtel::resource app;
  app.attributes.set("service.name", "coroutine_example");
  agtel::trace::tracer_provider_options options;
  options.resource = agtel::resource::sdk_default().merge(app);
  options.processors.push_back(std::make_unique<agtel::trace::batch_span_processor>(
      agtel::exporter::make_console_span_exporter()));
  auto provider = std::make_shared<agtel::trace::tracer_provider>(std::move(options));
  agtel::trace::tracer tracer = provider->get_tracer("coroutine_example");

  executor io, model;
  {
    auto agent =
        tracer.start_span("invoke_agent researcher", {.attributes = {{"thread.id", thread_id()}}});
    auto active = agent.activate();
    std::latch done(1);
    research(tracer, io, model, done);  // runs until its first co_await, then returns
    done.wait();
  }

  provider->shutdown();  // one trace: agent → web_search (→ GET) and chat, three threads
  return 0;
}
