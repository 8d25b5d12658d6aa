#include "serve_command.hpp"

#include <signal.h>

#include <cerrno>
#include <cstdint>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <system_error>
#include <thread>
#include <sstream>

#include "server/otlp_grpc_receiver.hpp"
#include "server/otlp_http_receiver.hpp"
#include "store/store.hpp"
#include "store_commands.hpp"
#include "time_text.hpp"

namespace agtel::cli {

bool parse_listen_address(const std::string& text, std::string& host, uint16_t& port) {
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    host = text.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon) return false;
    host = text.substr(0, colon);
  }
  if (host.empty()) return false;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  unsigned value = 0;
  auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last || first == last || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

bool parse_retention(const std::string& text, std::chrono::nanoseconds& out) {
  if (text == "0") {
    out = std::chrono::nanoseconds(0);
    return true;
  }
  uint64_t ns = 0;
  if (!text.empty() && text.back() == 'd') {
    // Days as hours: the same number rules, and the overflow checked once more below.
    if (!parse_duration_ns(text.substr(0, text.size() - 1) + "h", ns)) return false;
    if (ns > UINT64_MAX / 24) return false;
    ns *= 24;
  } else if (!parse_duration_ns(text, ns)) {
    return false;
  }
  if (ns > static_cast<uint64_t>(INT64_MAX)) return false;
  out = std::chrono::nanoseconds(static_cast<int64_t>(ns));
  return true;
}

namespace {

// The token: the file's content without surrounding whitespace (a trailing newline).
bool read_token(const std::string& path, std::string& token, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the auth token file '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    error = "cannot read the auth token file '" + path + "'";
    return false;
  }
  std::string s = content.str();
  const char* space = " \t\r\n\f\v";
  const size_t begin = s.find_first_not_of(space);
  if (begin == std::string::npos) {
    error = "the auth token file '" + path + "' is empty: put the token in it";
    return false;
  }
  token = s.substr(begin, s.find_last_not_of(space) - begin + 1);
  for (char c : token) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      error = "the auth token in '" + path +
              "' contains spaces or control characters; a bearer token is one printable word";
      return false;
    }
  }
  return true;
}

}  // namespace

int run_serve(const serve_options& options) {
  server::receiver_options ro;
  if (!parse_listen_address(options.http, ro.host, ro.port)) {
    std::cerr << "agtel serve: --http expects ADDR:PORT (e.g. 127.0.0.1:4318 or [::1]:4318), got '"
              << options.http << "'\n";
    return 2;
  }
  ro.max_body_bytes = options.max_body_bytes;
  if (!options.auth_token_file.empty()) {
    std::string error;
    if (!read_token(options.auth_token_file, ro.bearer_token, error)) {
      std::cerr << "agtel serve: " << error << "\n";
      return 2;
    }
  }
  server::grpc_receiver_options go;
  const bool grpc_on = options.grpc != "off";
  if (options.grpc.empty()) {
    go.port = ro.port == 0 ? 0 : 4317;
  } else if (grpc_on && !parse_listen_address(options.grpc, go.host, go.port)) {
    std::cerr << "agtel serve: --grpc expects ADDR:PORT (e.g. 127.0.0.1:4317 or [::1]:4317) or "
                 "off, got '"
              << options.grpc << "'\n";
    return 2;
  }
  go.max_message_bytes = ro.max_body_bytes;
  go.bearer_token = ro.bearer_token;
  go.worker_threads = ro.worker_threads;
  go.commit_timeout = ro.commit_timeout;
  go.retry_after = ro.retry_after;
  store::writer_options wo;
  wo.path = options.db.empty() ? default_db_path() : options.db;
  wo.traces_max_age = options.retain_traces;
  wo.logs_max_age = options.retain_logs;
  wo.metrics_max_age = options.retain_metrics;
  wo.on_retention_error = [](std::string_view e) {
    std::cerr << "agtel serve: retention: " << e << " (tried again in a minute)\n";
  };

  // SIGINT and SIGTERM are blocked before any thread starts, so every thread inherits the
  // mask and only sigwait below receives them: no work happens in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::string error;
  std::unique_ptr<store::writer> writer = store::writer::open(wo, error);
  if (!writer) {
    std::cerr << "agtel serve: cannot open the store '" << wo.path << "': " << error << "\n";
    return 2;
  }
  server::otlp_http_receiver receiver(ro, *writer);
  if (!receiver.start(error)) {
    std::cerr << "agtel serve: " << error << " (use --http ADDR:PORT to choose another)\n";
    return 2;
  }
  // Declared after `receiver`, whose counters it shares: stopped and destroyed first.
  std::optional<server::otlp_grpc_receiver> grpc_receiver;
  if (grpc_on) {
    grpc_receiver.emplace(go, *writer, &receiver.metrics());
    if (!grpc_receiver->start(error)) {
      std::cerr << "agtel serve: " << error << " (use --grpc ADDR:PORT to choose another, or "
                << "--grpc off)\n";
      return 2;
    }
  }
  const bool v6 = ro.host.find(':') != std::string::npos;
  std::cout << "agtel serve: OTLP/HTTP on http://" << (v6 ? "[" : "") << ro.host << (v6 ? "]" : "")
            << ":" << receiver.port() << " (/v1/traces, /v1/logs, /v1/metrics), store "
            << writer->path() << (ro.bearer_token.empty() ? "" : ", bearer token required")
            << "\n";
  if (grpc_receiver) {
    const bool g6 = go.host.find(':') != std::string::npos;
    std::cout << "agtel serve: OTLP/gRPC on " << (g6 ? "[" : "") << go.host << (g6 ? "]" : "")
              << ":" << grpc_receiver->port() << " (grpc://, the OTLP Export services)\n";
  }
  std::cout << std::flush;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cerr << "agtel serve: " << (received == SIGINT ? "SIGINT" : "SIGTERM")
            << ": finishing the requests in flight\n";
  // Both stop accepting at once, then finish their calls in flight.
  std::thread grpc_stop;
  if (grpc_receiver) {
    try {
      grpc_stop = std::thread([&] { grpc_receiver->stop(); });
    } catch (const std::system_error&) {
      grpc_receiver->stop();
    }
  }
  receiver.stop();
  if (grpc_stop.joinable()) grpc_stop.join();
  const bool drained = writer->drain(std::chrono::seconds(30));
  const store::writer_stats stats = writer->stats();
  writer.reset();
  std::cerr << "agtel serve: stopped; " << stats.spans_stored << " spans and " << stats.logs_stored
            << " log records stored since start, " << stats.spans_deleted << " spans and "
            << stats.logs_deleted << " log records deleted by retention"
            << (drained ? "" : " (the store did not finish writing within 30 s)") << "\n";
  return drained ? 0 : 1;
}

}  // namespace agtel::cli
