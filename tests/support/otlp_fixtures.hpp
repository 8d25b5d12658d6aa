// Telemetry that exercises every field the OTLP codecs carry: every attribute type (and
// the edge values of each), events, links with and without trace state, remote parents,
// status, every metric data kind with exemplars and flags, log bodies of every type and
// every severity. Shared by the codec tests, the OTLP peer tests (fixtures decoded by the
// official JavaScript decoder) and the fuzz seed corpus.
//
// Items point at resources and scopes owned by the fixture object: keep it alive while
// they are used. Spans and records are interleaved across two resources and two scopes,
// so the encoders' grouping is exercised too.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/logs/log_record_data.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::test {

template <size_t N>
trace::basic_id<N> fixture_id(uint8_t seed) {
  std::array<uint8_t, N> b{};
  for (size_t i = 0; i < N; ++i) b[i] = static_cast<uint8_t>(seed + 17 * i + 1);
  return trace::basic_id<N>(b);
}

// One attribute of every type and edge value, with the keys the peer test checks.
inline void add_every_attribute_type(attribute_list& a) {
  a.set("str", "value");
  a.set("str.empty", "");
  a.set("str.unicode", "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80");
  a.set("bool.true", true);
  a.set("bool.false", false);
  a.set("int.zero", 0);
  a.set("int.negative", int64_t{-42});
  a.set("int.max", std::numeric_limits<int64_t>::max());
  a.set("int.min", std::numeric_limits<int64_t>::min());
  a.set("double", 3.25);
  a.set("double.negative_zero", -0.0);
  a.set("double.inf", std::numeric_limits<double>::infinity());
  static const bool bools[] = {true, false, true};
  a.set("array.bool", std::span<const bool>(bools));
  a.set("array.int", std::vector<int64_t>{1, -2, 3000000000});
  a.set("array.double", std::vector<double>{0.5, -1.5, 0.0});
  a.set("array.string", std::vector<std::string>{"a", "", "c"});
}

struct otlp_fixture {
  std::deque<resource> resources;
  std::deque<instrumentation_scope> scopes;
  std::vector<trace::span_ptr> spans;
  metrics::resource_metrics metrics;
  std::vector<logs::log_record_ptr> records;

  otlp_fixture() {
    resource& ra = resources.emplace_back();
    ra.attributes.set("service.name", "agent-runtime");
    add_every_attribute_type(ra.attributes);
    ra.attributes.add_dropped(2);
    ra.schema_url = "https://opentelemetry.io/schemas/1.26.0";
    resource& rb = resources.emplace_back();
    rb.attributes.set("service.name", "tool-runner");

    instrumentation_scope& s1 = scopes.emplace_back();
    s1.name = "agtel.agent";
    s1.version = "0.1.0";
    s1.schema_url = "https://opentelemetry.io/schemas/1.25.0";
    s1.attributes.set("scope.attr", int64_t{7});
    s1.attributes.add_dropped(1);
    instrumentation_scope& s2 = scopes.emplace_back();
    s2.name = "tools";

    build_spans(ra, rb, s1, s2);
    build_metrics(ra, s1, s2);
    build_logs(ra, rb, s1, s2);
  }

