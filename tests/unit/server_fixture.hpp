// Shared set-up of the receiver tests: a real store::writer on a SQLite file in a fresh
// temporary directory, the OTLP/HTTP receiver on a free loopback port in front of it, and
// helpers to POST what real clients send (gzip included) with httplib::Client.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "server/otlp_http_receiver.hpp"
#include "store/store.hpp"

namespace agtel::test {

inline std::string gzip(std::string_view data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// `inflated` zero bytes as one gzip member, compressed a MiB at a time (never holding the
// inflated size in memory). Deflate tops out near 1:1030, so 1 GiB becomes about 1 MiB.
inline std::string gzip_bomb(size_t inflated) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE), Z_OK);  // RLE: fast on zeros
  const std::string zeros(1 << 20, '\0');
  std::string out;
  char buf[1 << 16];
  size_t left = inflated;
  int flush = Z_NO_FLUSH;
  do {
    const size_t n = std::min(left, zeros.size());
    left -= n;
    flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(n);
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      deflate(&z, flush);
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&z);
  return out;
}

class temp_dir {
 public:
  temp_dir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("agtel-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A writer and a receiver; options can be adjusted before start().
struct receiver_env {
  temp_dir dir;
  store::writer_options writer_options;
  server::receiver_options options;
  std::unique_ptr<store::writer> writer;
  std::unique_ptr<server::otlp_http_receiver> receiver;

  receiver_env() {
    writer_options.path = dir.file("agtel.db");
    options.port = 0;
    options.read_timeout = std::chrono::milliseconds(2000);
  }
  ~receiver_env() { stop(); }

  void start() {
    std::string error;
    writer = store::writer::open(writer_options, error);
    ASSERT_TRUE(writer) << error;
    receiver = std::make_unique<server::otlp_http_receiver>(options, *writer);
    ASSERT_TRUE(receiver->start(error)) << error;
    ASSERT_NE(receiver->port(), 0);
  }
  void stop() {
    if (receiver) receiver->stop();
    receiver.reset();
    if (writer) writer->drain(std::chrono::seconds(10));
    writer.reset();
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", receiver->port());
    c.set_connection_timeout(std::chrono::seconds(5));
    c.set_read_timeout(std::chrono::seconds(60));
    c.set_write_timeout(std::chrono::seconds(60));
    return c;
  }

  // POSTs `body` (gzipped first when `gzipped`); the Content-Type is given as is.
  httplib::Result post(const std::string& path, const std::string& content_type, std::string body,
                       bool gzipped = false, httplib::Headers headers = {}) const {
    if (gzipped) {
      body = gzip(body);
      headers.emplace("Content-Encoding", "gzip");
    }
    httplib::Client c = client();
    return c.Post(path.c_str(), headers, body, content_type.c_str());
  }

  std::unique_ptr<store::reader> reader() const {
    std::string error;
    auto r = store::reader::open(writer_options.path, error);
    EXPECT_TRUE(r) << error;
    return r;
  }
};

}  // namespace agtel::test
