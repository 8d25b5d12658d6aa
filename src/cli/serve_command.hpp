// `agtel serve`: the OTLP/HTTP and OTLP/gRPC receivers (src/server) in front of the store's writer
// (src/store), until SIGINT or SIGTERM.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace agtel::cli {

struct serve_options {
  std::string http = "127.0.0.1:4318";  // ADDR:PORT ([v6addr]:PORT); port 0 picks a free one
  // OTLP/gRPC: ADDR:PORT, or "off". Empty: 127.0.0.1:4317, or a free port when --http's
  // port is 0 (so that servers started for tests and scripts do not collide on 4317).
  std::string grpc;
  std::string db;                       // empty: default_db_path() (store_commands.hpp)
  std::string auth_token_file;          // empty: no authentication
  uint64_t max_body_bytes = 16u << 20;
  // Spans and log records older than this are deleted (at start, then every minute);
  // 0 keeps them forever.
  std::chrono::nanoseconds retain_traces = std::chrono::hours(24 * 7);
  std::chrono::nanoseconds retain_logs = std::chrono::hours(24 * 7);
  std::chrono::nanoseconds retain_metrics = std::chrono::hours(24 * 30);
};

// --retain-traces / --retain-logs: "0" (forever), a duration parse_duration_ns accepts
// ("90m", "12h") or whole days ("7d"); false on anything else or on overflow.
bool parse_retention(const std::string& text, std::chrono::nanoseconds& out);

// Splits "host:port" / "[v6]:port"; false on anything else (or a port above 65535).
bool parse_listen_address(const std::string& text, std::string& host, uint16_t& port);

// Prints one line saying where it listens and which store it writes, serves until SIGINT
// or SIGTERM, then stops accepting, lets the requests in flight finish, drains the writer
// and returns 0. Returns 2 (with a message on stderr) when the address is taken, the store
// cannot be opened or the token file is unusable.
int run_serve(const serve_options& options);

}  // namespace agtel::cli