 private:
  void build_spans(const resource& ra, const resource& rb, const instrumentation_scope& s1,
                   const instrumentation_scope& s2) {
    // A span with everything: remote parent, trace state, every attribute type, events,
    // links, error status, dropped counts.
    trace::span_ptr a = trace::span_ptr::make();
    a->context = trace::span_context(fixture_id<16>(1), fixture_id<8>(2), {0x01}, false,
                                     trace::trace_state::parse("vendor=abc,other=x-y"));
    a->parent_span_id = fixture_id<8>(3);
    a->parent_is_remote = true;
    a->name = "invoke_agent planner";
    a->kind = trace::span_kind::server;
    a->start_time = 1700000000123456789ULL;
    a->end_time = 1700000001987654321ULL;
    add_every_attribute_type(a->attributes);
    a->attributes.add_dropped(3);
    auto& e1 = a->events.next();
    e1.name = "gen_ai.choice";
    e1.time = 1700000000500000000ULL;
    e1.attributes.clear();
    e1.attributes.set("index", 0);
    e1.attributes.set("finish_reason", "stop");
    e1.attributes.add_dropped(1);
    auto& e2 = a->events.next();
    e2.name = "exception";
    e2.time = 1700000000600000000ULL;
    e2.attributes.clear();
    auto& l1 = a->links.next();
    l1.context = trace::span_context(fixture_id<16>(4), fixture_id<8>(5), {0x01}, true,
                                     trace::trace_state::parse("k=v"));
    l1.attributes.clear();
    l1.attributes.set("link.kind", "follows_from");
    l1.attributes.add_dropped(4);
    auto& l2 = a->links.next();
    l2.context = trace::span_context(fixture_id<16>(6), fixture_id<8>(7), {0x00}, false);
    l2.attributes.clear();
    a->dropped_events = 5;
    a->dropped_links = 6;
    a->status = {trace::status_code::error, "tool timed out"};
    a->resource = &ra;
    a->scope = &s1;
    spans.push_back(a);

    // A root span with nothing but ids, name and times; status ok.
    trace::span_ptr b = trace::span_ptr::make();
    b->context = trace::span_context(fixture_id<16>(8), fixture_id<8>(9), {0x00}, false);
    b->name = "root";
    b->kind = trace::span_kind::internal;
    b->start_time = 1;
    b->end_time = 2;
    b->status = {trace::status_code::ok, ""};
    b->resource = &rb;
    b->scope = &s2;
    spans.push_back(b);

    // The remaining kinds, interleaved across resources and scopes.
    const trace::span_kind kinds[] = {trace::span_kind::client, trace::span_kind::producer,
                                      trace::span_kind::consumer};
    for (int i = 0; i < 3; ++i) {
      trace::span_ptr s = trace::span_ptr::make();
      s->context = trace::span_context(fixture_id<16>(1), fixture_id<8>(static_cast<uint8_t>(20 + i)),
                                       {0x01}, false);
      s->parent_span_id = fixture_id<8>(2);
      s->name = "child " + std::to_string(i);
      s->kind = kinds[i];
      s->start_time = 1700000000200000000ULL + static_cast<uint64_t>(i);
      s->end_time = 1700000000300000000ULL;
      s->attributes.set("i", i);
      s->resource = i == 1 ? &rb : &ra;
      s->scope = i == 2 ? &s2 : &s1;
      spans.push_back(s);
    }
  }

