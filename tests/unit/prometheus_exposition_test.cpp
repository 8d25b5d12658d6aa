// Golden tests of the Prometheus text 0.0.4 / OpenMetrics 1.0 serializer
// (src/export/prometheus/exposition.cpp): one test per translation rule.
#include <gtest/gtest.h>

#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/prometheus_exporter.hpp"
#include "agtel/metrics/buckets.hpp"

namespace agtel::exporter {
namespace {

using metrics::aggregation_temporality;
using metrics::metric_data;

constexpr auto text = prometheus_format::text;
constexpr auto om = prometheus_format::openmetrics;

// Builds collections by hand, as a reader or the OTLP receiver would fill them.
class PrometheusExposition : public ::testing::Test {
 protected:
  void SetUp() override {
    scope_.name = "agtel.test";
    scope_.version = "1.0";
    other_scope_.name = "other";
    batch_.resource = &resource_;
  }

  metrics::scope_metrics& scope(const instrumentation_scope* s = nullptr) {
    auto& sm = batch_.scopes.next();
    sm.scope = s != nullptr ? s : &scope_;
    sm.metrics.clear();
    return sm;
  }
  static metric_data& metric(metrics::scope_metrics& sm, std::string name, std::string unit = "",
                             std::string description = "") {
    metric_data& m = sm.metrics.next();
    m.name = std::move(name);
    m.unit = std::move(unit);
    m.description = std::move(description);
    return m;
  }
  static metrics::sum_data& sum(metric_data& m, bool monotonic,
                                aggregation_temporality t = aggregation_temporality::cumulative) {
    m.data = metrics::sum_data{};
    auto& s = std::get<metrics::sum_data>(m.data);
    s.monotonic = monotonic;
    s.temporality = t;
    return s;
  }
  static metrics::gauge_data& gauge(metric_data& m) {
    m.data = metrics::gauge_data{};
    return std::get<metrics::gauge_data>(m.data);
  }
  static metrics::histogram_data& histogram(
      metric_data& m, aggregation_temporality t = aggregation_temporality::cumulative) {
    m.data = metrics::histogram_data{};
    auto& h = std::get<metrics::histogram_data>(m.data);
    h.temporality = t;
    return h;
  }
  static metrics::number_point& point(reuse_vector<metrics::number_point>& pts,
                                      metrics::number_value v, attribute_list attrs = {}) {
    auto& p = pts.next();
    p = metrics::number_point{};
    p.value = v;
    p.attributes = std::move(attrs);
    return p;
  }
  static metrics::histogram_point& hpoint(metrics::histogram_data& h, std::vector<double> bounds,
                                          std::vector<uint64_t> counts, double sum,
                                          attribute_list attrs = {}) {
    auto& p = h.points.next();
    p = metrics::histogram_point{};
    p.bounds = std::move(bounds);
    p.bucket_counts = std::move(counts);
    for (uint64_t c : p.bucket_counts) p.count += c;
    p.sum = sum;
    p.attributes = std::move(attrs);
    return p;
  }

  std::string render(prometheus_format f, prometheus_exposition_options o = no_target()) {
    prometheus_serializer s(o);
    std::string out;
    s.serialize(batch_, f, out);
    return out;
  }
  static prometheus_exposition_options no_target() {
    prometheus_exposition_options o;
    o.target_info = false;
    return o;
  }

