// The Prometheus endpoint: HTTP behaviour of the scrape server (negotiation, gzip, 404,
// 405, 503, concurrency, hostile clients) and the exporter wired to a real meter provider.
// The client is a raw socket, so that tests can send what no well-behaved client would.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/prometheus_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "export/prometheus/http_server.hpp"
#include "support/test_support.hpp"

namespace agtel::exporter {
namespace {

using namespace std::chrono_literals;
using prometheus::scrape_server;
using prometheus::server_config;

// ---- a small HTTP/1.1 client over a raw socket ---------------------------------------

class connection {
 public:
  explicit connection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads until the peer closes or `timeout` passes.
  std::string read_all(std::chrono::milliseconds timeout = 5000ms) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[65536];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // What arrives within `timeout` (empty on timeout or close).
  std::string read_some(std::chrono::milliseconds timeout = 5000ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
  // True when the peer closed the connection within `timeout` (after any answer).
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[4096];
      if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
    }
  }

 private:
  int fd_ = -1;
};

struct http_response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

std::optional<http_response> parse_response(const std::string& raw) {
  const size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.compare(0, 9, "HTTP/1.1 ") != 0) return std::nullopt;
  http_response r;
  r.status = std::stoi(raw.substr(9, 3));
  size_t pos = raw.find("\r\n") + 2;
  while (pos < end) {
    const size_t eol = raw.find("\r\n", pos);
    const std::string line = raw.substr(pos, eol - pos);
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers[name] = value;
    pos = eol + 2;
  }
  r.body = raw.substr(end + 4);
  return r;
}

std::optional<http_response> request(uint16_t port, std::string_view method,
                                     std::string_view target,
                                     std::vector<std::string> extra_headers = {}) {
  connection c(port);
  if (!c.ok()) return std::nullopt;
  std::string req = std::string(method) + " " + std::string(target) +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& h : extra_headers) req += h + "\r\n";
  req += "\r\n";
  if (!c.send(req)) return std::nullopt;
  return parse_response(c.read_all());
}

// Decompresses with the gzip program: an independent judge of the encoding.
std::string gunzip(const std::string& in) {
  char path[] = "/tmp/agtel-gz-XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, in.data(), in.size()), static_cast<ssize_t>(in.size()));
  ::close(fd);
  std::string out;
  if (FILE* p = ::popen((std::string("gzip -dc < ") + path).c_str(), "r")) {
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(::pclose(p), 0) << "gzip -d rejected the body";
  }
  ::unlink(path);
  return out;
}

// ---- the scrape server with a fake render function -----------------------------------

constexpr std::string_view fake_text = "# HELP up d\n# TYPE up gauge\nup 1\n";
constexpr std::string_view fake_om = "# TYPE up gauge\n# HELP up d\nup 1\n# EOF\n";

class ScrapeServer : public ::testing::Test {
 protected:
  std::unique_ptr<scrape_server> make(server_config c = {}) {
    c.port = 0;
    auto s = std::make_unique<scrape_server>(c, [this](prometheus_format f, std::string& out) {
      renders.fetch_add(1);
      if (fail.load()) return false;
      if (delay.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay.load()));
      out += f == prometheus_format::openmetrics ? fake_om : fake_text;
      out += padding;
      return true;
    });
    EXPECT_TRUE(s->start());
    EXPECT_NE(s->port(), 0);
    return s;
  }
  std::atomic<int> renders{0};
  std::atomic<bool> fail{false};
  std::atomic<int> delay{0};
  std::string padding;
};

TEST_F(ScrapeServer, ServesText) {
  auto s = make();
  auto r = request(s->port(), "GET", "/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r->body, fake_text);
  EXPECT_EQ(r->headers.count("content-encoding"), 0u);
  EXPECT_EQ(s->counters().scrapes.load(), 1u);
  // A query string does not matter.
  auto q = request(s->port(), "GET", "/metrics?name[]=up");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, 200);
}

