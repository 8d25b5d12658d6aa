// The OTLP/gRPC transport against a real gRPC server in this process (a generic callback
// service on 127.0.0.1, free port): what arrives on the wire, how every answer maps to a
// send_outcome, and that a call never outlives its deadline. The status-details reader is
// also fed hostile bytes directly.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "export/otlp/grpc_status.hpp"
#include "export/otlp/transport.hpp"

namespace agtel::exporter::otlp_detail {
namespace {

using namespace std::chrono_literals;
using kind = send_outcome::kind;
using testing::HasSubstr;
using testing::StartsWith;

// ---- a tiny protobuf writer, to build google.rpc.Status trailers independently of the
// reader under test ----------------------------------------------------------------------

std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string field_varint(uint32_t number, uint64_t v) {
  return varint(number << 3 | 0) + varint(v);
}
std::string field_bytes(uint32_t number, const std::string& bytes) {
  return varint(number << 3 | 2) + varint(bytes.size()) + bytes;
}
std::string duration(int64_t seconds, int32_t nanos) {
  std::string out;
  if (seconds != 0) out += field_varint(1, static_cast<uint64_t>(seconds));
  if (nanos != 0) out += field_varint(2, static_cast<uint64_t>(static_cast<int64_t>(nanos)));
  return out;
}
std::string any(const std::string& type_url, const std::string& value) {
  return field_bytes(1, type_url) + field_bytes(2, value);
}
std::string retry_info_any(int64_t seconds, int32_t nanos) {
  return any("type.googleapis.com/google.rpc.RetryInfo", field_bytes(1, duration(seconds, nanos)));
}
std::string rpc_status(int code, const std::string& message,
                       const std::vector<std::string>& details) {
  std::string out = field_varint(1, static_cast<uint64_t>(code)) + field_bytes(2, message);
  for (const auto& d : details) out += field_bytes(3, d);
  return out;
}

// ---- the loopback server -------------------------------------------------------------------

struct received_call {
  std::string method;
  std::multimap<std::string, std::string> metadata;
  std::string body;
};

// What the server does with a call: answer with `status` (and `response` on OK), or stall
// until the client gives up.
struct answer {
  grpc::Status status = grpc::Status::OK;
  std::string response;
  bool stall = false;
};

class loopback_server {
 public:
  using behaviour = std::function<answer(const received_call&)>;

  explicit loopback_server(behaviour b = {}, bool accept_gzip = true,
                           std::shared_ptr<grpc::ServerCredentials> credentials = nullptr)
      : service_(this), behaviour_(std::move(b)) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0",
                             credentials ? credentials : grpc::InsecureServerCredentials(), &port_);
    builder.RegisterCallbackGenericService(&service_);
    if (!accept_gzip) builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
    server_ = builder.BuildAndStart();
  }
  ~loopback_server() {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + 2s);
  }

  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<received_call> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  class reactor final : public grpc::ServerGenericBidiReactor {
   public:
    reactor(loopback_server* owner, grpc::GenericCallbackServerContext* context)
        : owner_(owner), context_(context) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      received_call call;
      call.method = context_->method();
      for (const auto& [k, v] : context_->client_metadata()) {
        call.metadata.emplace(std::string(k.data(), k.size()), std::string(v.data(), v.size()));
      }
      std::vector<grpc::Slice> slices;
      (void)request_.Dump(&slices);
      for (const auto& s : slices)
        call.body.append(reinterpret_cast<const char*>(s.begin()), s.size());
      answer a = owner_->behaviour_ ? owner_->behaviour_(call) : answer{};
      {
        std::lock_guard lock(owner_->mutex_);
        owner_->calls_.push_back(std::move(call));
      }
      if (a.stall) return;  // OnCancel finishes it when the client gives up
      if (!a.status.ok()) return finish(a.status);
      grpc::Slice slice(a.response.data(), a.response.size());
      response_ = grpc::ByteBuffer(&slice, 1);
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnCancel() override { finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")); }
    void OnDone() override { delete this; }

   private:
    void finish(const grpc::Status& status) {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      finished_ = true;
      Finish(status);
    }
    loopback_server* owner_;
    grpc::GenericCallbackServerContext* context_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
    std::mutex mutex_;
    bool finished_ = false;
  };

  class service final : public grpc::CallbackGenericService {
   public:
    explicit service(loopback_server* owner) : owner_(owner) {}
    grpc::ServerGenericBidiReactor* CreateReactor(
        grpc::GenericCallbackServerContext* context) override {
      return new reactor(owner_, context);
    }

   private:
    loopback_server* owner_;
  };

  service service_;
  behaviour behaviour_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::mutex mutex_;
  std::vector<received_call> calls_;
};

