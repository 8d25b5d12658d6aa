// The workload of the Prometheus agreement test (prometheus_agreement_test.cpp): one
// program, run twice in a row (`first`, then `second`: the restart resets every counter),
// that records with agtel's own metrics SDK, set up from OTEL_* variables by
// agtel::sdk::init(): OTEL_METRICS_EXPORTER=otlp,prometheus, so the same instruments are
// exported over OTLP (cumulative) to `agtel serve` and served on /metrics to Prometheus.
//
// The values change in steps, each followed by a quiet plateau of --plateau-ms (longer
// than the scrape and export intervals), so that on each plateau both systems hold the
// same values. For each step it prints one JSON line to stdout:
//   {"phase":"first","step":0,"begin_ns":…,"end_ns":…}
// (wall-clock time just before the step's first record and just after its last), and,
// just before the SDK shuts down, {"phase":"first","exit_ns":…}: the last plateau ends
// there (the /metrics endpoint goes away).
//
//   agreement_workload first|second [--plateau-ms 4000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "agtel/metrics/meter_provider.hpp"
#include "agtel/sdk/init.hpp"

namespace {

namespace metrics = agtel::metrics;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Latencies in ms. The bucket bounds (ms) are fixed by the instrument's advice.
const std::vector<double> bounds_ms = {5, 10, 25, 50, 100, 250, 500, 1000, 2500};
// S0 reaches every bucket, +Inf included: recorded many times first, it is the baseline
// that makes every cumulative bucket large compared with what a window adds (see the
// test: Prometheus's increase() then scales all buckets alike).
// One value in 20 lies past the last bound, so p99 (and some p95) fall in +Inf and answer
// the highest finite bound, the others in finite buckets.
const std::vector<double> s0 = {1,   3,   7,   8,   12,  20,  30,   40,   60,   80,
                                120, 200, 300, 400, 700, 900, 1500, 2000, 2400, 5000};
const std::vector<double> s1 = {2, 4, 6, 9, 11, 15, 22, 35, 45, 70};  // low
const std::vector<double> s2 = {110,  150,  180,  260,  300,  480,  520,  640,  800,  900,
                                1100, 1200, 1500, 1800, 2000, 2200, 2300, 2400, 2450, 9000};  // high

struct instruments {
  metrics::counter<int64_t> tokens;
  metrics::counter<double> busy;
  metrics::histogram<double> latency;

  // model=a records every value of `set`, model=b every other one (b: the even indexes).
  void record(const std::vector<double>& set, int times) {
    for (int t = 0; t < times; ++t)
      for (size_t i = 0; i < set.size(); ++i) {
        latency.record(set[i], {{"model", "a"}});
        if (i % 2 == 0) latency.record(set[i], {{"model", "b"}});
      }
  }
  void step(int64_t tokens_a, int64_t tokens_b, double busy_a, double busy_b) {
    if (tokens_a) tokens.add(tokens_a, {{"model", "a"}});
    if (tokens_b) tokens.add(tokens_b, {{"model", "b"}});
    if (busy_a) busy.add(busy_a, {{"model", "a"}});
    if (busy_b) busy.add(busy_b, {{"model", "b"}});
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || (std::strcmp(argv[1], "first") != 0 && std::strcmp(argv[1], "second") != 0)) {
    std::fprintf(stderr, "usage: agreement_workload first|second [--plateau-ms N]\n");
    return 2;
  }
  const std::string phase = argv[1];
  int plateau_ms = 4000;
  if (argc == 4 && std::strcmp(argv[2], "--plateau-ms") == 0) plateau_ms = std::atoi(argv[3]);

  agtel::sdk::init();
  auto meter = metrics::get_meter("agtel.agreement", "1.0");
  instruments in{
      meter.create_counter<int64_t>("agree.tokens", {.description = "Tokens.", .unit = "{token}"}),
      meter.create_counter<double>("agree.busy", {.description = "Busy time.", .unit = "ms"}),
      meter.create_histogram<double>("agree.latency",
                                     {.description = "Latency.", .unit = "ms", .buckets = bounds_ms}),
  };

  // Each phase's steps; every value here is what the test expects (it re-derives nothing
  // from this table: it compares agtel's answers with Prometheus's).
  std::vector<std::function<void()>> steps;
  if (phase == "first") {
    steps = {[&] { in.step(1000, 400, 1500.5, 333.3), in.record(s0, 10); },
             [&] { in.step(120, 35, 20.25, 0), in.record(s1, 1); },
             [&] { in.step(7, 300, 0.125, 12), in.record(s2, 1); }};
  } else {
    // After the restart every counter starts again below where the first run left it, so
    // Prometheus sees the reset too (a value that decreases).
    steps = {[&] { in.step(50, 20, 10.5, 1.25), in.record(s0, 3); },
             [&] { in.step(30, 0, 2.5, 4), in.record(s2, 2); }};
  }

  const auto start = std::chrono::steady_clock::now();
  for (size_t k = 0; k < steps.size(); ++k) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(plateau_ms) * k);
    const int64_t begin = now_ns();
    steps[k]();
    const int64_t end = now_ns();
    std::printf("{\"phase\":\"%s\",\"step\":%zu,\"begin_ns\":%lld,\"end_ns\":%lld}\n",
                phase.c_str(), k, static_cast<long long>(begin), static_cast<long long>(end));
    std::fflush(stdout);
  }
  std::this_thread::sleep_until(start + std::chrono::milliseconds(plateau_ms) * steps.size());
  std::printf("{\"phase\":\"%s\",\"exit_ns\":%lld}\n", phase.c_str(),
              static_cast<long long>(now_ns()));
  std::fflush(stdout);
  agtel::sdk::shutdown();
  return 0;
}
