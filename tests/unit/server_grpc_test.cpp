// The OTLP/gRPC receiver over real loopback gRPC (a grpc++ generic stub, raw bytes, as the
// OTLP exporters send them) into a real store: each signal, gzip, partial success, bad
// bytes, unknown methods, the bearer token, a full write queue, the shared /metrics.
#include <grpc/compression.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <future>
#include <thread>
#include <variant>

#include "export/otlp/grpc_status.hpp"
#include "otlp/codec.hpp"
#include "server/otlp_grpc_receiver.hpp"
#include "server/server_metrics.hpp"
#include "support/otlp_fixtures.hpp"
#include "unit/server_fixture.hpp"

namespace agtel::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* traces_method = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr const char* metrics_method =
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
constexpr const char* logs_method = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

struct grpc_answer {
  grpc::Status status;
  std::string body;
};

// A writer, the HTTP receiver (for /metrics) and the gRPC receiver sharing its counters.
struct grpc_env {
  receiver_env http;
  server::grpc_receiver_options options;
  std::unique_ptr<server::otlp_grpc_receiver> receiver;
  std::shared_ptr<grpc::Channel> channel;

  grpc_env() { options.port = 0; }
  ~grpc_env() {
    if (receiver) receiver->stop();
    receiver.reset();
  }

  void start() {
    http.start();
    std::string error;
    receiver = std::make_unique<server::otlp_grpc_receiver>(options, *http.writer,
                                                            &http.receiver->metrics());
    ASSERT_TRUE(receiver->start(error)) << error;
    ASSERT_NE(receiver->port(), 0);
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(receiver->port()),
                                  grpc::InsecureChannelCredentials());
  }

  grpc_answer call(const std::string& method, const std::string& body, bool gzip = false,
                   const std::string& authorization = "") const {
    grpc::GenericStub stub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 30s);
    if (gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    grpc::Slice slice(body.data(), body.size());
    grpc::ByteBuffer request(&slice, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    grpc_answer a;
    a.status = done.get_future().get();
    std::vector<grpc::Slice> slices;
    if (a.status.ok() && response.Dump(&slices).ok())
      for (const auto& s : slices) a.body.append(reinterpret_cast<const char*>(s.begin()), s.size());
    return a;
  }
};

TEST(server_grpc, traces_are_stored_and_answered_after_commit) {
  grpc_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  for (bool gzip : {false, true}) {
    const grpc_answer a = env.call(traces_method, body, gzip);
    ASSERT_TRUE(a.status.ok()) << a.status.error_code() << " " << a.status.error_message();
    EXPECT_EQ(a.body, "");  // the empty ExportTraceServiceResponse: full success
  }
  // Acknowledged means committed: a reader sees the spans now.
  EXPECT_EQ(env.http.writer->stats().spans_stored, 2 * f.spans.size());
  auto reader = env.http.reader();
  ASSERT_TRUE(reader);
  otlp::trace_batch back;
  std::string error;
  ASSERT_TRUE(reader->read_trace(f.spans[0]->context.trace_id(), back, error)) << error;
  bool found = false;
  for (const auto& s : back.spans) found |= s->context.span_id() == f.spans[0]->context.span_id();
  EXPECT_TRUE(found);
}

TEST(server_grpc, logs_are_stored) {
  grpc_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  otlp::encode_logs_protobuf(f.records, body);
  const grpc_answer a = env.call(logs_method, body, true);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.body, "");
  EXPECT_EQ(env.http.writer->stats().logs_stored, f.records.size());
}

TEST(server_grpc, metric_summaries_are_a_partial_success) {
  grpc_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  otlp::encode_metrics_protobuf(f.metrics, body);
  size_t summaries = 0;
  for (const auto& sm : f.metrics.scopes)
    for (const auto& m : sm.metrics)
      if (auto* q = std::get_if<metrics::summary_data>(&m.data)) summaries += q->points.size();
  ASSERT_GT(summaries, 0u);
  const grpc_answer a = env.call(metrics_method, body);
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  otlp::partial_success p;
  ASSERT_TRUE(otlp::decode_response_protobuf(a.body, p));
  EXPECT_EQ(p.rejected, static_cast<int64_t>(summaries));
  EXPECT_NE(p.error_message.find("summary data point(s) not stored"), std::string::npos);
  EXPECT_GT(env.http.writer->stats().metric_points_stored, 0u);
}

