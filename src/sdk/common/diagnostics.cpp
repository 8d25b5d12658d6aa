// The diagnostic handler, its rate limiter and the OTEL_LOG_LEVEL reading.
//
// One mutex guards the handler and the per-component windows: diagnostics are rare (they
// report problems), so the only path that must be cheap is the level check, one relaxed
// atomic load before anything else.
#include "agtel/diagnostics.hpp"

#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace agtel {
namespace {

constexpr uint32_t max_per_window = 10;
constexpr std::chrono::seconds window_length{10};
// Components are normally a handful of string literals; the table is bounded anyway so
// that a caller building component names dynamically cannot grow it without limit.
constexpr size_t max_components = 64;

struct component_window {
  std::string name;
  std::chrono::steady_clock::time_point start;
  uint32_t emitted = 0;
  uint32_t suppressed = 0;
  diag_level worst_suppressed = diag_level::debug;
};

struct diag_state {
  std::mutex mutex;
  std::shared_ptr<const diag_handler> handler;  // null: the stderr handler
  std::vector<component_window> windows;
  detail::diag_clock clock = nullptr;
};

// Set while this thread is inside the handler: a diagnostic the handler itself reports is
// dropped instead of recursing (or deadlocking on the mutex).
thread_local bool t_in_handler = false;

diag_state& state();

// fork() while another thread holds the mutex would leave it locked forever in the child:
// the handlers below take it around fork() (unless this thread already holds it, inside a
// handler), so the child starts with it free.
void before_fork() noexcept {
  if (!t_in_handler) state().mutex.lock();
}
void after_fork() noexcept {
  if (!t_in_handler) state().mutex.unlock();
}

diag_state& state() {
  static diag_state* s = [] {
    auto* created = new diag_state;  // leaked: diagnostics work until the very end
    ::pthread_atfork(before_fork, after_fork, after_fork);
    return created;
  }();
  return *s;
}

// -1: not resolved yet (OTEL_LOG_LEVEL is read on first use); else a diag_level.
std::atomic<int> g_min_level{-1};

std::chrono::steady_clock::time_point now(const diag_state& s) noexcept {
  return s.clock ? s.clock() : std::chrono::steady_clock::now();
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// A bounded line: text past the capacity is cut and marked with "...", and control bytes
// are escaped as \xNN so that one message is always one line.
class line_buffer {
 public:
  void append(std::string_view in) noexcept {
    static constexpr char hex[] = "0123456789abcdef";
    if (cut_) return;
    for (char c : in) {
      auto u = static_cast<unsigned char>(c);
      bool control = u < 0x20 || u == 0x7f;
      if (pos_ + (control ? 4 : 1) > body_cap) {
        cut_ = true;
        return;
      }
      if (control) {
        buf_[pos_++] = '\\';
        buf_[pos_++] = 'x';
        buf_[pos_++] = hex[u >> 4];
        buf_[pos_++] = hex[u & 0xf];
      } else {
        buf_[pos_++] = c;
      }
    }
  }
  // Ends the line; returns its length.
  size_t finish() noexcept {
    if (cut_)
      for (int i = 0; i < 3; ++i) buf_[pos_++] = '.';
    buf_[pos_++] = '\n';
    return pos_;
  }
  const char* data() const noexcept { return buf_; }

 private:
  static constexpr size_t cap = 2048;
  static constexpr size_t body_cap = cap - 4;  // room for "...\n"
  char buf_[cap];
  size_t pos_ = 0;
  bool cut_ = false;
};

// The default handler: "agtel: <level>: <component>: <message>\n" in one write(2).
void write_to_stderr(diag_level level, std::string_view component,
                     std::string_view message) noexcept {
  line_buffer line;
  line.append("agtel: ");
  line.append(to_string(level));
  line.append(": ");
  line.append(component);
  line.append(": ");
  line.append(message);
  size_t n = line.finish();
  ssize_t r;
  do {
    r = ::write(STDERR_FILENO, line.data(), n);
  } while (r < 0 && errno == EINTR);
}

// Calls the handler; the caller holds the mutex.
void emit(diag_state& s, diag_level level, std::string_view component,
          std::string_view message) noexcept {
  t_in_handler = true;
  try {
    // A local reference keeps the handler alive even if it replaces itself while running.
    std::shared_ptr<const diag_handler> h = s.handler;
    if (h)
      (*h)(level, component, message);
    else
      write_to_stderr(level, component, message);
  } catch (...) {
    // A handler must not throw; if it does, the message is lost, never the application.
  }
  t_in_handler = false;
}

void emit_suppressed(diag_state& s, component_window& w) noexcept {
  if (w.suppressed == 0) return;
  char text[96];
  std::snprintf(text, sizeof text, "%u messages suppressed (more than %u in %lld s)",
                static_cast<unsigned>(w.suppressed), static_cast<unsigned>(max_per_window),
                static_cast<long long>(window_length.count()));
  emit(s, w.worst_suppressed, w.name, text);
  w.suppressed = 0;
  w.worst_suppressed = diag_level::debug;
}

// The window for `component`, created (evicting the oldest when the table is full) if
// needed. Null only when out of memory.
component_window* find_window(diag_state& s, std::string_view component,
                              std::chrono::steady_clock::time_point t) noexcept {
  for (auto& w : s.windows)
    if (w.name == component) return &w;
  try {
    if (s.windows.size() >= max_components) {
      size_t oldest = 0;
      for (size_t i = 1; i < s.windows.size(); ++i)
        if (s.windows[i].start < s.windows[oldest].start) oldest = i;
      emit_suppressed(s, s.windows[oldest]);
      s.windows.erase(s.windows.begin() + static_cast<std::ptrdiff_t>(oldest));
    }
    s.windows.push_back(component_window{std::string(component), t, 0, 0, diag_level::debug});
    return &s.windows.back();
  } catch (...) {
    return nullptr;
  }
}

// At exit, the stderr handler still says how many messages it suppressed: a burst of
// configuration problems at start-up would otherwise end in silence. A custom handler is
// not called this late (what it captures may already be destroyed), and a thread still
// inside diag (holding the mutex) makes this step give up rather than wait.
struct flush_at_exit {
  ~flush_at_exit() {
    auto& s = state();
    std::unique_lock lock(s.mutex, std::try_to_lock);
    if (!lock.owns_lock() || s.handler) return;
    for (auto& w : s.windows) emit_suppressed(s, w);
  }
};
flush_at_exit g_flush_at_exit;

diag_level resolve_level() noexcept {
  int v = g_min_level.load(std::memory_order_relaxed);
  if (v >= 0) return static_cast<diag_level>(v);

  diag_level from_env = diag_level::info;
  bool invalid = false;
  std::string_view text;
  if (const char* env = std::getenv("OTEL_LOG_LEVEL"); env && *env) {
    text = env;
    if (iequals(text, "debug"))
      from_env = diag_level::debug;
    else if (iequals(text, "info"))
      from_env = diag_level::info;
    else if (iequals(text, "warn"))
      from_env = diag_level::warning;
    else if (iequals(text, "error"))
      from_env = diag_level::error;
    else if (iequals(text, "none"))
      from_env = diag_level::none;
    else
      invalid = true;
  }
  int expected = -1;
  // Only the first resolver stores (and reports); a level set in code meanwhile wins.
  if (g_min_level.compare_exchange_strong(expected, static_cast<int>(from_env),
                                          std::memory_order_relaxed)) {
    if (invalid) {
      std::string msg;
      try {
        msg = "OTEL_LOG_LEVEL: unknown level '";
        msg.append(text.substr(0, 64));
        msg += "' (expected debug, info, warn, error or none); using info";
      } catch (...) {
      }
      detail::diag(diag_level::warning, "config", msg);
    }
    return from_env;
  }
  return static_cast<diag_level>(expected);
}

}  // namespace

std::string_view to_string(diag_level level) noexcept {
  switch (level) {
    case diag_level::debug:
      return "debug";
    case diag_level::info:
      return "info";
    case diag_level::warning:
      return "warn";
    case diag_level::error:
      return "error";
    case diag_level::none:
      return "none";
  }
  return "?";
}

void set_diagnostic_handler(diag_handler handler) noexcept {
  std::shared_ptr<const diag_handler> h;
  try {
    if (handler) h = std::make_shared<const diag_handler>(std::move(handler));
  } catch (...) {
    detail::diag(diag_level::error, "diagnostics", "out of memory installing a handler");
    return;
  }
  auto& s = state();
  if (t_in_handler) {
    // Called from inside the handler: this thread already holds the mutex (in diag).
    s.handler.swap(h);
    return;  // the running handler is kept alive by emit's own reference
  }
  {
    std::lock_guard lock(s.mutex);
    s.handler.swap(h);
  }
  // `h`, the old handler, is released here, outside the lock (its destructor may report).
}

void set_diagnostic_level(diag_level min_level) noexcept {
  g_min_level.store(static_cast<int>(min_level), std::memory_order_relaxed);
}

diag_level diagnostic_level() noexcept {
  return resolve_level();
}

namespace detail {

void diag(diag_level level, std::string_view component, std::string_view message) noexcept {
  if (level == diag_level::none) return;
  if (static_cast<int>(level) < static_cast<int>(resolve_level())) return;
  if (t_in_handler) return;

  auto& s = state();
  std::lock_guard lock(s.mutex);
  const auto t = now(s);
  component_window* w = find_window(s, component, t);
  if (!w) {  // out of memory: report unthrottled rather than lose the message
    emit(s, level, component, message);
    return;
  }
  if (t - w->start >= window_length) {
    emit_suppressed(s, *w);
    w->start = t;
    w->emitted = 0;
  }
  if (w->emitted < max_per_window) {
    ++w->emitted;
    emit(s, level, component, message);
  } else {
    ++w->suppressed;
    if (level > w->worst_suppressed) w->worst_suppressed = level;
  }
}

void reset_diagnostics_for_testing(diag_clock clock) noexcept {
  auto& s = state();
  {
    std::lock_guard lock(s.mutex);
    s.windows.clear();
    s.clock = clock;
  }
  g_min_level.store(-1, std::memory_order_relaxed);
}

}  // namespace detail

}  // namespace agtel
