// The OTLP/HTTP receiver under bad and hostile input, over real loopback HTTP: each gets
// the right status and a Status body in the request's encoding, the server keeps
// answering, and what was accepted before is all still there.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sqlite3.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include "otlp/codec.hpp"
#include "support/otlp_fixtures.hpp"
#include "unit/server_fixture.hpp"

namespace agtel::test {
namespace {

using namespace std::chrono_literals;

std::string fixture_traces_protobuf() {
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  return body;
}

std::string fixture_traces_json() {
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_json(f.spans, body);
  return body;
}

// A Status body in JSON: {"code":N,"message":"..."}; returns the message.
std::string json_status_message(const httplib::Response& res) {
  EXPECT_EQ(res.get_header_value("Content-Type"), "application/json");
  const std::string key = "\"message\":\"";
  const size_t at = res.body.find(key);
  EXPECT_NE(at, std::string::npos) << res.body;
  if (at == std::string::npos) return {};
  return res.body.substr(at + key.size());
}

// A google.rpc.Status in protobuf: field 1 code (varint), field 2 message.
struct rpc_status {
  int code = -1;
  std::string message;
};
rpc_status protobuf_status(const httplib::Response& res) {
  EXPECT_EQ(res.get_header_value("Content-Type"), "application/x-protobuf");
  rpc_status s;
  const std::string& b = res.body;
  size_t i = 0;
  while (i < b.size()) {
    const uint8_t tag = static_cast<uint8_t>(b[i++]);
    if (tag == 0x08) {
      s.code = static_cast<uint8_t>(b[i++]);
    } else if (tag == 0x12) {
      size_t len = 0, shift = 0;
      while (i < b.size()) {
        const uint8_t byte = static_cast<uint8_t>(b[i++]);
        len |= size_t{byte & 0x7fu} << shift;
        shift += 7;
        if (!(byte & 0x80)) break;
      }
      s.message = b.substr(i, len);
      i += len;
    } else {
      ADD_FAILURE() << "unexpected tag " << int(tag);
      break;
    }
  }
  return s;
}

// Everything the bad requests below must not have disturbed: the server answers, and the
// batch accepted first is all in the store.
void expect_still_serving(receiver_env& env, uint64_t spans_before) {
  httplib::Client c = env.client();
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h) << "the server stopped answering";
  EXPECT_EQ(h->status, 200);
  EXPECT_EQ(env.writer->stats().spans_stored, spans_before);
  auto reader = env.reader();
  ASSERT_TRUE(reader);
  store::store_status st;
  std::string error;
  ASSERT_TRUE(reader->status(st, error)) << error;
  EXPECT_EQ(st.spans, spans_before);
}

class server_bad_input : public testing::Test {
 protected:
  void SetUp() override {
    env_.options.max_body_bytes = 2 << 20;
    env_.start();
    auto res = env_.post("/v1/traces", "application/x-protobuf", fixture_traces_protobuf());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    stored_ = env_.writer->stats().spans_stored;
    ASSERT_GT(stored_, 0u);
  }
  void TearDown() override { expect_still_serving(env_, stored_); }

