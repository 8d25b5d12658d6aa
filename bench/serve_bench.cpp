// agtel serve's ingest path end to end on loopback (issue 6): OTLP/HTTP protobuf requests
// of 512 spans with 4 attributes each, from `clients` threads (each one request in flight,
// as an SDK's exporter sends), into the receiver and the SQLite store of one process, every
// request answered 200 only after its COMMIT (synchronous=FULL). The load generator shares
// the machine's cores with the server, as the budget says.
//
//   BM_serve_ingest/clients:N   spans/s through HTTP + decode + store; bytes per span.
//   BM_serve_metrics/clients:N  metric samples/s the same way: each client is one process
//                               (its own service.instance.id) sending collections of 1,000
//                               counter series, one point each, as an SDK's periodic
//                               reader does.
//
// Budgets: ≥ 100,000 spans/s sustained over OTLP/HTTP protobuf (issue 6); ≥ 500,000
// samples/s over OTLP (issue 7).
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "otlp/codec.hpp"
#include "server/otlp_http_receiver.hpp"
#include "store/store.hpp"

namespace {

using namespace agtel;
namespace fs = std::filesystem;

constexpr size_t batch_spans = 512;
const char* const tools[] = {"search", "fetch", "shell", "edit", "read", "write", "browse", "calc"};

// One encoded request: 64 traces of 8 spans, ids from `seed`.
std::string encoded_request(uint64_t seed) {
  agtel::resource res;
  res.attributes.set("service.name", "bench-agent");
  instrumentation_scope scope;
  scope.name = "agtel.agent";
  std::mt19937_64 rng(seed);
  std::vector<trace::span_ptr> spans;
  const timestamp_ns start = realtime_ns();
  trace::trace_id tid;
  trace::span_id root;
  for (size_t i = 0; i < batch_spans; ++i) {
    trace::span_id sid;
    const uint64_t s = rng() | 1;
    std::memcpy(sid.bytes().data(), &s, 8);
    if (i % 8 == 0) {
      const uint64_t a = rng() | 1, b = rng();
      std::memcpy(tid.bytes().data(), &a, 8);
      std::memcpy(tid.bytes().data() + 8, &b, 8);
      root = sid;
    }
    trace::span_ptr p = trace::span_ptr::make();
    p->context = trace::span_context(tid, sid, trace::trace_flags{1}, false);
    if (i % 8 != 0) p->parent_span_id = root;
    const char* tool = tools[i % 8];
    p->name = std::string("execute_tool ") + tool;
    p->start_time = start + i * 1000;
    p->end_time = p->start_time + 1'500'000;
    p->attributes.set("gen_ai.tool.name", tool);
    p->attributes.set("session.id", "session-" + std::to_string(seed * 64 + i / 8));
    p->attributes.set("attempt", static_cast<int64_t>(i % 3));
    p->attributes.set("ok", i % 11 != 0);
    p->resource = &res;
    p->scope = &scope;
    spans.push_back(std::move(p));
  }
  std::string out;
  otlp::encode_traces_protobuf(spans, out);
  return out;
}

// agtel serve in-process (the receiver and the store in a temporary directory) and the
// clients that load it: each client thread posts its requests, one in flight at a time.
struct serve_under_load {
  fs::path dir = fs::temp_directory_path() /
                 ("agtel-serve-bench-" + std::to_string(std::random_device{}()));
  store::writer_options wo;
  std::unique_ptr<store::writer> writer;
  std::unique_ptr<server::otlp_http_receiver> receiver;
  std::string error;

  bool start() {
    fs::create_directories(dir);
    wo.path = (dir / "agtel.db").string();
    writer = store::writer::open(wo, error);
    if (!writer) return false;
    server::receiver_options ro;
    ro.port = 0;
    receiver = std::make_unique<server::otlp_http_receiver>(ro, *writer);
    return receiver->start(error);
  }