  agtel::resource resource_{{{"service.name", "checkout"}}, ""};
  instrumentation_scope scope_;
  instrumentation_scope other_scope_;
  metrics::resource_metrics batch_;
};

// Collects diagnostics for the test's lifetime.
class diag_capture {
 public:
  diag_capture() {
    detail::reset_diagnostics_for_testing();
    set_diagnostic_handler([this](diag_level, std::string_view, std::string_view msg) {
      std::lock_guard lock(mutex_);
      messages_.emplace_back(msg);
    });
  }
  ~diag_capture() {
    set_diagnostic_handler(nullptr);
    detail::reset_diagnostics_for_testing();
  }
  std::string all() {
    std::lock_guard lock(mutex_);
    std::string s;
    for (auto& m : messages_) s += m + "\n";
    return s;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
};

const std::string scope_labels = R"(otel_scope_name="agtel.test",otel_scope_version="1.0")";

TEST_F(PrometheusExposition, ContentTypes) {
  EXPECT_EQ(prometheus_content_type(text), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(prometheus_content_type(om),
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

TEST_F(PrometheusExposition, EmptyCollection) {
  EXPECT_EQ(render(text), "");
  EXPECT_EQ(render(om), "# EOF\n");
}

TEST_F(PrometheusExposition, CounterText) {
  auto& sm = scope();
  auto& s = sum(metric(sm, "http.requests", "{request}", "Requests served."), true);
  point(s.points, int64_t{5}, {{"http.method", "GET"}});
  point(s.points, int64_t{7}, {{"http.method", "POST"}});
  EXPECT_EQ(render(text),
            "# HELP http_requests_total Requests served.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{http_method=\"GET\"," +
                scope_labels +
                "} 5\n"
                "http_requests_total{http_method=\"POST\"," +
                scope_labels + "} 7\n");
}

TEST_F(PrometheusExposition, CounterOpenMetricsWithCreatedAndExemplar) {
  auto& sm = scope();
  auto& s = sum(metric(sm, "llm.cost", "{USD}", "Cost."), true);
  auto& p = point(s.points, 0.25);
  p.start_time = 1'700'000'000'500'000'000;
  auto& e1 = p.exemplars.next();
  e1 = metrics::exemplar{};
  e1.value = 0.05;
  e1.time = 1'700'000'001'000'000'000;
  e1.trace_id = *trace::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
  e1.span_id = *trace::span_id::from_hex("b7ad6b7169203331");
  const metrics::exemplar first = e1;
  auto& e2 = p.exemplars.next();  // older: not the one shown (e1 may have moved)
  e2 = first;
  e2.time = 1'700'000'000'900'000'000;
  e2.value = 0.01;
  EXPECT_EQ(render(om),
            "# TYPE llm_cost counter\n"
            "# HELP llm_cost Cost.\n"
            "llm_cost_total{" +
                scope_labels +
                "} 0.25 # {trace_id=\"0af7651916cd43dd8448eb211c80319c\",span_id="
                "\"b7ad6b7169203331\"} 0.05 1700000001\n"
                "llm_cost_created{" +
                scope_labels +
                "} 1700000000.5\n"
                "# EOF\n");
  // Text has no exemplars and no _created.
  EXPECT_EQ(render(text),
            "# HELP llm_cost_total Cost.\n"
            "# TYPE llm_cost_total counter\n"
            "llm_cost_total{" +
                scope_labels + "} 0.25\n");
}

TEST_F(PrometheusExposition, CounterAlreadyEndingInTotal) {
  auto& sm = scope();
  point(sum(metric(sm, "jobs_total", "", "d"), true).points, int64_t{1});
  EXPECT_EQ(render(text),
            "# HELP jobs_total d\n# TYPE jobs_total counter\njobs_total{" + scope_labels + "} 1\n");
}

TEST_F(PrometheusExposition, CounterWithoutTotalSuffix) {
  auto& sm = scope();
  point(sum(metric(sm, "jobs", "", "d"), true).points, int64_t{1});
  auto o = no_target();
  o.total_suffix = false;
  o.scope_labels = false;
  EXPECT_EQ(render(text, o), "# HELP jobs d\n# TYPE jobs counter\njobs 1\n");
  EXPECT_EQ(render(om, o), "# TYPE jobs unknown\n# HELP jobs d\njobs 1\n# EOF\n");
}

TEST_F(PrometheusExposition, NonMonotonicSumIsGauge) {
  auto& sm = scope();
  point(sum(metric(sm, "task.queue.size", "{task}", "Queued."), false).points, int64_t{-3});
  EXPECT_EQ(render(text),
            "# HELP task_queue_size Queued.\n# TYPE task_queue_size gauge\n"
            "task_queue_size{" +
                scope_labels + "} -3\n");
  EXPECT_EQ(render(om),
            "# TYPE task_queue_size gauge\n# HELP task_queue_size Queued.\n"
            "task_queue_size{" +
                scope_labels + "} -3\n# EOF\n");
}

TEST_F(PrometheusExposition, GaugeRatioAndSpecialFloats) {
  auto& sm = scope();
  auto& g = gauge(metric(sm, "context_window.utilization", "1", "Share used."));
  point(g.points, 0.5, {{"gen_ai.agent.name", "coder"}});
  point(g.points, std::numeric_limits<double>::quiet_NaN(), {{"gen_ai.agent.name", "a"}});
  point(g.points, std::numeric_limits<double>::infinity(), {{"gen_ai.agent.name", "b"}});
  point(g.points, -std::numeric_limits<double>::infinity(), {{"gen_ai.agent.name", "c"}});
  point(g.points, 2.0, {{"gen_ai.agent.name", "d"}});
  const std::string s = scope_labels;
  EXPECT_EQ(render(text),
            "# HELP context_window_utilization_ratio Share used.\n"
            "# TYPE context_window_utilization_ratio gauge\n"
            "context_window_utilization_ratio{gen_ai_agent_name=\"coder\"," +
                s +
                "} 0.5\n"
                "context_window_utilization_ratio{gen_ai_agent_name=\"a\"," +
                s +
                "} NaN\n"
                "context_window_utilization_ratio{gen_ai_agent_name=\"b\"," +
                s +
                "} +Inf\n"
                "context_window_utilization_ratio{gen_ai_agent_name=\"c\"," +
                s +
                "} -Inf\n"
                "context_window_utilization_ratio{gen_ai_agent_name=\"d\"," +
                s + "} 2\n");
  EXPECT_NE(render(om).find("# UNIT context_window_utilization_ratio ratio\n"), std::string::npos);
  EXPECT_NE(render(om).find("{gen_ai_agent_name=\"d\"," + s + "} 2.0\n"), std::string::npos);
}

TEST_F(PrometheusExposition, HistogramText) {
  auto& sm = scope();
  auto& h = histogram(metric(sm, "gen_ai.client.operation.duration", "s", "LLM latency."));
  hpoint(h, {0.1, 1, 10}, {1, 2, 0, 1}, 12.5, {{"gen_ai.request.model", "gpt-4o"}});
  const std::string l = "gen_ai_request_model=\"gpt-4o\"," + scope_labels;
  EXPECT_EQ(render(text),
            "# HELP gen_ai_client_operation_duration_seconds LLM latency.\n"
            "# TYPE gen_ai_client_operation_duration_seconds histogram\n"
            "gen_ai_client_operation_duration_seconds_bucket{" +
                l +
                ",le=\"0.1\"} 1\n"
                "gen_ai_client_operation_duration_seconds_bucket{" +
                l +
                ",le=\"1\"} 3\n"
                "gen_ai_client_operation_duration_seconds_bucket{" +
                l +
                ",le=\"10\"} 3\n"
                "gen_ai_client_operation_duration_seconds_bucket{" +
                l +
                ",le=\"+Inf\"} 4\n"
                "gen_ai_client_operation_duration_seconds_sum{" +
                l +
                "} 12.5\n"
                "gen_ai_client_operation_duration_seconds_count{" +
                l + "} 4\n");
}

TEST_F(PrometheusExposition, HistogramOpenMetricsExemplarsPerBucket) {
  auto& sm = scope();
  auto& h = histogram(metric(sm, "task.duration", "s", "Task time."));
  auto& p = hpoint(h, {1, 2, 4, 8}, {0, 2, 0, 1, 0}, 9.5);
  p.start_time = 1'700'000'000'000'000'000;
  const auto add = [&](double v, const char* span) {
    auto& e = p.exemplars.next();
    e = metrics::exemplar{};
    e.value = v;
    e.trace_id = *trace::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
    e.span_id = *trace::span_id::from_hex(span);
  };
  add(1.5, "0000000000000001");
  add(1.9, "0000000000000002");  // the largest in (1, 2]
  add(6.0, "0000000000000003");
  const std::string l = "otel_scope_name=\"agtel.test\",otel_scope_version=\"1.0\"";
  const auto ex = [](const char* span, const char* v) {
    return std::string(" # {trace_id=\"0af7651916cd43dd8448eb211c80319c\",span_id=\"") + span +
           "\"} " + v;
  };
  EXPECT_EQ(render(om),
            "# TYPE task_duration_seconds histogram\n"
            "# UNIT task_duration_seconds seconds\n"
            "# HELP task_duration_seconds Task time.\n"
            // No exemplar at or below 1.
            "task_duration_seconds_bucket{" +
                l +
                ",le=\"1.0\"} 0\n"
                "task_duration_seconds_bucket{" +
                l + ",le=\"2.0\"} 2" + ex("0000000000000002", "1.9") +
                "\n"
                // An empty bucket repeats the highest exemplar from below.
                "task_duration_seconds_bucket{" +
                l + ",le=\"4.0\"} 2" + ex("0000000000000002", "1.9") + "\n" +
                "task_duration_seconds_bucket{" + l + ",le=\"8.0\"} 3" +
                ex("0000000000000003", "6.0") + "\n" + "task_duration_seconds_bucket{" + l +
                ",le=\"+Inf\"} 3" + ex("0000000000000003", "6.0") + "\n" +
                "task_duration_seconds_sum{" + l +
                "} 9.5\n"
                "task_duration_seconds_count{" +
                l +
                "} 3\n"
                "task_duration_seconds_created{" +
                l +
                "} 1700000000\n"
                "# EOF\n");
}

TEST_F(PrometheusExposition, HistogramSumOmittedForNegativeValues) {
  auto& sm = scope();
  auto& h = histogram(metric(sm, "delta.t", "", "d"));
  auto& p = hpoint(h, {0}, {1, 1}, 3.0);
  p.min = -1.0;
  auto& q = hpoint(h, {0}, {1, 0}, -2.0, {{"k", "v"}});  // no min recorded, negative sum
  (void)q;
  const std::string out = render(text);
  EXPECT_EQ(out.find("_sum"), std::string::npos) << out;
  EXPECT_NE(out.find("delta_t_count{" + scope_labels + "} 2\n"), std::string::npos) << out;
}

TEST_F(PrometheusExposition, HistogramWithoutBuckets) {
  auto& sm = scope();
  auto& h = histogram(metric(sm, "h", "", "d"));
  auto& p = hpoint(h, {}, {}, 4.0);
  p.count = 3;
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o),
            "# HELP h d\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n");
}

TEST_F(PrometheusExposition, MalformedHistogramPointIsDropped) {
  diag_capture diags;
  auto& sm = scope();
  auto& h = histogram(metric(sm, "h", "", "d"));
  hpoint(h, {1, 2}, {1, 1}, 1.0);  // 2 counts for 2 bounds: needs 3
  hpoint(h, {1}, {1, 1}, 1.0, {{"ok", "yes"}});
  const std::string out = render(text);
  EXPECT_EQ(out.find("le=\"2\""), std::string::npos) << out;
  EXPECT_NE(out.find("h_count{ok=\"yes\","), std::string::npos) << out;
  EXPECT_NE(diags.all().find("bucket counts"), std::string::npos);
}

TEST_F(PrometheusExposition, ExponentialHistogramAsBuckets) {
  auto& sm = scope();
  metric_data& m = metric(sm, "x.latency", "s", "Exp.");
  m.data = metrics::exponential_histogram_data{};
  auto& eh = std::get<metrics::exponential_histogram_data>(m.data);
  auto& p = eh.points.next();
  p = metrics::exponential_histogram_point{};
  p.scale = 0;  // base 2
  p.zero_count = 1;
  p.positive.offset = 0;  // (1,2], (2,4]
  p.positive.counts = {1, 2};
  p.negative.offset = 1;  // [-4,-2)
  p.negative.counts = {3};
  p.count = 7;
  p.sum = -3.5;
  p.min = -3.9;
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o),
            "# HELP x_latency_seconds Exp.\n"
            "# TYPE x_latency_seconds histogram\n"
            "x_latency_seconds_bucket{le=\"-2\"} 3\n"
            "x_latency_seconds_bucket{le=\"0\"} 4\n"
            "x_latency_seconds_bucket{le=\"2\"} 5\n"
            "x_latency_seconds_bucket{le=\"4\"} 7\n"
            "x_latency_seconds_bucket{le=\"+Inf\"} 7\n"
            "x_latency_seconds_count 7\n");
  // Dropped on request, with a diagnostic.
  diag_capture diags;
  o.exponential_histograms = false;
  EXPECT_EQ(render(text, o), "");
  EXPECT_NE(diags.all().find("x.latency"), std::string::npos);
}

TEST_F(PrometheusExposition, DeltaDataIsDroppedWithADiagnostic) {
  diag_capture diags;
  auto& sm = scope();
  point(sum(metric(sm, "delta.count", "", "d"), true, aggregation_temporality::delta).points,
        int64_t{1});
  hpoint(histogram(metric(sm, "delta.hist", "", "d"), aggregation_temporality::delta), {1}, {1, 0},
         0.5);
  point(sum(metric(sm, "kept", "", "d"), true).points, int64_t{2});
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o), "# HELP kept_total d\n# TYPE kept_total counter\nkept_total 2\n");
  EXPECT_NE(diags.all().find("delta.count"), std::string::npos);
  EXPECT_NE(diags.all().find("delta.hist"), std::string::npos);
}