// A port nothing listens on (bound, read, closed).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  (void)::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  (void)::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

otlp_exporter_options options_for(const std::string& endpoint) {
  otlp_exporter_options o;
  o.protocol = otlp_protocol::grpc;
  o.endpoint = endpoint;
  return o;
}

steady_time in(std::chrono::milliseconds d) {
  return std::chrono::steady_clock::now() + d;
}

// Every byte value, several times over: the body is opaque bytes, zeros included.
std::string binary_body(size_t size) {
  std::string body(size, '\0');
  for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return body;
}

// Collects diagnostics for the test's lifetime.
class captured_diagnostics {
 public:
  captured_diagnostics() {
    agtel::detail::reset_diagnostics_for_testing();
    set_diagnostic_handler(
        [this](diag_level, std::string_view component, std::string_view message) {
          std::lock_guard lock(mutex_);
          lines_.push_back(std::string(component) + ": " + std::string(message));
        });
  }
  ~captured_diagnostics() {
    set_diagnostic_handler(nullptr);
    agtel::detail::reset_diagnostics_for_testing();
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const auto& l : lines_) all += l + "\n";
    return all;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

// ---- the wire ------------------------------------------------------------------------------

TEST(OtlpGrpcTransport, BytesArriveIntactAtEachSignalsExportMethod) {
  loopback_server server([](const received_call&) {
    return answer{grpc::Status::OK, "\x0a\x03\x08\x07\x12", false};
  });
  const std::string body = binary_body(70'000);
  const std::pair<otlp::signal, std::string> cases[] = {
      {otlp::signal::traces, "/opentelemetry.proto.collector.trace.v1.TraceService/Export"},
      {otlp::signal::metrics, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export"},
      {otlp::signal::logs, "/opentelemetry.proto.collector.logs.v1.LogsService/Export"}};
  for (const auto& [signal, method] : cases) {
    auto t = make_grpc_transport(options_for(server.endpoint()), signal);
    ASSERT_NE(t, nullptr);
    const send_outcome out = t->send(body, in(5s));
    EXPECT_EQ(out.result, kind::success) << out.error;
    EXPECT_EQ(out.status, 0);
    EXPECT_EQ(out.response, std::string("\x0a\x03\x08\x07\x12"));
    EXPECT_EQ(out.retry_after, -1ms);
    EXPECT_EQ(out.bytes_sent, body.size());
    const auto calls = server.calls();
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back().method, method);
    EXPECT_EQ(calls.back().body, body);
  }
  EXPECT_EQ(server.calls().size(), 3u);
}

TEST(OtlpGrpcTransport, EmptyBodyAndEmptyResponseAreAFullSuccess) {
  loopback_server server;
  auto t = make_grpc_transport(options_for(server.endpoint()), otlp::signal::traces);
  ASSERT_NE(t, nullptr);
  const send_outcome out = t->send("", in(5s));
  EXPECT_EQ(out.result, kind::success) << out.error;
  EXPECT_EQ(out.response, "");
  ASSERT_EQ(server.calls().size(), 1u);
  EXPECT_EQ(server.calls()[0].body, "");
}

TEST(OtlpGrpcTransport, HeadersAreSentAsLowerCaseMetadataWithTheUserAgent) {
  loopback_server server;
  auto o = options_for(server.endpoint());
  o.headers = {{"Authorization", "Bearer s3cret"},
               {"X-Tenant-ID", "agents"},
               {"trace-bin", std::string("\0\xff", 2)}};
  auto t = make_grpc_transport(o, otlp::signal::logs);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->send("x", in(5s)).result, kind::success);
  const auto md = server.calls().at(0).metadata;
  EXPECT_EQ(md.count("authorization"), 1u);
  EXPECT_EQ(md.find("authorization")->second, "Bearer s3cret");
  EXPECT_EQ(md.find("x-tenant-id")->second, "agents");
  EXPECT_EQ(md.find("trace-bin")->second, std::string("\0\xff", 2));
  EXPECT_EQ(md.count("Authorization"), 0u);
  ASSERT_EQ(md.count("user-agent"), 1u);
  EXPECT_THAT(md.find("user-agent")->second, StartsWith("OTel-OTLP-Exporter-Cpp-agtel/"));
}

TEST(OtlpGrpcTransport, InvalidMetadataIsDroppedWithADiagnosticNotACrash) {
  // gRPC aborts the process on metadata it deems invalid; the transport must filter it.
  captured_diagnostics diags;
  loopback_server server;
  auto o = options_for(server.endpoint());
  o.headers = {{"bad key", "v"},        {"grpc-timeout", "1S"}, {"x-newline", "a\nb"},
               {"", "empty"},           {"k\xc3\xa9y", "v"},    {"content-type", "text/plain"},
               {"x-fine", "kept value"}};
  auto t = make_grpc_transport(o, otlp::signal::traces);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->send("x", in(5s)).result, kind::success);
  const auto md = server.calls().at(0).metadata;
  EXPECT_EQ(md.find("x-fine")->second, "kept value");
  EXPECT_EQ(md.count("x-newline"), 0u);
  EXPECT_EQ(md.count("grpc-timeout") + md.count("bad key"), 0u);
  EXPECT_THAT(diags.text(), HasSubstr("'bad key'"));
  EXPECT_THAT(diags.text(), HasSubstr("'x-newline'"));
  EXPECT_THAT(diags.text(), HasSubstr("'grpc-timeout'"));
}