TEST(server_grpc, bad_bytes_are_invalid_argument_and_the_server_stays_up) {
  grpc_env env;
  env.start();
  const grpc_answer a = env.call(traces_method, std::string("\x0a\xff\xff\xff\x0f garbage", 14));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(a.status.error_message().find("invalid OTLP/protobuf export request"), std::string::npos)
      << a.status.error_message();
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  EXPECT_TRUE(env.call(traces_method, body).status.ok());
}

TEST(server_grpc, an_empty_request_is_a_success) {
  grpc_env env;
  env.start();
  EXPECT_TRUE(env.call(logs_method, "").status.ok());
}

TEST(server_grpc, unknown_methods_are_unimplemented) {
  grpc_env env;
  env.start();
  const grpc_answer a = env.call("/opentelemetry.proto.collector.trace.v1.TraceService/Nope", "");
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(env.call("/other.Service/Export", "").status.error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST(server_grpc, oversized_messages_are_refused) {
  grpc_env env;
  env.options.max_message_bytes = 4096;
  env.start();
  const grpc_answer a = env.call(traces_method, std::string(8192, 'x'));
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << a.status.error_message();
  // Also after decompression: zeros shrink to almost nothing.
  const grpc_answer b = env.call(traces_method, std::string(1 << 20, '\0'), true);
  EXPECT_EQ(b.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << b.status.error_message();
  EXPECT_TRUE(env.call(logs_method, "").status.ok());
}

TEST(server_grpc, the_bearer_token_is_required_when_set) {
  grpc_env env;
  env.options.bearer_token = "s3cret";
  env.start();
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  EXPECT_EQ(env.call(traces_method, body).status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(env.call(traces_method, body, false, "Bearer wrong").status.error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(env.http.writer->stats().spans_stored, 0u);
  const grpc_answer ok = env.call(traces_method, body, false, "Bearer s3cret");
  EXPECT_TRUE(ok.status.ok()) << ok.status.error_message();
  EXPECT_EQ(env.http.writer->stats().spans_stored, f.spans.size());
}

TEST(server_grpc, a_full_write_queue_is_resource_exhausted) {
  grpc_env env;
  env.http.writer_options.max_queued_items = 1;  // one batch queued or being written fills it
  env.start();
  // Another connection holds the write lock: the writer's first transaction waits for it,
  // so its batch stays counted in the queue.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(env.http.writer_options.path.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  auto first = std::async(std::launch::async, [&] { return env.call(traces_method, body); });
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (env.http.writer->stats().queued_items == 0 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(5ms);
  ASSERT_GT(env.http.writer->stats().queued_items, 0u);

  const grpc_answer a = env.call(traces_method, body);
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(a.status.error_message().find("write queue is full"), std::string::npos);
  // With RetryInfo: the OTLP/gRPC spec lets a client retry RESOURCE_EXHAUSTED only then
  // (read back with the decoder agtel's own exporter uses).
  const auto delay = exporter::otlp_detail::retry_delay_from_status_details(a.status.error_details());
  ASSERT_TRUE(delay.has_value()) << "no RetryInfo in the status details";
  EXPECT_EQ(*delay, std::chrono::milliseconds(1000));

  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  EXPECT_TRUE(first.get().status.ok());

  // Counted on the HTTP receiver's /metrics, with the HTTP requests.
  auto res = env.http.client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("outcome=\"throttled\""), std::string::npos) << res->body;
}

TEST(server_grpc, stop_finishes_calls_in_flight) {
  grpc_env env;
  env.start();
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(env.http.writer_options.path.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  auto in_flight = std::async(std::launch::async, [&] { return env.call(traces_method, body); });
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (env.http.writer->stats().queued_items == 0 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(5ms);
  auto stopped = std::async(std::launch::async, [&] { env.receiver->stop(); });
  std::this_thread::sleep_for(100ms);
  sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  stopped.get();
  const grpc_answer a = in_flight.get();
  EXPECT_TRUE(a.status.ok()) << a.status.error_code() << " " << a.status.error_message();
  EXPECT_EQ(env.http.writer->stats().spans_stored, f.spans.size());
}

TEST(server_grpc, a_taken_port_is_an_error) {
  grpc_env env;
  env.start();
  server::grpc_receiver_options o;
  o.port = env.receiver->port();
  server::otlp_grpc_receiver second(o, *env.http.writer);
  std::string error;
  EXPECT_FALSE(second.start(error));
  EXPECT_NE(error.find("cannot listen"), std::string::npos) << error;
}

}  // namespace
}  // namespace agtel::test