  receiver_env env_;
  uint64_t stored_ = 0;
};

TEST_F(server_bad_input, truncated_protobuf_is_400_with_a_protobuf_status) {
  const std::string whole = fixture_traces_protobuf();
  for (size_t cut : {size_t{1}, whole.size() / 3, whole.size() / 2, whole.size() - 1}) {
    auto res = env_.post("/v1/traces", "application/x-protobuf", whole.substr(0, cut));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << cut;
    const rpc_status s = protobuf_status(*res);
    EXPECT_EQ(s.code, 3);  // INVALID_ARGUMENT
    EXPECT_NE(s.message.find("invalid OTLP/protobuf export request: "), std::string::npos)
        << s.message;
  }
}

TEST_F(server_bad_input, random_protobuf_is_400) {
  std::mt19937 rng(7);
  int rejected = 0;
  for (int i = 0; i < 50; ++i) {
    std::string junk(64 + rng() % 2000, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    for (const char* path : {"/v1/traces", "/v1/logs", "/v1/metrics"}) {
      auto res = env_.post(path, "application/x-protobuf", junk);
      ASSERT_TRUE(res);
      // Random bytes are almost never a valid request (with this seed, a few decode as an
      // empty or span-less one, answered 200); never a crash or a 5xx.
      EXPECT_TRUE(res->status == 400 || res->status == 200) << res->status;
      rejected += res->status == 400;
    }
  }
  EXPECT_GT(rejected, 140);
}

TEST_F(server_bad_input, invalid_json_is_400_with_a_json_status) {
  const std::string whole = fixture_traces_json();
  for (const std::string& body :
       {whole.substr(0, whole.size() / 2), std::string("{\"resourceSpans\": [}"),
        std::string("not json"), std::string("[1,2,3]")}) {
    auto res = env_.post("/v1/traces", "application/json", body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_NE(json_status_message(*res).find("invalid OTLP/JSON export request: "),
              std::string::npos)
        << res->body;
    EXPECT_NE(res->body.find("\"code\":3"), std::string::npos) << res->body;
  }
}

TEST_F(server_bad_input, ids_of_the_wrong_length_are_400) {
  const std::string span =
      R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%T","spanId":"%S","name":"x",)"
      R"("startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]})";
  auto with = [&](const std::string& trace, const std::string& span_id) {
    std::string s = span;
    s.replace(s.find("%T"), 2, trace);
    s.replace(s.find("%S"), 2, span_id);
    return s;
  };
  const std::string good_trace(32, 'a'), good_span(16, 'b');
  for (const std::string& body :
       {with(std::string(30, 'a'), good_span), with(std::string(34, 'a'), good_span),
        with(good_trace, std::string(15, 'b')), with(good_trace, std::string(18, 'b'))}) {
    auto res = env_.post("/v1/traces", "application/json", body);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_NE(json_status_message(*res).find("Id"), std::string::npos) << res->body;
  }
  // The same body with ids of the right length is stored: the test above checks the ids.
  auto ok = env_.post("/v1/traces", "application/json", with(good_trace, good_span));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  stored_ += 1;
}

TEST_F(server_bad_input, invalid_utf8_is_400) {
  const std::string body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" +
                           std::string(32, 'a') + "\",\"spanId\":\"" + std::string(16, 'b') +
                           "\",\"name\":\"bad \xC3\x28 "
                           "utf8\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}]}]}]}";
  auto res = env_.post("/v1/traces", "application/json", body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
  // The Status message itself is valid UTF-8 JSON even though it quotes the input.
  EXPECT_EQ(res->body.find("\xC3\x28"), std::string::npos);
}

TEST_F(server_bad_input, wrong_content_type_is_415) {
  for (const char* type : {"text/plain", "application/protobuf",
                           "application/x-www-form-urlencoded", "application/jsonx"}) {
    auto res = env_.post("/v1/traces", type, fixture_traces_protobuf());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 415) << type;
    EXPECT_NE(res->body.find("application/x-protobuf or application/json"), std::string::npos);
  }
}