TEST_F(PrometheusExposition, Summary) {
  auto& sm = scope();
  metric_data& m = metric(sm, "rpc.latency", "s", "Received summary.");
  m.data = metrics::summary_data{};
  auto& p = std::get<metrics::summary_data>(m.data).points.next();
  p = metrics::summary_point{};
  p.count = 10;
  p.sum = 2.5;
  p.quantiles = {{0.5, 0.2}, {0.99, 1}};
  p.attributes = {{"quantile", "x"}};
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o),
            "# HELP rpc_latency_seconds Received summary.\n"
            "# TYPE rpc_latency_seconds summary\n"
            "rpc_latency_seconds{exported_quantile=\"x\",quantile=\"0.5\"} 0.2\n"
            "rpc_latency_seconds{exported_quantile=\"x\",quantile=\"0.99\"} 1\n"
            "rpc_latency_seconds_sum{exported_quantile=\"x\"} 2.5\n"
            "rpc_latency_seconds_count{exported_quantile=\"x\"} 10\n");
}

TEST_F(PrometheusExposition, TargetInfo) {
  resource_ = agtel::resource{{{"service.name", "checkout"},
                               {"service.namespace", "shop"},
                               {"service.instance.id", "i-1"},
                               {"host.cpu.count", int64_t{8}}},
                              ""};
  prometheus_exposition_options o;
  EXPECT_EQ(render(text, o),
            "# HELP target_info Target metadata\n# TYPE target_info gauge\n"
            "target_info{service_name=\"checkout\",service_namespace=\"shop\","
            "service_instance_id=\"i-1\",host_cpu_count=\"8\"} 1\n");
  EXPECT_EQ(render(om, o),
            "# TYPE target info\n# HELP target Target metadata\n"
            "target_info{service_name=\"checkout\",service_namespace=\"shop\","
            "service_instance_id=\"i-1\",host_cpu_count=\"8\"} 1\n# EOF\n");
  o.job_instance_labels = true;
  EXPECT_EQ(render(text, o),
            "# HELP target_info Target metadata\n# TYPE target_info gauge\n"
            "target_info{job=\"shop/checkout\",instance=\"i-1\",service_name=\"checkout\","
            "service_namespace=\"shop\",service_instance_id=\"i-1\",host_cpu_count=\"8\"} 1\n");
  // Resource attributes that would clash with job/instance are renamed.
  resource_ = agtel::resource{{{"service.name", "s"}, {"job", "j"}, {"instance", "x"}}, ""};
  EXPECT_EQ(render(text, o),
            "# HELP target_info Target metadata\n# TYPE target_info gauge\n"
            "target_info{job=\"s\",instance=\"\",service_name=\"s\",exported_job=\"j\","
            "exported_instance=\"x\"} 1\n");
  // No resource attributes, or switched off: no target_info.
  resource_ = agtel::resource{};
  EXPECT_EQ(render(text, prometheus_exposition_options{}), "");
  batch_.resource = nullptr;
  EXPECT_EQ(render(om, prometheus_exposition_options{}), "# EOF\n");
}

