#include "agtel/export/console_span_exporter.hpp"

#include <pthread.h>
#include <signal.h>
#include <stdio_ext.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "agtel/diagnostics.hpp"
#include "export/console/format.hpp"

namespace agtel::exporter {
namespace {

constexpr std::string_view component = "console_exporter";
// The formatting buffer is kept between batches unless a batch made it larger than this.
constexpr size_t max_kept_buffer = 1 << 20;

// Blocks SIGPIPE on the calling thread while it lives, so that writing to a closed pipe
// fails with EPIPE instead of killing the process; a SIGPIPE raised meanwhile is consumed
// before the old mask returns. (The same technique as libcurl's sigpipe_ignore.)
class sigpipe_blocker {
 public:
  sigpipe_blocker() noexcept {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    // A SIGPIPE already pending belongs to someone else: leave it alone.
    was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~sigpipe_blocker() {
    if (!blocked_) return;
    if (!was_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
        const timespec no_wait{0, 0};
        int saved = errno;
        while (sigtimedwait(&pipe_, nullptr, &no_wait) == -1 && errno == EINTR) {
        }
        errno = saved;
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  sigpipe_blocker(const sigpipe_blocker&) = delete;
  sigpipe_blocker& operator=(const sigpipe_blocker&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool blocked_ = false;
};

bool want_color(const console_exporter_options& options, std::FILE* out) noexcept {
  if (options.color) return *options.color;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  const int fd = fileno(out);
  return fd >= 0 && isatty(fd) == 1;
}

class console_span_exporter final : public span_exporter {
 public:
  explicit console_span_exporter(const console_exporter_options& options)
      : out_(options.out ? options.out : stdout),
        format_(options.format),
        style_{want_color(options, out_), options.max_value_length} {}

  export_result export_spans(std::span<const trace::span_ptr> batch,
                             steady_time deadline) noexcept override {
    (void)deadline;  // a blocking write cannot be bounded; the processor abandons a hung export
    if (shut_down_.load(std::memory_order_acquire)) return export_result::failure;
    if (batch.empty()) return export_result::success;
    try {
      buffer_.clear();  // reused across batches: export_spans is never called concurrently
      if (format_ == console_format::json)
        console::append_json_lines(buffer_, batch);
      else
        console::append_tree(buffer_, batch, style_);
    } catch (...) {  // std::bad_alloc
      detail::diag(diag_level::error, component, "out of memory while formatting a batch");
      return export_result::failure;
    }
    const export_result result = write(buffer_);
    if (buffer_.capacity() > max_kept_buffer) std::string().swap(buffer_);  // one huge batch
    return result;
  }

  sdk_result force_flush(steady_time deadline) noexcept override {
    (void)deadline;
    if (shut_down_.load(std::memory_order_acquire)) return sdk_result::ok;
    return flush() ? sdk_result::ok : sdk_result::failure;
  }

  sdk_result shutdown(steady_time deadline) noexcept override {
    (void)deadline;
    if (shut_down_.exchange(true, std::memory_order_acq_rel)) return sdk_result::already_shutdown;
    return flush() ? sdk_result::ok : sdk_result::failure;  // the stream is not ours to close
  }

 private:
  export_result write(std::string_view data) noexcept {
    sigpipe_blocker blocker;
    errno = 0;
    int error = 0;
    if (std::fwrite(data.data(), 1, data.size(), out_) != data.size()) error = errno ? errno : EIO;
    if (std::fflush(out_) != 0 && error == 0) error = errno ? errno : EIO;
    if (error == 0) return export_result::success;
    report(error);
    return export_result::failure;
  }

  bool flush() noexcept {
    sigpipe_blocker blocker;
    errno = 0;
    if (std::fflush(out_) == 0) return true;
    report(errno ? errno : EIO);
    return false;
  }

  void report(int error) noexcept {
    // The batch is dropped, so are its bytes still in the stream's buffer: they must not
    // reach the next batch's output, or be written later outside the SIGPIPE guard.
    __fpurge(out_);
    std::clearerr(out_);  // a later batch may succeed (the disk was freed, say)
    char reason[128];
    const char* text = strerror_r(error, reason, sizeof reason);  // the GNU variant
    char message[192];
    std::snprintf(message, sizeof message, "cannot write spans: %s", text);
    detail::diag(diag_level::error, component, message);
  }

  std::FILE* out_;
  console_format format_;
  console::tree_style style_;
  std::string buffer_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace

std::unique_ptr<span_exporter> make_console_span_exporter(console_exporter_options options) {
  return std::make_unique<console_span_exporter>(options);
}

}  // namespace agtel::exporter