TEST(OtlpGrpcTransport, GzipIsTheCallsCompression) {
  // A server that refuses gzip proves the request was gzip-compressed on the wire; one that
  // accepts it proves the bytes survive the round trip.
  loopback_server refuses_gzip({}, /*accept_gzip=*/false);
  auto o = options_for(refuses_gzip.endpoint());
  auto plain = make_grpc_transport(o, otlp::signal::traces);
  EXPECT_EQ(plain->send("abc", in(5s)).result, kind::success);
  o.gzip = true;
  auto gzipped = make_grpc_transport(o, otlp::signal::traces);
  const send_outcome refused = gzipped->send("abc", in(5s));
  EXPECT_EQ(refused.result, kind::permanent);
  EXPECT_EQ(refused.status, 12);  // UNIMPLEMENTED: "Compression algorithm 'gzip' is disabled"

  loopback_server accepts_gzip;
  o.endpoint = accepts_gzip.endpoint();
  auto t = make_grpc_transport(o, otlp::signal::metrics);
  const std::string body = std::string(300'000, 'a') + binary_body(1000);
  EXPECT_EQ(t->send(body, in(5s)).result, kind::success);
  EXPECT_EQ(accepts_gzip.calls().at(0).body, body);
}

TEST(OtlpGrpcTransport, AnEndpointPathIsIgnored) {
  loopback_server server;
  auto t = make_grpc_transport(options_for(server.endpoint() + "/v1/traces"), otlp::signal::traces);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->send("x", in(5s)).result, kind::success);
  // No scheme: TLS unless insecure (OTEL_EXPORTER_OTLP_INSECURE applies only there).
  auto o = options_for("127.0.0.1:" + std::to_string(server.port()));
  EXPECT_NE(make_grpc_transport(o, otlp::signal::traces)->send("x", in(3s)).result, kind::success);
  o.insecure = true;
  EXPECT_EQ(make_grpc_transport(o, otlp::signal::traces)->send("x", in(5s)).result, kind::success);
  EXPECT_EQ(server.calls().size(), 2u);
}

// ---- time ----------------------------------------------------------------------------------

TEST(OtlpGrpcTransport, AStallingServerCostsTheDeadlineAndNoMore) {
  loopback_server server([](const received_call&) { return answer{grpc::Status::OK, "", true}; });
  auto t = make_grpc_transport(options_for(server.endpoint()), otlp::signal::traces);
  const auto start = std::chrono::steady_clock::now();
  const send_outcome out = t->send("x", start + 300ms);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(out.result, kind::timeout) << out.error;
  EXPECT_EQ(out.status, 4);
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 300ms + 400ms);  // the deadline plus the cancel grace, plus scheduling
}

TEST(OtlpGrpcTransport, AFarDeadlineIsNoOverflow) {
  loopback_server server;
  auto t = make_grpc_transport(options_for(server.endpoint()), otlp::signal::traces);
  EXPECT_EQ(t->send("x", steady_time::max()).result, kind::success);
}

TEST(OtlpGrpcTransport, APassedDeadlineSendsNothing) {
  loopback_server server;
  auto t = make_grpc_transport(options_for(server.endpoint()), otlp::signal::traces);
  const send_outcome out = t->send("x", std::chrono::steady_clock::now() - 1ms);
  EXPECT_EQ(out.result, kind::timeout);
  EXPECT_TRUE(server.calls().empty());
}