TEST_F(PrometheusExposition, UserMetricNamedTargetInfoIsDropped) {
  diag_capture diags;
  auto& sm = scope();
  point(gauge(metric(sm, "target.info", "", "mine")).points, int64_t{1});
  point(gauge(metric(sm, "target", "", "mine")).points, int64_t{1});
  const std::string out = render(text, prometheus_exposition_options{});
  EXPECT_EQ(out.find("mine"), std::string::npos) << out;
  EXPECT_NE(out.find("target_info{service_name=\"checkout\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(diags.all().find("target.info"), std::string::npos);
}

TEST_F(PrometheusExposition, ScopeLabels) {
  instrumentation_scope unversioned{"lib\"x", "", "", {}};
  auto& a = scope(&unversioned);
  point(gauge(metric(a, "g", "", "d")).points, int64_t{1});
  EXPECT_EQ(render(text), "# HELP g d\n# TYPE g gauge\ng{otel_scope_name=\"lib\\\"x\"} 1\n");
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o), "# HELP g d\n# TYPE g gauge\ng 1\n");
}

TEST_F(PrometheusExposition, FamiliesMergeAcrossScopes) {
  auto& a = scope();
  point(sum(metric(a, "errors", "{error}", "Errors."), true).points, int64_t{1});
  point(gauge(metric(a, "between", "", "B.")).points, int64_t{0});
  auto& b = scope(&other_scope_);
  point(sum(metric(b, "errors", "{error}", "Other help."), true).points, int64_t{2});
  EXPECT_EQ(render(text),
            "# HELP errors_total Errors.\n# TYPE errors_total counter\n"
            "errors_total{" +
                scope_labels +
                "} 1\n"
                "errors_total{otel_scope_name=\"other\"} 2\n"
                "# HELP between B.\n# TYPE between gauge\n"
                "between{" +
                scope_labels + "} 0\n");
}

