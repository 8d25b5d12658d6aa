#include "export/file/jsonl_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <vector>

#include "agtel/diagnostics.hpp"

namespace agtel::exporter::detail {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view component = "jsonl_exporter";
constexpr std::string_view extension = ".jsonl";
constexpr size_t time_length = 16;  // 20261123T120000Z

// "20261123T120000Z" for the wall-clock time now.
std::string utc_stamp() {
  const std::time_t t = static_cast<std::time_t>(realtime_ns() / 1000000000u);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  size_t n = std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(buf, n);
}

// True for "<stem><16-char time>-<digits>.jsonl": only files this exporter could have
// written are ever deleted.
bool is_ours(std::string_view name, std::string_view stem) {
  if (name.size() < stem.size() + time_length + 2 + extension.size()) return false;
  if (name.substr(0, stem.size()) != stem) return false;
  if (name.substr(name.size() - extension.size()) != extension) return false;
  std::string_view rest = name.substr(stem.size(), name.size() - stem.size() - extension.size());
  if (rest[8] != 'T' || rest[time_length - 1] != 'Z' || rest[time_length] != '-') return false;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (i == 8 || i == time_length - 1 || i == time_length) continue;
    if (rest[i] < '0' || rest[i] > '9') return false;
  }
  return true;
}

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

jsonl_file::jsonl_file(jsonl_exporter_options options, std::string_view signal)
    : options_(std::move(options)), stem_(options_.file_prefix + "-" + std::string(signal) + "-") {}

jsonl_file::~jsonl_file() { close_fd(); }

void jsonl_file::report(error_kind kind, std::string_view what, std::string_view path,
                        std::string_view reason) noexcept {
  write_errors_.fetch_add(1, std::memory_order_relaxed);
  if (reported_[static_cast<int>(kind)].exchange(true)) return;
  try {
    std::string message;
    message.append(what).append(" '").append(path).append("': ").append(reason);
    message += " (later errors of this kind are counted in stats(), not reported)";
    agtel::detail::diag(diag_level::error, component, message);
  } catch (...) {  // no memory for the message: the count stands
  }
}

bool jsonl_file::rotation_due(size_t line_size) const noexcept {
  if (size_ > 0 && size_ + line_size > options_.max_file_bytes) return true;
  return options_.rotate_interval.count() > 0 &&
         std::chrono::steady_clock::now() - opened_at_ >= options_.rotate_interval;
}

bool jsonl_file::open_next() noexcept {
  try {
    std::error_code ec;
    const fs::path dir = options_.directory.empty() ? fs::path(".") : fs::path(options_.directory);
    fs::create_directories(dir, ec);
    if (ec) {
      report(error_kind::directory, "cannot create directory", dir.string(), ec.message());
      return false;
    }
    char seq[16];
    std::snprintf(seq, sizeof seq, "%04u", ++sequence_);
    const fs::path path = dir / (stem_ + utc_stamp() + "-" + seq + std::string(extension));
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int err = errno;
      report(error_kind::open, "cannot open", path.string(), errno_text(err));
      return false;
    }
    struct stat st {};
    size_ = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
    fd_ = fd;
    opened_at_ = std::chrono::steady_clock::now();
    files_opened_.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(path_mutex_);
      current_path_ = path.string();
    }
    prune();
    return true;
  } catch (...) {  // allocation failure while building names
    return false;
  }
}

void jsonl_file::prune() noexcept {
  if (options_.max_files == 0) return;
  try {
    std::error_code ec;
    const fs::path dir = options_.directory.empty() ? fs::path(".") : fs::path(options_.directory);
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (is_ours(name, stem_)) names.push_back(std::move(name));
    }
    if (names.size() <= options_.max_files) return;
    std::sort(names.begin(), names.end());
    const std::string current = fs::path(current_path()).filename().string();
    size_t excess = names.size() - options_.max_files;
    for (const std::string& name : names) {
      if (excess == 0) break;
      if (name == current) continue;  // (after a wall-clock step back it may sort first)
      if (fs::remove(dir / name, ec) && !ec) {
        files_deleted_.fetch_add(1, std::memory_order_relaxed);
      } else if (ec) {
        report(error_kind::remove, "cannot delete", (dir / name).string(), ec.message());
      }
      --excess;
    }
  } catch (...) {
  }
}

void jsonl_file::close_fd() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::lock_guard lock(path_mutex_);
  current_path_.clear();
}

bool jsonl_file::append(std::string_view line) noexcept {
  if (closed_) {
    batches_failed_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  if (fd_ >= 0 && rotation_due(line.size())) close_fd();
  if (fd_ < 0 && !open_next()) {
    batches_failed_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int err = n < 0 ? errno : ENOSPC;
    // Cut a torn line back, so that every line of the file stays a whole JSON object; the
    // next batch starts a new file.
    if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      // Nothing more to do: the line is reported, and readers skip a torn last line.
    }
    try {
      report(error_kind::write, "cannot write to", current_path(), errno_text(err));
    } catch (...) {
    }
    close_fd();
    batches_failed_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  size_ += line.size();
  bytes_written_.fetch_add(line.size(), std::memory_order_relaxed);
  batches_written_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

bool jsonl_file::sync() noexcept {
  if (fd_ < 0 || ::fdatasync(fd_) == 0) return true;
  const int err = errno;
  try {
    report(error_kind::sync, "cannot sync", current_path(), errno_text(err));
  } catch (...) {
  }
  return false;
}

sdk_result jsonl_file::shutdown() noexcept {
  if (closed_) return sdk_result::already_shutdown;
  closed_ = true;
  const bool synced = sync();
  close_fd();
  return synced ? sdk_result::ok : sdk_result::failure;
}

jsonl_exporter_stats jsonl_file::stats() const noexcept {
  jsonl_exporter_stats s;
  s.batches_written = batches_written_.load(std::memory_order_relaxed);
  s.bytes_written = bytes_written_.load(std::memory_order_relaxed);
  s.batches_failed = batches_failed_.load(std::memory_order_relaxed);
  s.write_errors = write_errors_.load(std::memory_order_relaxed);
  s.files_opened = files_opened_.load(std::memory_order_relaxed);
  s.files_deleted = files_deleted_.load(std::memory_order_relaxed);
  return s;
}

std::string jsonl_file::current_path() const {
  std::lock_guard lock(path_mutex_);
  return current_path_;
}

}  // namespace agtel::exporter::detail