TEST(OtlpGrpcTransport, AClosedPortIsRetryableUnavailableWellBeforeTheDeadline) {
  auto t = make_grpc_transport(options_for("http://127.0.0.1:" + std::to_string(closed_port())),
                               otlp::signal::traces);
  ASSERT_NE(t, nullptr);
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second one inside gRPC's backoff
    const auto start = std::chrono::steady_clock::now();
    const send_outcome out = t->send("x", start + 5s);
    EXPECT_EQ(out.result, kind::retryable) << out.error;
    EXPECT_EQ(out.status, 14);
    EXPECT_THAT(out.error, StartsWith("gRPC UNAVAILABLE"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  }
}

// ---- answers -------------------------------------------------------------------------------

send_outcome answer_with(grpc::StatusCode code, const std::string& details) {
  loopback_server server([&](const received_call&) {
    return answer{grpc::Status(code, "server says no", details), "", false};
  });
  auto t = make_grpc_transport(options_for(server.endpoint()), otlp::signal::traces);
  return t->send("x", in(5s));
}

TEST(OtlpGrpcTransport, ResourceExhaustedWithRetryInfoIsRetryableAfterItsDelay) {
  const send_outcome out = answer_with(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      rpc_status(
          8, "slow down",
          {any("type.googleapis.com/google.rpc.DebugInfo", "zz"), retry_info_any(2, 500'000'000)}));
  EXPECT_EQ(out.result, kind::retryable);
  EXPECT_EQ(out.status, 8);
  EXPECT_EQ(out.retry_after, 2500ms);
  EXPECT_EQ(out.error, "gRPC RESOURCE_EXHAUSTED: server says no");
}

TEST(OtlpGrpcTransport, ResourceExhaustedWithoutRetryInfoIsPermanent) {
  const send_outcome out = answer_with(grpc::StatusCode::RESOURCE_EXHAUSTED, "");
  EXPECT_EQ(out.result, kind::permanent);
  EXPECT_EQ(out.retry_after, -1ms);
  const send_outcome other_details =
      answer_with(grpc::StatusCode::RESOURCE_EXHAUSTED,
                  rpc_status(8, "", {any("type.googleapis.com/google.rpc.QuotaFailure", "")}));
  EXPECT_EQ(other_details.result, kind::permanent);
}

TEST(OtlpGrpcTransport, UnavailableIsRetryableWithOrWithoutADelay) {
  EXPECT_EQ(answer_with(grpc::StatusCode::UNAVAILABLE, "").result, kind::retryable);
  const send_outcome out =
      answer_with(grpc::StatusCode::UNAVAILABLE, rpc_status(14, "", {retry_info_any(0, 0)}));
  EXPECT_EQ(out.result, kind::retryable);
  EXPECT_EQ(out.retry_after, 0ms);
}

TEST(OtlpGrpcTransport, MalformedStatusDetailsCountAsNone) {
  std::string truncated = rpc_status(8, "x", {retry_info_any(3, 0)});
  truncated.resize(truncated.size() - 2);
  for (const std::string& details :
       {truncated, std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11),
        std::string("\x1a\x7f", 2), std::string("garbage")}) {
    const send_outcome exhausted = answer_with(grpc::StatusCode::RESOURCE_EXHAUSTED, details);
    EXPECT_EQ(exhausted.result, kind::permanent);
    EXPECT_EQ(exhausted.retry_after, -1ms);
    const send_outcome unavailable = answer_with(grpc::StatusCode::UNAVAILABLE, details);
    EXPECT_EQ(unavailable.result, kind::retryable);
    EXPECT_EQ(unavailable.retry_after, -1ms);
  }
}

TEST(OtlpGrpcTransport, InvalidArgumentIsPermanent) {
  const send_outcome out = answer_with(grpc::StatusCode::INVALID_ARGUMENT, "");
  EXPECT_EQ(out.result, kind::permanent);
  EXPECT_EQ(out.status, 3);
  EXPECT_EQ(out.error, "gRPC INVALID_ARGUMENT: server says no");
}

// ---- options -------------------------------------------------------------------------------