TEST_F(PrometheusExposition, ConflictingTypesDropTheLaterMetric) {
  diag_capture diags;
  auto& a = scope();
  point(sum(metric(a, "x", "", "counter"), true).points, int64_t{1});
  auto& b = scope(&other_scope_);
  point(gauge(metric(b, "x", "", "gauge")).points, int64_t{2});
  // Sample-name clashes: a histogram "h" owns h_count; a gauge "h.count" is dropped.
  hpoint(histogram(metric(b, "h", "", "hist")), {1}, {1, 0}, 0.5);
  point(gauge(metric(b, "h.count", "", "clash")).points, int64_t{3});
  const std::string out = render(text);
  EXPECT_EQ(out.find("gauge"), std::string::npos) << out;
  EXPECT_EQ(out.find("clash"), std::string::npos) << out;
  EXPECT_NE(out.find("x_total{" + scope_labels + "} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_count{otel_scope_name=\"other\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(diags.all().find("'x' dropped"), std::string::npos) << diags.all();
  EXPECT_NE(diags.all().find("'h.count' dropped"), std::string::npos) << diags.all();
}

TEST_F(PrometheusExposition, LabelNameCollisionsMerge) {
  auto& sm = scope();
  // All three sanitize to a_b: values joined by ';' in the order of the original keys
  // ("a-b" < "a.b" < "a_b" in byte order).
  point(gauge(metric(sm, "g", "", "d")).points, int64_t{1},
        {{"a_b", "under"}, {"a.b", "dot"}, {"z", "last"}, {"a-b", "dash"}});
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o),
            "# HELP g d\n# TYPE g gauge\ng{a_b=\"dash;dot;under\",z=\"last\"} 1\n");
}