  // Posts requests_of(c) from each client c to `path`; false (and `error`) when one was
  // not answered 200.
  bool run_clients(size_t clients, const char* path,
                   const std::function<const std::vector<std::string>&(size_t)>& requests_of) {
    std::vector<std::thread> threads;
    std::atomic<bool> bad{false};
    std::mutex mu;
    for (size_t c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        httplib::Client client("127.0.0.1", receiver->port());
        for (const std::string& body : requests_of(c)) {
          auto res = client.Post(path, body, "application/x-protobuf");
          if ((!res || res->status != 200) && !bad.exchange(true)) {
            std::lock_guard lock(mu);
            error = "a request was not answered 200: " +
                    (res ? std::to_string(res->status) + " " + res->body
                         : httplib::to_string(res.error()));
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    return !bad;
  }

  // Stops the server (its writer commits what is queued) and reports the store's figures.
  void finish(benchmark::State& state) {
    receiver->stop();
    writer->drain(std::chrono::seconds(30));
    const auto st = writer->stats();
    const double items = static_cast<double>(st.spans_stored + st.metric_points_stored);
    if (st.transactions) {
      state.counters["items_per_commit"] = items / static_cast<double>(st.transactions);
      state.counters["mean_commit_ms"] =
          static_cast<double>(st.total_commit_ns) / static_cast<double>(st.transactions) / 1e6;
    }
    std::error_code ec;
    const double bytes = static_cast<double>(fs::file_size(wo.path, ec)) +
                         static_cast<double>(fs::file_size(wo.path + "-wal", ec));
    if (st.spans_stored)
      state.counters["bytes_per_span_with_wal"] = bytes / static_cast<double>(st.spans_stored);
    receiver.reset();
    writer.reset();
    fs::remove_all(dir, ec);
  }
};

void BM_serve_ingest(benchmark::State& state) {
  const auto clients = static_cast<size_t>(state.range(0));
  serve_under_load serve;
  if (!serve.start()) {
    state.SkipWithError(serve.error.c_str());
    return;
  }
  constexpr size_t requests_per_client = 16;  // per iteration
  std::vector<std::vector<std::string>> requests(clients);
  for (size_t c = 0; c < clients; ++c)
    for (size_t k = 0; k < requests_per_client; ++k)
      requests[c].push_back(encoded_request(c * requests_per_client + k + 1));
  uint64_t spans = 0;
  for (auto _ : state) {
    if (!serve.run_clients(clients, "/v1/traces", [&](size_t c) -> const auto& { return requests[c]; })) {
      state.SkipWithError(serve.error.c_str());
      return;
    }
    spans += clients * requests_per_client * batch_spans;
  }
  state.counters["spans_per_s"] =
      benchmark::Counter(static_cast<double>(spans), benchmark::Counter::kIsRate);
  serve.finish(state);
}
BENCHMARK(BM_serve_ingest)
    ->ArgName("clients")
    ->Arg(1)
    ->Arg(4)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3);

// One collection of `series` counters of the process `instance`, at time t.
std::string encoded_collection(size_t instance, size_t series, timestamp_ns t) {
  agtel::resource res;
  res.attributes.set("service.name", "bench-agent");
  res.attributes.set("service.instance.id", "instance-" + std::to_string(instance));
  instrumentation_scope scope;
  scope.name = "agtel.agent";
  metrics::resource_metrics rm;
  rm.resource = &res;
  auto& sm = rm.scopes.next();
  sm.scope = &scope;
  sm.metrics.clear();
  auto& m = sm.metrics.next();
  m.name = "gen_ai.client.token.usage.total";
  m.unit = "{token}";
  metrics::sum_data d;
  d.monotonic = true;
  for (size_t i = 0; i < series; ++i) {
    auto& p = d.points.next();
    p = {};
    p.attributes.set("gen_ai.request.model", tools[i % 8]);
    p.attributes.set("gen_ai.agent.name", "agent-" + std::to_string(i / 8));
    p.attributes.set("gen_ai.token.type", i % 2 ? "input" : "output");
    p.start_time = 1;
    p.time = t;
    p.value = static_cast<int64_t>(t / 1'000'000'000 % 100000 + i);
  }
  m.data = std::move(d);
  std::string out;
  otlp::encode_metrics_protobuf(rm, out);
  return out;
}

// The receiver's share per request: decoding one collection of 1,000 series.
void BM_decode_collection(benchmark::State& state) {
  const std::string body = encoded_collection(0, 1000, realtime_ns());
  for (auto _ : state) {
    otlp::metric_batch batch;
    std::string error = otlp::decode_metrics_protobuf(body, batch);
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      return;
    }
    benchmark::DoNotOptimize(batch);
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 1000, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_decode_collection)->Unit(benchmark::kMicrosecond);

void BM_serve_metrics(benchmark::State& state) {
  const auto clients = static_cast<size_t>(state.range(0));
  constexpr size_t series = 1000, requests_per_client = 16;
  serve_under_load serve;
  if (!serve.start()) {
    state.SkipWithError(serve.error.c_str());
    return;
  }
  // Each client's collections, 15 s apart.
  std::vector<std::vector<std::string>> requests(clients);
  const timestamp_ns t0 = realtime_ns();
  for (size_t c = 0; c < clients; ++c)
    for (size_t k = 0; k < requests_per_client; ++k)
      requests[c].push_back(encoded_collection(c, series, t0 + k * 15'000'000'000ull));
  uint64_t samples = 0;
  for (auto _ : state) {
    if (!serve.run_clients(clients, "/v1/metrics", [&](size_t c) -> const auto& { return requests[c]; })) {
      state.SkipWithError(serve.error.c_str());
      return;
    }
    samples += clients * requests_per_client * series;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  serve.finish(state);
}
BENCHMARK(BM_serve_metrics)
    ->ArgName("clients")
    ->Arg(1)
    ->Arg(4)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3);

}  // namespace

BENCHMARK_MAIN();
