// Context propagation: traceparent/tracestate/baggage through the propagators and the
// header carriers. Budget: traceparent inject + extract round trip <= 100 ns.
//
// Each benchmark also reports `allocs`, the heap allocations per iteration (operator new
// is counted in this program), to keep the "parse/format do not allocate; inject
// allocates only what the carrier stores" promises visible.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "agtel/propagation/carriers.hpp"
#include "agtel/propagation/composite.hpp"
#include "agtel/propagation/w3c_baggage.hpp"
#include "agtel/propagation/w3c_trace_context.hpp"

namespace {
thread_local size_t allocations = 0;
}  // namespace

// noinline: keeps g++ from pairing the malloc/free inside with new/delete expressions
// (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace {

using namespace agtel;
using namespace agtel::propagation;

using pair_list = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr std::string_view ts3 = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,agtel=s:1";
constexpr std::string_view bag3 = "userId=alice,serverNode=DF%2028,isProduction=false";

trace::span_context span(trace::trace_state state = {}) {
  auto sc = *parse_traceparent(tp);
  return trace::span_context(sc.trace_id(), sc.span_id(), sc.flags(), false, std::move(state));
}

// Reports allocations per iteration; call after the loop with the count taken before it.
void report_allocs(benchmark::State& state, size_t before) {
  state.counters["allocs"] =
      static_cast<double>(allocations - before) / static_cast<double>(state.iterations());
}

void BM_traceparent_parse(benchmark::State& state) {
  size_t before = allocations;
  for (auto _ : state) benchmark::DoNotOptimize(parse_traceparent(tp));
  report_allocs(state, before);
}
BENCHMARK(BM_traceparent_parse);

void BM_traceparent_format(benchmark::State& state) {
  auto sc = span();
  char buf[traceparent_size];
  size_t before = allocations;
  for (auto _ : state) {
    benchmark::DoNotOptimize(format_traceparent(sc, buf));
    benchmark::ClobberMemory();
  }
  report_allocs(state, before);
}
BENCHMARK(BM_traceparent_format);

// The budgeted case: inject then extract with the tracecontext propagator through a small
// header list that is reused (as a client reuses its request-header buffer).
void BM_traceparent_round_trip(benchmark::State& state) {
  w3c_trace_context_propagator p;
  context ctx(span());
  pair_list carrier;
  carrier.reserve(4);
  header_writer writer(carrier);
  header_reader reader(carrier);
  p.inject(ctx, writer);  // warm: the value storage now exists
  size_t before = allocations;
  for (auto _ : state) {
    p.inject(ctx, writer);
    benchmark::DoNotOptimize(p.extract(reader, context()));
  }
  report_allocs(state, before);
}
BENCHMARK(BM_traceparent_round_trip);

// The same through a std::map<std::string, std::string> header map.
void BM_traceparent_round_trip_std_map(benchmark::State& state) {
  w3c_trace_context_propagator p;
  context ctx(span());
  std::map<std::string, std::string> carrier = {{"content-type", "application/json"},
                                                {"user-agent", "agtel"}};
  header_writer writer(carrier);
  header_reader reader(carrier);
  p.inject(ctx, writer);
  size_t before = allocations;
  for (auto _ : state) {
    p.inject(ctx, writer);
    benchmark::DoNotOptimize(p.extract(reader, context()));
  }
  report_allocs(state, before);
}
BENCHMARK(BM_traceparent_round_trip_std_map);

void BM_tracestate_parse_3(benchmark::State& state) {
  size_t before = allocations;
  for (auto _ : state) benchmark::DoNotOptimize(trace::trace_state::parse(ts3));
  report_allocs(state, before);
}
BENCHMARK(BM_tracestate_parse_3);

void BM_tracestate_serialize_3(benchmark::State& state) {
  auto ts = trace::trace_state::parse(ts3);
  std::string out;
  out.reserve(128);
  size_t before = allocations;
  for (auto _ : state) {
    out.clear();
    ts.serialize_to(out);
    benchmark::DoNotOptimize(out.data());
  }
  report_allocs(state, before);
}
BENCHMARK(BM_tracestate_serialize_3);

// traceparent + a 3-member tracestate, inject then extract.
void BM_trace_context_round_trip_tracestate_3(benchmark::State& state) {
  w3c_trace_context_propagator p;
  context ctx(span(trace::trace_state::parse(ts3)));
  pair_list carrier;
  header_writer writer(carrier);
  header_reader reader(carrier);
  p.inject(ctx, writer);
  size_t before = allocations;
  for (auto _ : state) {
    p.inject(ctx, writer);
    benchmark::DoNotOptimize(p.extract(reader, context()));
  }
  report_allocs(state, before);
}
BENCHMARK(BM_trace_context_round_trip_tracestate_3);

void BM_baggage_parse_3(benchmark::State& state) {
  size_t before = allocations;
  for (auto _ : state) benchmark::DoNotOptimize(parse_baggage(bag3));
  report_allocs(state, before);
}
BENCHMARK(BM_baggage_parse_3);

void BM_baggage_format_3(benchmark::State& state) {
  auto bag = parse_baggage(bag3);
  std::string out;
  out.reserve(128);
  size_t before = allocations;
  for (auto _ : state) {
    out.clear();
    format_baggage(bag, out);
    benchmark::DoNotOptimize(out.data());
  }
  report_allocs(state, before);
}
BENCHMARK(BM_baggage_format_3);

void BM_baggage_round_trip_3(benchmark::State& state) {
  w3c_baggage_propagator p;
  context ctx = context().with_baggage(parse_baggage(bag3));
  pair_list carrier;
  header_writer writer(carrier);
  header_reader reader(carrier);
  p.inject(ctx, writer);
  size_t before = allocations;
  for (auto _ : state) {
    p.inject(ctx, writer);
    benchmark::DoNotOptimize(p.extract(reader, context()));
  }
  report_allocs(state, before);
}
BENCHMARK(BM_baggage_round_trip_3);

// What instrumentation does by default: the global (tracecontext + baggage) propagator,
// a context with a span and no baggage.
void BM_global_round_trip_no_baggage(benchmark::State& state) {
  context ctx(span());
  pair_list carrier;
  header_writer writer(carrier);
  header_reader reader(carrier);
  global_propagator()->inject(ctx, writer);
  size_t before = allocations;
  for (auto _ : state) {
    auto p = global_propagator();
    p->inject(ctx, writer);
    benchmark::DoNotOptimize(p->extract(reader, context()));
  }
  report_allocs(state, before);
}
BENCHMARK(BM_global_round_trip_no_baggage);

}  // namespace

BENCHMARK_MAIN();