TEST_F(PrometheusExposition, ReservedLabelNamesAreRenamed) {
  auto& sm = scope();
  hpoint(histogram(metric(sm, "h", "", "d")), {1}, {1, 0}, 0.5,
         {{"le", "mine"}, {"otel.scope.name", "fake"}});
  const std::string out = render(text);
  EXPECT_NE(out.find("h_bucket{exported_le=\"mine\",exported_otel_scope_name=\"fake\"," +
                     scope_labels + ",le=\"1\"} 1\n"),
            std::string::npos)
      << out;
}

TEST_F(PrometheusExposition, LabelValueEscapingAndUtf8) {
  auto& sm = scope();
  point(gauge(metric(sm, "g", "", "d")).points, int64_t{1},
        {{"quote", "say \"hi\""},
         {"path", "C:\\temp"},
         {"multi", "line1\nline2"},
         {"bad", "ok\xFF\xC3"},
         {"intl", "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\xA4\x96"},
         {"flag", true},
         {"n", int64_t{-7}},
         {"tags", std::vector<std::string>{"a", "b"}}});
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o),
            "# HELP g d\n# TYPE g gauge\n"
            "g{quote=\"say \\\"hi\\\"\",path=\"C:\\\\temp\",multi=\"line1\\nline2\","
            "bad=\"ok\xEF\xBF\xBD\xEF\xBF\xBD\",intl=\"\xE6\x97\xA5\xE6\x9C\xAC "
            "\xF0\x9F\xA4\x96\",flag=\"true\",n=\"-7\",tags=\"[\\\"a\\\",\\\"b\\\"]\"} 1\n");
}

TEST_F(PrometheusExposition, HelpEscapingAndFallback) {
  auto& sm = scope();
  point(gauge(metric(sm, "with.help", "", "a \"q\" \\ b\nc")).points, int64_t{1});
  point(gauge(metric(sm, "no.help", "", "")).points, int64_t{1});
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(text, o),
            "# HELP with_help a \"q\" \\\\ b\\nc\n# TYPE with_help gauge\nwith_help 1\n"
            "# HELP no_help no.help\n# TYPE no_help gauge\nno_help 1\n");
  EXPECT_NE(render(om, o).find("# HELP with_help a \\\"q\\\" \\\\ b\\nc\n"), std::string::npos);
}