TEST_F(ScrapeServer, NegotiatesOpenMetrics) {
  auto s = make();
  auto r = request(s->port(), "GET", "/metrics",
                   {"Accept: application/openmetrics-text;version=1.0.0,application/"
                    "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;"
                    "q=0.1"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers["content-type"],
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
  EXPECT_EQ(r->body, fake_om);
  auto t = request(s->port(), "GET", "/metrics", {"Accept: text/plain"});
  ASSERT_TRUE(t);
  EXPECT_EQ(t->body, fake_text);
}

TEST_F(ScrapeServer, OpenMetricsCanBeSwitchedOff) {
  server_config c;
  c.openmetrics = false;
  auto s = make(c);
  auto r = request(s->port(), "GET", "/metrics", {"Accept: application/openmetrics-text"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
}

TEST_F(ScrapeServer, Gzip) {
  padding = std::string(100000, 'x');  // compresses well
  auto s = make();
  for (const char* fmt : {"text/plain", "application/openmetrics-text"}) {
    auto r = request(s->port(), "GET", "/metrics",
                     {"Accept-Encoding: gzip", std::string("Accept: ") + fmt});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers["content-encoding"], "gzip");
    EXPECT_EQ(std::stoul(r->headers["content-length"]), r->body.size());
    EXPECT_LT(r->body.size(), 5000u);
    const std::string plain = gunzip(r->body);
    EXPECT_EQ(plain.substr(plain.size() - padding.size()), padding);
    EXPECT_EQ(plain.size(), padding.size() + (fmt[0] == 't' ? fake_text : fake_om).size());
  }
  auto refused = request(s->port(), "GET", "/metrics", {"Accept-Encoding: gzip;q=0, br"});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->headers.count("content-encoding"), 0u);
  EXPECT_EQ(refused->body.size(), fake_text.size() + padding.size());
  // Switched off.
  server_config c;
  c.gzip = false;
  auto plain_server = make(c);
  auto p = request(plain_server->port(), "GET", "/metrics", {"Accept-Encoding: gzip"});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->headers.count("content-encoding"), 0u);
}

TEST_F(ScrapeServer, OtherPathsAndMethods) {
  auto s = make();
  for (const char* path : {"/", "/metrics/", "/metricsx", "/other", "/METRICS"}) {
    auto r = request(s->port(), "GET", path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
  }
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    auto r = request(s->port(), method, "/metrics", {"Content-Length: 0"});
    ASSERT_TRUE(r) << method;
    EXPECT_EQ(r->status, 405) << method;
    EXPECT_EQ(r->headers["allow"], "GET, HEAD") << method;
  }
  auto head = request(s->port(), "HEAD", "/metrics");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(renders.load(), 1);  // only HEAD rendered
  EXPECT_EQ(s->counters().rejected.load(), 10u);
}

TEST_F(ScrapeServer, CustomPath) {
  server_config c;
  c.path = "/custom/prom.metrics";  // regex characters must not matter
  auto s = make(c);
  EXPECT_EQ(request(s->port(), "GET", "/custom/prom.metrics")->status, 200);
  EXPECT_EQ(request(s->port(), "GET", "/custom/promXmetrics")->status, 404);
  EXPECT_EQ(request(s->port(), "GET", "/metrics")->status, 404);
}

TEST_F(ScrapeServer, UnavailableReaderAnswers503) {
  auto s = make();
  fail = true;
  auto r = request(s->port(), "GET", "/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("meter provider"), std::string::npos);
  EXPECT_EQ(s->counters().failed.load(), 1u);
}

TEST_F(ScrapeServer, ConcurrentScrapes) {
  padding = std::string(200000, 'y');
  server_config c;
  c.worker_threads = 4;
  auto s = make(c);
  std::atomic<int> good{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r = request(s->port(), "GET", "/metrics",
                         {t % 2 ? "Accept-Encoding: gzip" : "Accept: text/plain"});
        if (!r || r->status != 200) continue;
        const std::string body = r->headers.count("content-encoding") ? gunzip(r->body) : r->body;
        if (body.size() == fake_text.size() + padding.size()) good.fetch_add(1);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(good.load(), 80);
  EXPECT_EQ(s->counters().scrapes.load(), 80u);
}

TEST_F(ScrapeServer, KeepAliveServesSeveralScrapes) {
  auto s = make();
  connection c(s->port());
  ASSERT_TRUE(c.ok());
  // One request after the other on one connection, as Prometheus does.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string raw;
    while (raw.find("\r\n\r\n") == std::string::npos ||
           raw.size() < raw.find("\r\n\r\n") + 4 + fake_text.size()) {
      const std::string more = c.read_some();
      if (more.empty()) break;
      raw += more;
    }
    auto r = parse_response(raw);
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, fake_text);
  }
  EXPECT_EQ(renders.load(), 3);
}

// Hostile clients: none of these may crash the server or stop it from answering the
// next scrape.
TEST_F(ScrapeServer, HostileRequests) {
  server_config c;
  c.io_timeout = 500ms;
  auto s = make(c);
  const uint16_t port = s->port();
  {  // One huge header line.
    connection h(port);
    ASSERT_TRUE(h.ok());
    h.send("GET /metrics HTTP/1.1\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n");
    const std::string raw = h.read_all(3000ms);
    EXPECT_EQ(raw.find("HTTP/1.1 200"), std::string::npos);
  }
  {  // Very many headers.
    connection h(port);
    ASSERT_TRUE(h.ok());
    std::string req = "GET /metrics HTTP/1.1\r\n";
    for (int i = 0; i < 20000; ++i) req += "X-H" + std::to_string(i) + ": v\r\n";
    req += "\r\n";
    h.send(req);
    h.read_all(3000ms);
  }
  {  // A huge URI.
    auto r = request(port, "GET", "/metrics?" + std::string(100000, 'q'));
    if (r) {
      EXPECT_NE(r->status, 200);
    }
  }
  {  // Garbage and binary.
    connection h(port);
    h.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\r\n\r\n");
    h.read_all(2000ms);
  }
  {  // A truncated request, then the client goes away.
    connection h(port);
    h.send("GET /metr");
  }
  {  // A body bigger than any scrape needs.
    connection h(port);
    h.send("POST /metrics HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n" +
           std::string(100000, 'b'));
    const std::string raw = h.read_all(3000ms);
    EXPECT_EQ(raw.find("HTTP/1.1 200"), std::string::npos);
  }
  auto r = request(port, "GET", "/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, fake_text);
}

TEST_F(ScrapeServer, SlowAndIdleClientsAreDisconnected) {
  server_config c;
  c.io_timeout = 300ms;
  c.worker_threads = 1;  // the worst case: one worker, held by the slow client
  auto s = make(c);
  connection slow(s->port());
  ASSERT_TRUE(slow.ok());
  slow.send("GET /metrics HTTP/1.1\r\nHost: slow");  // never finishes its headers
  EXPECT_TRUE(slow.closed_within(3000ms));
  connection idle(s->port());  // connects and says nothing
  ASSERT_TRUE(idle.ok());
  EXPECT_TRUE(idle.closed_within(3000ms));
  // The worker is free again: a normal scrape is answered promptly.
  const auto start = std::chrono::steady_clock::now();
  auto r = request(s->port(), "GET", "/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(ScrapeServer, StartStop) {
  auto s = make();
  EXPECT_FALSE(s->start());  // already started
  const uint16_t port = s->port();
  s->stop();
  s->stop();
  EXPECT_EQ(s->port(), 0);
  connection c(port);
  EXPECT_FALSE(c.ok());
}

TEST_F(ScrapeServer, BindFailureIsReported) {
  auto first = make();
  std::vector<std::string> diags;
  set_diagnostic_handler(
      [&](diag_level, std::string_view, std::string_view m) { diags.emplace_back(m); });
  server_config c;
  c.port = first->port();
  scrape_server second(c, [](prometheus_format, std::string&) { return true; });
  EXPECT_FALSE(second.start());
  set_diagnostic_handler(nullptr);
  ASSERT_FALSE(diags.empty());
  EXPECT_NE(diags[0].find("cannot listen"), std::string::npos);
  scrape_server bad_host({.host = "256.1.1.1"},
                         [](prometheus_format, std::string&) { return true; });
  EXPECT_FALSE(bad_host.start());
}

// ---- options from the environment --------------------------------------------------

TEST(PrometheusExporterOptions, FromEnv) {
  {
    test::scoped_env host("OTEL_EXPORTER_PROMETHEUS_HOST", "0.0.0.0");
    test::scoped_env port("OTEL_EXPORTER_PROMETHEUS_PORT", " 9100 ");
    auto o = prometheus_exporter_options_from_env();
    EXPECT_EQ(o.host, "0.0.0.0");
    EXPECT_EQ(o.port, 9100);
  }
  {
    test::scoped_env host("OTEL_EXPORTER_PROMETHEUS_HOST", std::nullopt);
    test::scoped_env port("OTEL_EXPORTER_PROMETHEUS_PORT", std::nullopt);
    auto o = prometheus_exporter_options_from_env();
    EXPECT_EQ(o.host, "127.0.0.1");
    EXPECT_EQ(o.port, 9464);
    EXPECT_EQ(o.path, "/metrics");
  }
  std::vector<std::string> diags;
  set_diagnostic_handler(
      [&](diag_level, std::string_view, std::string_view m) { diags.emplace_back(m); });
  for (const char* bad : {"", "abc", "65536", "-1", "80x", "99999999999999999999"}) {
    test::scoped_env host("OTEL_EXPORTER_PROMETHEUS_HOST", "  ");
    test::scoped_env port("OTEL_EXPORTER_PROMETHEUS_PORT", bad);
    prometheus_exporter_options base;
    base.port = 1234;
    auto o = prometheus_exporter_options_from_env(base);
    EXPECT_EQ(o.port, 1234) << bad;
    EXPECT_EQ(o.host, "127.0.0.1");
  }
  set_diagnostic_handler(nullptr);
  detail::reset_diagnostics_for_testing();
  EXPECT_GE(diags.size(), 6u);
}

// ---- the exporter with a real meter provider ---------------------------------------

TEST(PrometheusExporter, ScrapesAMeterProvider) {
  prometheus_exporter_options o;
  o.port = 0;
  auto exporter = std::make_shared<prometheus_exporter>(o);
  std::string out;
  EXPECT_FALSE(exporter->scrape(prometheus_format::text, out));  // not registered yet

  metrics::meter_provider_options po;
  po.resource = agtel::resource{{{"service.name", "svc"}}, ""};
  po.readers.push_back(exporter->reader());
  po.self_metrics = false;
  auto provider = std::make_shared<metrics::meter_provider>(std::move(po));
  auto meter = provider->get_meter("agtel.test", "2.0");
  auto tokens =
      meter.create_counter<int64_t>("llm.tokens", {.description = "Tokens.", .unit = "{token}"});
  auto latency = meter.create_histogram<double>(
      "gen_ai.client.operation.duration",
      {.description = "Latency.", .unit = "s", .buckets = {0.1, 1, 10}});
  tokens.add(5, {{"gen_ai.request.model", "m"}});
  tokens.add(7, {{"gen_ai.request.model", "m"}});
  latency.record(0.5, {{"gen_ai.request.model", "m"}});

  ASSERT_TRUE(exporter->scrape(prometheus_format::text, out));
  EXPECT_NE(out.find("target_info{service_name=\"svc\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_tokens_total{gen_ai_request_model=\"m\",otel_scope_name=\"agtel.test\","
                     "otel_scope_version=\"2.0\"} 12\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("gen_ai_client_operation_duration_seconds_bucket{gen_ai_request_model=\"m\","
                     "otel_scope_name=\"agtel.test\",otel_scope_version=\"2.0\",le=\"1\"} 1\n"),
            std::string::npos)
      << out;

  ASSERT_TRUE(exporter->start());
  auto r = request(exporter->port(), "GET", "/metrics",
                   {"Accept: application/openmetrics-text; version=1.0.0"});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("# TYPE llm_tokens counter\n"), std::string::npos) << r->body;
  EXPECT_TRUE(r->body.ends_with("# EOF\n"));
  EXPECT_EQ(exporter->stats().scrapes, 1u);

  // After shutdown the endpoint answers 503.
  provider->shutdown();
  auto gone = request(exporter->port(), "GET", "/metrics");
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 503);
  exporter->stop();
  EXPECT_EQ(exporter->port(), 0);
}

// Scrapes never block recording: recorders keep their pace while clients scrape (and a
// slow client holds a worker) in a loop.
TEST(PrometheusExporter, RecordingIsNotBlockedByScrapes) {
  prometheus_exporter_options o;
  o.port = 0;
  o.io_timeout = 2000ms;
  auto exporter = std::make_shared<prometheus_exporter>(o);
  metrics::meter_provider_options po;
  po.readers.push_back(exporter->reader());
  po.self_metrics = false;
  auto provider = std::make_shared<metrics::meter_provider>(std::move(po));
  auto meter = provider->get_meter("load");
  auto counter = meter.create_counter<int64_t>("ops");
  auto hist = meter.create_histogram<double>("lat", {.unit = "s"});
  ASSERT_TRUE(exporter->start());

  std::atomic<bool> stop{false};
  std::thread scraper([&] {
    while (!stop.load()) request(exporter->port(), "GET", "/metrics", {"Accept-Encoding: gzip"});
  });
  connection slow(exporter->port());
  slow.send("GET /metrics HTTP/1.1\r\n");
  constexpr int64_t n = 200000;
  std::vector<std::thread> recorders;
  std::atomic<int64_t> worst_ns{0};
  for (int t = 0; t < 2; ++t) {
    recorders.emplace_back([&, t] {
      for (int64_t i = 0; i < n; ++i) {
        const auto a = std::chrono::steady_clock::now();
        counter.add(1, {{"t", t}, {"i", i % 100}});
        hist.record(0.001 * static_cast<double>(i % 1000), {{"t", t}});
        const auto d = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - a)
                           .count();
        int64_t w = worst_ns.load();
        while (d > w && !worst_ns.compare_exchange_weak(w, d)) {
        }
      }
    });
  }
  for (auto& t : recorders) t.join();
  stop = true;
  scraper.join();
  // A recorder blocked behind the endpoint would wait for the slow client (io_timeout,
  // 2 s); 1 s leaves room for a descheduled thread on a loaded 2-core machine.
  EXPECT_LT(worst_ns.load(), 1'000'000'000) << "a record call waited " << worst_ns.load() << " ns";
  std::string out;
  ASSERT_TRUE(exporter->scrape(prometheus_format::text, out));
  int64_t total = 0;
  for (size_t p = out.find("\nops_total{"); p != std::string::npos;
       p = out.find("\nops_total{", p + 1)) {
    const size_t sp = out.find("} ", p);
    total += std::stoll(out.substr(sp + 2, out.find('\n', sp) - sp - 2));
  }
  EXPECT_EQ(total, 2 * n);
}

}  // namespace
}  // namespace agtel::exporter