TEST_F(server_bad_input, unknown_content_encoding_is_415) {
  for (const char* coding : {"br", "deflate", "zstd", "gzip, gzip", "x-snappy"}) {
    auto res = env_.post("/v1/traces", "application/x-protobuf", fixture_traces_protobuf(), false,
                         {{"Content-Encoding", coding}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 415) << coding;
    EXPECT_NE(protobuf_status(*res).message.find("unsupported Content-Encoding"),
              std::string::npos);
  }
}

TEST_F(server_bad_input, gzip_that_is_not_gzip_is_400) {
  auto res = env_.post("/v1/traces", "application/x-protobuf", fixture_traces_protobuf(), false,
                       {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400) << res->body;
}

TEST_F(server_bad_input, oversized_body_is_413) {
  std::string big(env_.options.max_body_bytes + 1, 'x');
  auto res = env_.post("/v1/traces", "application/json", big);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(json_status_message(*res).find("larger than the limit of 2097152 bytes"),
            std::string::npos)
      << res->body;
}

TEST_F(server_bad_input, gzip_that_inflates_past_the_limit_is_413) {
  // Small on the wire (well under the 2 MiB limit), 8 MiB inflated.
  std::string body = gzip(std::string(8u << 20, ' '));
  ASSERT_LT(body.size(), 64u << 10);
  auto res = env_.post("/v1/logs", "application/json", body, false, {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(json_status_message(*res).find("inflated request body"), std::string::npos);
}

TEST_F(server_bad_input, gzip_bomb_of_one_gib_is_413_without_inflating_it_whole) {
  static const std::string bomb = gzip_bomb(size_t{1} << 30);
  // The bomb itself is under the 2 MiB limit; its output is 512 times the limit.
  ASSERT_LT(bomb.size(), env_.options.max_body_bytes);
  const auto t0 = std::chrono::steady_clock::now();
  auto res = env_.post("/v1/traces", "application/x-protobuf", bomb, false,
                       {{"Content-Encoding", "gzip"}});
  const auto took = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  // Inflating the whole GiB takes seconds; stopping at the limit takes milliseconds.
  EXPECT_LT(took, 2s);
}

TEST_F(server_bad_input, requests_after_the_bad_ones_still_work_on_one_connection) {
  httplib::Client c = env_.client();
  c.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto bad = c.Post("/v1/traces", std::string(100, 'x'), "text/plain");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 415);
    auto bad2 = c.Post("/v1/traces", "garbage", "application/x-protobuf");
    ASSERT_TRUE(bad2);
    EXPECT_EQ(bad2->status, 400);
    auto ok = c.Get("/healthz");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
  }
}

// ---- authentication -------------------------------------------------------------------

class server_auth : public testing::Test {
 protected:
  void SetUp() override {
    env_.options.bearer_token = "s3cret-token";
    env_.start();
  }
  receiver_env env_;
};

TEST_F(server_auth, every_endpoint_needs_the_token) {
  const std::string body = fixture_traces_protobuf();
  for (const httplib::Headers& h :
       {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer wrong"}},
        httplib::Headers{{"Authorization", "Bearer s3cret-token-and-more"}},
        httplib::Headers{{"Authorization", "Bearer s3cret-toke"}},
        httplib::Headers{{"Authorization", "Basic s3cret-token"}},
        httplib::Headers{{"Authorization", "s3cret-token"}}}) {
    auto res = env_.post("/v1/traces", "application/x-protobuf", body, false, h);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(protobuf_status(*res).code, 16);  // UNAUTHENTICATED
    httplib::Client c = env_.client();
    for (const char* path : {"/healthz", "/metrics"}) {
      auto g = c.Get(path, h);
      ASSERT_TRUE(g);
      EXPECT_EQ(g->status, 401) << path;
      EXPECT_EQ(g->body.find("agtel_"), std::string::npos);
    }
  }
  EXPECT_EQ(env_.writer->stats().spans_stored, 0u);

  const httplib::Headers good{{"Authorization", "Bearer s3cret-token"}};
  auto res = env_.post("/v1/traces", "application/x-protobuf", body, false, good);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_GT(env_.writer->stats().spans_stored, 0u);
  httplib::Client c = env_.client();
  EXPECT_EQ(c.Get("/healthz", good)->status, 200);
  EXPECT_EQ(c.Get("/metrics", good)->status, 200);
}

// ---- overload -------------------------------------------------------------------------

TEST(server_overload, a_full_write_queue_is_429_with_retry_after) {
  receiver_env env;
  env.writer_options.max_queued_items = 1;  // one batch queued or being written fills it
  env.start();
  // Another connection holds the write lock: the writer's first transaction waits for it
  // (busy timeout), so its batch stays counted in the queue.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(env.writer_options.path.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const std::string body = fixture_traces_json();
  auto first = std::async(std::launch::async,
                          [&] { return env.post("/v1/traces", "application/json", body); });
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (env.writer->stats().queued_items == 0 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(5ms);
  ASSERT_GT(env.writer->stats().queued_items, 0u);

  auto res = env.post("/v1/traces", "application/json", body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429) << res->body;
  EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  EXPECT_NE(json_status_message(*res).find("write queue is full"), std::string::npos);
  EXPECT_NE(res->body.find("\"code\":8"), std::string::npos);
  EXPECT_GE(env.writer->stats().refused_full, 1u);

  // Released, the first batch commits and its request is answered 200.
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  auto first_res = first.get();
  ASSERT_TRUE(first_res);
  EXPECT_EQ(first_res->status, 200) << first_res->body;
  otlp_fixture f;
  EXPECT_EQ(env.writer->stats().spans_stored, f.spans.size());
  httplib::Client c = env.client();
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
}

TEST(server_overload, a_closed_writer_is_503_with_retry_after) {
  receiver_env env;
  env.start();
  ASSERT_TRUE(env.writer->drain(5s));  // the writer stops taking batches
  auto res = env.post("/v1/traces", "application/x-protobuf", fixture_traces_protobuf());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  EXPECT_EQ(protobuf_status(*res).code, 14);  // UNAVAILABLE
}

// ---- slow clients ---------------------------------------------------------------------

int connect_loopback(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST(server_slow_clients, headers_sent_byte_by_byte_do_not_stop_other_requests) {
  receiver_env env;
  env.options.worker_threads = 4;
  env.start();
  const uint16_t port = env.receiver->port();
  std::atomic<bool> stop{false};
  // Three slow-loris connections (of four workers), each trickling its headers.
  std::vector<std::thread> loris;
  for (int i = 0; i < 3; ++i) {
    loris.emplace_back([&] {
      const int fd = connect_loopback(port);
      ASSERT_GE(fd, 0);
      const std::string head =
          "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
      for (size_t k = 0; !stop.load() && k < head.size(); ++k) {
        if (::send(fd, &head[k], 1, MSG_NOSIGNAL) != 1) break;
        std::this_thread::sleep_for(50ms);
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(300ms);  // the slow connections hold their workers now
  const std::string body = fixture_traces_json();
  for (int i = 0; i < 5; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto res = env.post("/v1/traces", "application/json", body);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  }
  stop = true;
  for (auto& t : loris) t.join();
}

TEST(server_slow_clients, a_stalled_connection_is_closed_after_the_read_timeout) {
  receiver_env env;
  env.options.worker_threads = 1;
  env.options.read_timeout = 500ms;
  env.start();
  const int fd = connect_loopback(env.receiver->port());
  ASSERT_GE(fd, 0);
  const std::string part = "POST /v1/traces HTTP/1.1\r\nHost: x\r\n";
  ASSERT_EQ(::send(fd, part.data(), part.size(), MSG_NOSIGNAL), static_cast<ssize_t>(part.size()));
  // With its only worker held, the server closes the stalled connection after 500 ms and
  // serves the next one.
  const auto t0 = std::chrono::steady_clock::now();
  char buf[256];
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  // httplib answers the incomplete head with 400 (or closes): either way the read ended.
  const std::string got = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  EXPECT_TRUE(got.empty() || got.rfind("HTTP/1.1 400", 0) == 0) << got;
  ::close(fd);
  const auto t1 = std::chrono::steady_clock::now();
  httplib::Client c = env.client();
  auto h = c.Get("/healthz");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 2s);  // the only worker is free again
}

TEST(server_slow_clients, a_body_that_trickles_past_the_body_timeout_is_408) {
  receiver_env env;
  env.options.body_timeout = 700ms;
  env.start();
  const int fd = connect_loopback(env.receiver->port());
  ASSERT_GE(fd, 0);
  const std::string head =
      "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n";
  ASSERT_GT(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), 0);
  std::string got;
  for (int i = 0; i < 100; ++i) {  // one byte per 100 ms: every read is in time, the body is not
    if (::send(fd, " ", 1, MSG_NOSIGNAL) != 1) break;
    std::this_thread::sleep_for(100ms);
    char buf[512];
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      got.append(buf, static_cast<size_t>(n));
      break;
    }
  }
  ::close(fd);
  EXPECT_EQ(got.rfind("HTTP/1.1 408", 0), 0u) << got;
}

}  // namespace
}  // namespace agtel::test