TEST_F(PrometheusExposition, PointsWithoutRecordedValueAreSkipped) {
  auto& sm = scope();
  auto& g = gauge(metric(sm, "g", "", "d"));
  point(g.points, int64_t{1}, {{"k", "a"}}).flags = metrics::point_flag_no_recorded_value;
  point(g.points, int64_t{2}, {{"k", "b"}});
  const std::string out = render(text);
  EXPECT_EQ(out.find("\"a\""), std::string::npos) << out;
  EXPECT_NE(out.find("k=\"b\""), std::string::npos) << out;
}

TEST_F(PrometheusExposition, ExemplarLabelLimit) {
  auto& sm = scope();
  auto& s = sum(metric(sm, "c", "", "d"), true);
  auto& p = point(s.points, int64_t{1});
  auto& e = p.exemplars.next();
  e = metrics::exemplar{};
  e.value = int64_t{1};
  e.trace_id = *trace::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
  e.span_id = *trace::span_id::from_hex("b7ad6b7169203331");
  // 63 characters used by the ids; "user" (4) + 20 fits, the 100-character value does not.
  e.filtered_attributes = {{"big", std::string(100, 'x')}, {"user", std::string(20, 'u')}};
  auto o = no_target();
  o.scope_labels = false;
  const std::string out = render(om, o);
  EXPECT_NE(out.find(",user=\"uuuuuuuuuuuuuuuuuuuu\"} 1\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("big"), std::string::npos) << out;
}

TEST_F(PrometheusExposition, ExemplarOutsideASpan) {
  auto& sm = scope();
  auto& p = point(sum(metric(sm, "c", "", "d"), true).points, int64_t{3});
  auto& e = p.exemplars.next();
  e = metrics::exemplar{};
  e.value = int64_t{2};
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_EQ(render(om, o), "# TYPE c counter\n# HELP c d\nc_total 3 # {} 2\n# EOF\n");
}

TEST_F(PrometheusExposition, AppendsAndReusesState) {
  auto& sm = scope();
  auto& h = histogram(metric(sm, "h", "s", "d"));
  hpoint(h, {0.5, 1}, {1, 1, 1}, 2.0, {{"k", "1"}});
  hpoint(h, {0.5, 1}, {0, 0, 1}, 2.0, {{"k", "2"}});
  hpoint(h, {0.25}, {1, 0}, 0.1, {{"k", "3"}});  // other bounds in the same metric
  prometheus_serializer s(no_target());
  std::string a = "prefix\n";
  s.serialize(batch_, text, a);
  std::string b;
  s.serialize(batch_, om, b);  // the le cache must follow the format
  std::string c;
  s.serialize(batch_, text, c);
  EXPECT_EQ(a, "prefix\n" + c);
  EXPECT_NE(b.find("le=\"0.5\"} 1"), std::string::npos);
  EXPECT_NE(b.find("le=\"1.0\"} 2"), std::string::npos);
  EXPECT_NE(c.find("h_seconds_bucket{k=\"3\"," + scope_labels + ",le=\"0.25\"} 1\n"),
            std::string::npos)
      << c;
  EXPECT_EQ(c.find("le=\"1.0\""), std::string::npos);
}

// Every metric of the agent catalogue (shared/spec/metrics.md) gets its documented name.
TEST_F(PrometheusExposition, AgentCatalogueNames) {
  struct entry {
    const char* name;
    const char* kind;  // h: histogram, c: counter, u: up-down counter, g: gauge
    const char* unit;
    const char* sample;  // the series name that carries the value
  };
  const entry catalogue[] = {
      {"gen_ai.invoke_agent.duration", "h", "s", "gen_ai_invoke_agent_duration_seconds_count"},
      {"gen_ai.execute_tool.duration", "h", "s", "gen_ai_execute_tool_duration_seconds_count"},
      {"gen_ai.workflow.duration", "h", "s", "gen_ai_workflow_duration_seconds_count"},
      {"gen_ai.client.operation.duration", "h", "s",
       "gen_ai_client_operation_duration_seconds_count"},
      {"gen_ai.client.token.usage", "h", "{token}", "gen_ai_client_token_usage_count"},
      {"gen_ai.client.operation.time_to_first_chunk", "h", "s",
       "gen_ai_client_operation_time_to_first_chunk_seconds_count"},
      {"gen_ai.client.operation.time_per_output_chunk", "h", "s",
       "gen_ai_client_operation_time_per_output_chunk_seconds_count"},
      {"agent.active", "u", "{agent}", "agent_active"},
      {"llm.cost", "c", "{USD}", "llm_cost_total"},
      {"llm.cost.unpriced_calls", "c", "{call}", "llm_cost_unpriced_calls_total"},
      {"context_window.size", "g", "{token}", "context_window_size"},
      {"context_window.used", "g", "{token}", "context_window_used"},
      {"context_window.utilization", "g", "1", "context_window_utilization_ratio"},
      {"errors", "c", "{error}", "errors_total"},
      {"task.queue.size", "u", "{task}", "task_queue_size"},
      {"task.duration", "h", "s", "task_duration_seconds_count"},
      {"session.duration", "h", "s", "session_duration_seconds_count"},
      {"events.emitted", "c", "{event}", "events_emitted_total"},
      {"invocation.duration", "h", "s", "invocation_duration_seconds_count"},
  };
  auto& sm = scope();
  for (const entry& e : catalogue) {
    metric_data& m = metric(sm, e.name, e.unit, "d");
    switch (e.kind[0]) {
      case 'h':
        hpoint(histogram(m), {1}, {1, 0}, 0.5);
        break;
      case 'c':
        point(sum(m, true).points, int64_t{1});
        break;
      case 'u':
        point(sum(m, false).points, int64_t{1});
        break;
      default:
        point(gauge(m).points, int64_t{1});
        break;
    }
  }
  auto o = no_target();
  o.scope_labels = false;
  const std::string out = render(text, o);
  for (const entry& e : catalogue)
    EXPECT_NE(out.find(std::string("\n") + e.sample + " 1\n"), std::string::npos)
        << e.name << " → " << e.sample << "\n"
        << out;
}

TEST_F(PrometheusExposition, ValuesAreConvertedToBaseUnits) {
  auto& sm = scope();
  auto& p = hpoint(histogram(metric(sm, "llm.latency", "ms", "d")), {5, 250}, {1, 1, 1}, 1255);
  auto& e = p.exemplars.next();
  e = metrics::exemplar{};
  e.value = 7.0;
  e.trace_id = *trace::trace_id::from_hex("0af7651916cd43dd8448eb211c80319c");
  e.span_id = *trace::span_id::from_hex("0000000000000001");
  point(gauge(metric(sm, "heap", "KiBy", "d")).points, int64_t{3});
  point(sum(metric(sm, "uptime", "h", "d"), true).points, 1.5);
  auto o = no_target();
  o.scope_labels = false;
  const std::string out = render(om, o);
  EXPECT_NE(out.find("# UNIT llm_latency_seconds seconds\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_latency_seconds_bucket{le=\"0.005\"} 1\n"), std::string::npos) << out;
  // The exemplar (7 ms) is in seconds too, on the bucket that holds it.
  EXPECT_NE(out.find("llm_latency_seconds_bucket{le=\"0.25\"} 2 # {"), std::string::npos) << out;
  EXPECT_NE(out.find("\"} 0.007\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_latency_seconds_sum 1.255\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_latency_seconds_count 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("heap_bytes 3072.0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("uptime_seconds_total 5400.0\n"), std::string::npos) << out;
  // Without unit suffixes nothing is converted.
  o.unit_suffixes = false;
  const std::string raw = render(text, o);
  EXPECT_NE(raw.find("llm_latency_bucket{le=\"5\"} 1\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("heap 3\n"), std::string::npos) << raw;
}

TEST_F(PrometheusExposition, LeAndQuantileAreReservedOnEveryFamily) {
  auto& sm = scope();
  point(gauge(metric(sm, "g", "", "d")).points, int64_t{1},
        {{"le", "a"}, {"quantile", "b"}, {"userId", "c"}});
  auto o = no_target();
  o.scope_labels = false;
  EXPECT_NE(render(text, o).find("g{exported_le=\"a\",exported_quantile=\"b\",user_id=\"c\"} 1\n"),
            std::string::npos)
      << render(text, o);
}

}  // namespace
}  // namespace agtel::exporter