TEST(OtlpGrpcTransport, UnusableOptionsGiveNoTransportAndSayWhy) {
  captured_diagnostics diags;
  EXPECT_EQ(make_grpc_transport(options_for("ftp://collector:4317"), otlp::signal::traces),
            nullptr);
  EXPECT_EQ(make_grpc_transport(options_for("http://:4317"), otlp::signal::traces), nullptr);
  auto o = options_for("https://collector:4317");
  o.certificate_file = "/nonexistent/ca.pem";
  EXPECT_EQ(make_grpc_transport(o, otlp::signal::traces), nullptr);
  o.certificate_file.clear();
  o.client_key_file = "/nonexistent/key.pem";
  EXPECT_EQ(make_grpc_transport(o, otlp::signal::traces), nullptr);  // no client certificate
  const std::string text = diags.text();
  EXPECT_THAT(text, HasSubstr("the scheme must be http or https"));
  EXPECT_THAT(text, HasSubstr("no host"));
  EXPECT_THAT(text, HasSubstr("/nonexistent/ca.pem"));
  EXPECT_THAT(text, HasSubstr("mTLS needs both"));
}

// A self-signed certificate for 127.0.0.1/localhost, made with the openssl command.
struct test_certificate {
  std::filesystem::path dir;
  std::string key, cert;
  test_certificate() {
    dir = std::filesystem::temp_directory_path() / ("agtel-grpc-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
        "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string() + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) return;
    std::ifstream k(dir / "key.pem"), c(dir / "cert.pem");
    key.assign(std::istreambuf_iterator<char>(k), {});
    cert.assign(std::istreambuf_iterator<char>(c), {});
  }
  ~test_certificate() { std::filesystem::remove_all(dir); }
};

TEST(OtlpGrpcTransport, HttpsUsesTlsAndTrustsTheGivenCertificate) {
  test_certificate cert;
  ASSERT_FALSE(cert.cert.empty()) << "openssl could not make a test certificate";
  grpc::SslServerCredentialsOptions tls;
  tls.pem_key_cert_pairs.push_back({cert.key, cert.cert});
  loopback_server server({}, true, grpc::SslServerCredentials(tls));
  const std::string endpoint = "https://127.0.0.1:" + std::to_string(server.port());

  auto o = options_for(endpoint);
  o.certificate_file = (cert.dir / "cert.pem").string();
  auto trusted = make_grpc_transport(o, otlp::signal::traces);
  ASSERT_NE(trusted, nullptr);
  const send_outcome ok = trusted->send("over tls", in(5s));
  EXPECT_EQ(ok.result, kind::success) << ok.error;
  ASSERT_EQ(server.calls().size(), 1u);
  EXPECT_EQ(server.calls()[0].body, "over tls");
  // An https endpoint stays TLS even with `insecure` (the spec: it applies to endpoints
  // without a scheme).
  o.insecure = true;
  EXPECT_EQ(make_grpc_transport(o, otlp::signal::traces)->send("still tls", in(5s)).result,
            kind::success);
  ASSERT_EQ(server.calls().size(), 2u);

  // The system's trust store does not know this certificate; plaintext is not TLS.
  auto untrusted = make_grpc_transport(options_for(endpoint), otlp::signal::traces);
  EXPECT_EQ(untrusted->send("x", in(3s)).result, kind::retryable);
  auto plaintext = make_grpc_transport(
      options_for("http://127.0.0.1:" + std::to_string(server.port())), otlp::signal::traces);
  EXPECT_NE(plaintext->send("x", in(3s)).result, kind::success);
  EXPECT_EQ(server.calls().size(), 2u);
}

// ---- the status table and the details reader, without a server ----------------------------

TEST(OtlpGrpcStatus, TheSpecsRetryableTable) {
  const kind expected[17] = {kind::success,   kind::retryable, kind::permanent, kind::permanent,
                             kind::retryable, kind::permanent, kind::permanent, kind::permanent,
                             kind::permanent, kind::permanent, kind::retryable, kind::retryable,
                             kind::permanent, kind::permanent, kind::retryable, kind::retryable,
                             kind::permanent};
  for (int code = 0; code <= 16; ++code) {
    EXPECT_EQ(outcome_from_grpc_status(code, "m", "", false).result, expected[code])
        << grpc_code_name(code);
  }
  EXPECT_EQ(outcome_from_grpc_status(4, "", "", true).result, kind::timeout);
  EXPECT_EQ(
      outcome_from_grpc_status(8, "", rpc_status(8, "", {retry_info_any(1, 0)}), false).result,
      kind::retryable);
  EXPECT_EQ(outcome_from_grpc_status(17, "", "", false).result, kind::permanent);
  EXPECT_EQ(outcome_from_grpc_status(-1, "", "", false).result, kind::permanent);
  EXPECT_EQ(outcome_from_grpc_status(99, "", "", false).error, "gRPC UNKNOWN_CODE");
  EXPECT_EQ(outcome_from_grpc_status(13, std::string(5000, 'm'), "", false).error.size(),
            std::string("gRPC INTERNAL: ").size() + 512);
}

std::optional<std::chrono::milliseconds> delay_of(const std::string& details) {
  return retry_delay_from_status_details(details);
}

TEST(OtlpGrpcStatus, RetryDelayIsReadFromTheFirstRetryInfo) {
  EXPECT_EQ(delay_of(rpc_status(14, "m", {retry_info_any(30, 0)})), 30s);
  EXPECT_EQ(delay_of(rpc_status(14, "", {retry_info_any(0, 1)})), 1ms);  // rounded up
  EXPECT_EQ(delay_of(rpc_status(14, "", {retry_info_any(1, 250'000'000), retry_info_any(9, 0)})),
            1250ms);
  // No delay, a negative one: retry without a particular delay. A huge one is capped.
  EXPECT_EQ(delay_of(rpc_status(14, "", {any("type.googleapis.com/google.rpc.RetryInfo", "")})),
            0ms);
  EXPECT_EQ(delay_of(rpc_status(14, "", {retry_info_any(-5, 0)})), 0ms);
  EXPECT_EQ(delay_of(rpc_status(14, "", {retry_info_any(0, -5)})), 0ms);
  EXPECT_EQ(delay_of(rpc_status(14, "", {retry_info_any(INT64_MAX, 999'999'999)})), 3600s);
  // Any type-url prefix; the value's field order does not matter; unknown fields are skipped.
  EXPECT_EQ(delay_of(rpc_status(14, "",
                                {field_bytes(2, field_bytes(1, duration(2, 0))) +
                                 field_bytes(1, "example.org/x/google.rpc.RetryInfo")})),
            2s);
  EXPECT_EQ(delay_of(field_varint(9, 1) + rpc_status(14, "", {retry_info_any(4, 0)}) +
                     "\x79\x01\x02\x03\x04\x05\x06\x07\x08"),  // field 15, fixed64
            4s);
}

TEST(OtlpGrpcStatus, NoOrHostileDetailsGiveNoDelay) {
  EXPECT_EQ(delay_of(""), std::nullopt);
  EXPECT_EQ(delay_of(rpc_status(14, "m", {})), std::nullopt);
  EXPECT_EQ(delay_of(rpc_status(14, "", {any("type.googleapis.com/google.rpc.RetryInfoX", "")})),
            std::nullopt);
  const std::string good = rpc_status(14, "message", {retry_info_any(7, 5)});
  for (size_t n = 0; n < good.size(); ++n) {  // every truncation
    const auto d = delay_of(good.substr(0, n));
    EXPECT_TRUE(!d || *d <= 7s) << n;
  }
  EXPECT_EQ(delay_of(good.substr(0, good.size() - 1)), std::nullopt);
  // Wrong wire types for known fields.
  EXPECT_EQ(delay_of(field_bytes(1, "x") + field_bytes(3, retry_info_any(1, 0))), std::nullopt);
  EXPECT_EQ(delay_of(field_varint(3, 1)), std::nullopt);
  EXPECT_EQ(delay_of(rpc_status(
                14, "", {any("type.googleapis.com/google.rpc.RetryInfo", field_varint(1, 5))})),
            std::nullopt);
  // A length past the end, an 11-byte varint, a group, field number 0.
  EXPECT_EQ(delay_of(std::string("\x1a\xff\xff\xff\xff\x0f", 6)), std::nullopt);
  EXPECT_EQ(delay_of(std::string("\x08") + std::string(10, '\xff') + "\x01"), std::nullopt);
  EXPECT_EQ(delay_of(std::string("\x0b\x0c", 2)), std::nullopt);
  EXPECT_EQ(delay_of(std::string("\x02\x00", 2)), std::nullopt);
  // Deep nesting is just bytes at the depths we do not read.
  std::string nested = retry_info_any(1, 0);
  for (int i = 0; i < 2000; ++i) nested = field_bytes(3, nested);
  EXPECT_EQ(delay_of(nested), std::nullopt);  // the outer Any has no type_url: not RetryInfo
}

}  // namespace
}  // namespace agtel::exporter::otlp_detail