  void build_metrics(const resource& ra, const instrumentation_scope& s1, const instrumentation_scope& s2) {
    metrics.resource = &ra;
    auto& sm1 = metrics.scopes.next();
    sm1.scope = &s1;
    sm1.metrics.clear();

    auto& gauge = sm1.metrics.next();
    gauge.name = "gen_ai.context.utilization";
    gauge.description = "How full the context window is";
    gauge.unit = "1";
    auto& gd = gauge.data.emplace<metrics::gauge_data>();
    auto& g1 = gd.points.next();
    g1.attributes.set("gen_ai.agent.name", "coder");
    g1.start_time = 0;
    g1.time = 1700000000000000000ULL;
    g1.value = 0.75;
    auto& ex = g1.exemplars.next();
    ex.filtered_attributes.set("session", "s-1");
    ex.time = 1699999999000000000ULL;
    ex.value = 0.5;
    ex.trace_id = fixture_id<16>(1);
    ex.span_id = fixture_id<8>(2);
    auto& g2 = gd.points.next();
    g2.time = 1700000000000000001ULL;
    g2.value = int64_t{-3};
    g2.flags = metrics::point_flag_no_recorded_value;
    auto& ex2 = g2.exemplars.next();  // an exemplar recorded outside any span
    ex2.time = 5;
    ex2.value = int64_t{9};

    auto& counter = sm1.metrics.next();
    counter.name = "gen_ai.client.token.usage";
    counter.unit = "{token}";
    auto& sd = counter.data.emplace<metrics::sum_data>();
    sd.temporality = metrics::aggregation_temporality::cumulative;
    sd.monotonic = true;
    auto& c1 = sd.points.next();
    c1.attributes.set("gen_ai.token.type", "input");
    c1.start_time = 1690000000000000000ULL;
    c1.time = 1700000000000000000ULL;
    c1.value = int64_t{123456789012};

    auto& updown = sm1.metrics.next();
    updown.name = "agent.queue.depth";
    auto& ud = updown.data.emplace<metrics::sum_data>();
    ud.temporality = metrics::aggregation_temporality::delta;
    ud.monotonic = false;
    auto& u1 = ud.points.next();
    u1.start_time = 10;
    u1.time = 20;
    u1.value = -2.5;

    auto& sm2 = metrics.scopes.next();
    sm2.scope = &s2;
    sm2.metrics.clear();

    auto& hist = sm2.metrics.next();
    hist.name = "gen_ai.client.operation.duration";
    hist.unit = "s";
    auto& hd = hist.data.emplace<metrics::histogram_data>();
    hd.temporality = metrics::aggregation_temporality::delta;
    auto& h1 = hd.points.next();
    h1.attributes.set("gen_ai.request.model", "m-large");
    h1.start_time = 100;
    h1.time = 200;
    h1.count = 6;
    h1.sum = 12.5;
    h1.min = 0.001;
    h1.max = 9.0;
    h1.bounds = {0.005, 0.1, 1.0, 5.0};
    h1.bucket_counts = {1, 0, 2, 2, 1};
    auto& hx = h1.exemplars.next();
    hx.time = 150;
    hx.value = 9.0;
    hx.trace_id = fixture_id<16>(4);
    hx.span_id = fixture_id<8>(5);
    auto& h2 = hd.points.next();  // no sum, min, max; a single bucket
    h2.start_time = 100;
    h2.time = 200;
    h2.count = 0;
    h2.bounds = {};
    h2.bucket_counts = {0};

    auto& exph = sm2.metrics.next();
    exph.name = "tool.latency";
    exph.unit = "ms";
    auto& ed = exph.data.emplace<metrics::exponential_histogram_data>();
    ed.temporality = metrics::aggregation_temporality::cumulative;
    auto& e1 = ed.points.next();
    e1.attributes.set("tool", "search");
    e1.start_time = 1000;
    e1.time = 2000;
    e1.count = 12;
    e1.sum = -3.5;
    e1.scale = -3;
    e1.zero_count = 2;
    e1.zero_threshold = 1e-9;
    e1.positive = {-2, {1, 0, 3, 300}};
    e1.negative = {5, {2, 4}};
    e1.min = -40.0;
    e1.max = 1e6;
    auto& ex3 = e1.exemplars.next();
    ex3.time = 1500;
    ex3.value = int64_t{300};
    auto& e2 = ed.points.next();  // empty: scale 0, no buckets, no sum
    e2.time = 3000;

    auto& summary = sm2.metrics.next();
    summary.name = "legacy.summary";
    auto& su = summary.data.emplace<metrics::summary_data>();
    auto& q1 = su.points.next();
    q1.attributes.set("source", "statsd");
    q1.start_time = 1;
    q1.time = 2;
    q1.count = 100;
    q1.sum = 2500.25;
    q1.quantiles = {{0.0, 1.0}, {0.5, 20.0}, {0.99, 99.5}, {1.0, 120.0}};
    q1.flags = 0;
  }

  void build_logs(const resource& ra, const resource& rb, const instrumentation_scope& s1,
                  const instrumentation_scope& s2) {
    std::vector<attribute_value> bodies = {
        std::string("tool call failed: timeout after 30 s"),
        int64_t{42},
        3.5,
        true,
        std::vector<std::string>{"a", "b"},
        std::vector<int64_t>{1, 2, 3},
    };
    for (int sev = 0; sev <= 24; ++sev) {
      logs::log_record_ptr r = logs::log_record_ptr::make();
      r->time = sev == 3 ? 0 : 1700000000000000000ULL + static_cast<uint64_t>(sev);
      r->observed_time = 1700000000100000000ULL + static_cast<uint64_t>(sev);
      r->severity_number = static_cast<logs::severity>(sev);
      r->severity_text = sev % 4 == 1 ? std::string(logs::short_name(r->severity_number)) : "";
      if (sev % 7 != 6) {
        r->body = bodies[static_cast<size_t>(sev) % bodies.size()];
        r->has_body = true;
      }
      if (sev == 9) r->event_name = "gen_ai.user.message";
      r->attributes.set("n", sev);
      if (sev == 17) add_every_attribute_type(r->attributes);
      if (sev % 2 == 0) {
        r->trace_id = fixture_id<16>(static_cast<uint8_t>(sev));
        r->span_id = fixture_id<8>(static_cast<uint8_t>(sev + 1));
        r->trace_flags = {static_cast<uint8_t>(sev % 4 == 0 ? 1 : 0)};
      }
      if (sev == 5) r->attributes.add_dropped(8);
      r->resource = sev % 5 == 4 ? &rb : &ra;
      r->scope = sev % 3 == 2 ? &s2 : &s1;
      records.push_back(std::move(r));
    }
  }
};

}  // namespace agtel::test
