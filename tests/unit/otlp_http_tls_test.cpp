// The OTLP/HTTP exporter over TLS, against cpp-httplib's OpenSSL server: the CA file
// (OTEL_EXPORTER_OTLP_CERTIFICATE), the client certificate and key (mTLS), and what
// happens without them. The certificates are made for each run with the openssl command
// (Debian's `openssl` package); a missing command fails the test, it is never skipped.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "agtel/diagnostics.hpp"
#include "agtel/export/otlp_exporter.hpp"

namespace agtel::exporter {
namespace {

namespace fs = std::filesystem;

// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
class test_pki {
 public:
  test_pki() : dir_(fs::temp_directory_path() / ("agtel-tls-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    const std::string d = dir_.string();
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string script =
        "set -e; cd '" + d + "';" +
        "printf 'subjectAltName=IP:127.0.0.1\\n' > server.ext;" +
        "openssl req -x509" + key + " -keyout ca.key -out ca.pem -days 2 -subj /CN=agtel-test-ca;" +
        "openssl req" + key + " -keyout server.key -out server.csr -subj /CN=127.0.0.1;" +
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
        " -extfile server.ext -out server.pem;" +
        "openssl req" + key + " -keyout client.key -out client.csr -subj /CN=agtel-client;" +
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
        " -out client.pem";
    ok_ = std::system(("(" + script + ") >'" + d + "/openssl.log' 2>&1").c_str()) == 0;
  }
  ~test_pki() { fs::remove_all(dir_); }
  bool ok() const { return ok_; }
  std::string file(const char* name) const { return (dir_ / name).string(); }

 private:
  fs::path dir_;
  bool ok_ = false;
};

// An HTTPS server on 127.0.0.1 counting the OTLP requests it accepted.
class tls_sink {
 public:
  tls_sink(const test_pki& pki, bool require_client_cert)
      : server_(pki.file("server.pem").c_str(), pki.file("server.key").c_str(),
                require_client_cert ? pki.file("ca.pem").c_str() : nullptr) {
    server_.Post("/v1/traces", [this](const httplib::Request&, httplib::Response& res) {
      ++accepted_;
      res.set_content("", "application/x-protobuf");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~tls_sink() {
    server_.stop();
    thread_.join();
  }
  bool valid() { return server_.is_valid() && port_ > 0; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/v1/traces"; }
  int accepted() const { return accepted_.load(); }

 private:
  httplib::SSLServer server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> accepted_{0};
};

std::vector<trace::span_ptr> one_span() {
  static const agtel::resource r{{{"service.name", "tls-test"}}, ""};
  static const instrumentation_scope s{"tls-test", "", "", {}};
  auto p = trace::span_ptr::make();
  p->name = "over tls";
  p->resource = &r;
  p->scope = &s;
  return {p};
}

class OtlpHttpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki_.ok()) << "could not make test certificates with the openssl command "
                              "(apt-get install openssl); see "
                           << pki_.file("openssl.log");
    set_diagnostic_handler([](diag_level, std::string_view, std::string_view) {});
  }
  void TearDown() override { set_diagnostic_handler(nullptr); }

  export_result export_with(const otlp_exporter_options& o, otlp_exporter_stats* stats = nullptr) {
    auto e = make_otlp_span_exporter(o);
    auto r = e->export_spans(one_span(), steady_time::max());
    if (stats) *stats = otlp_stats(*e)->stats();
    return r;
  }

  test_pki pki_;
};

TEST_F(OtlpHttpTls, TheConfiguredCaIsTrusted) {
  tls_sink server(pki_, false);
  ASSERT_TRUE(server.valid());
  otlp_exporter_options o;
  o.endpoint = server.url();
  o.certificate_file = pki_.file("ca.pem");
  EXPECT_EQ(export_with(o), export_result::success);
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(OtlpHttpTls, AnUntrustedServerIsRefusedWithoutRetrying) {
  tls_sink server(pki_, false);
  ASSERT_TRUE(server.valid());
  otlp_exporter_options o;
  o.endpoint = server.url();  // no CA file: the system store does not know our test CA
  o.initial_backoff = std::chrono::milliseconds(5);
  otlp_exporter_stats st;
  EXPECT_EQ(export_with(o, &st), export_result::failure);
  EXPECT_EQ(server.accepted(), 0);
  EXPECT_EQ(st.failed_non_retryable, 1u);
  EXPECT_EQ(st.requests, 1u);
}

TEST_F(OtlpHttpTls, MutualTlsSendsTheClientCertificate) {
  tls_sink server(pki_, true);
  ASSERT_TRUE(server.valid());
  otlp_exporter_options o;
  o.endpoint = server.url();
  o.certificate_file = pki_.file("ca.pem");
  o.initial_backoff = std::chrono::milliseconds(5);
  o.max_attempts = 2;
  // Without a client certificate the server ends the handshake.
  EXPECT_NE(export_with(o), export_result::success);
  EXPECT_EQ(server.accepted(), 0);
  o.client_certificate_file = pki_.file("client.pem");
  o.client_key_file = pki_.file("client.key");
  EXPECT_EQ(export_with(o), export_result::success);
  EXPECT_EQ(server.accepted(), 1);
}

}  // namespace
}  // namespace agtel::exporter
