// Context propagation helpers: envelope headers, gRPC metadata, a child's environment, and
// hostile input that must be ignored.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <unordered_map>

#include "agent_fixture.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/events.hpp"
#include "agtel/agent/propagation.hpp"
#include "agtel/propagation/carriers.hpp"
#include "support/test_support.hpp"

namespace agtel::agent {
namespace {

TEST(AgentPropagation, GrpcMetadataRoundTrip) {
  test::agent_world w;
  grpc_metadata md{{"authorization", "Bearer x"}, {"TraceParent", "stale"}};
  trace::span_context sent;
  {
    agent_run caller("caller", {.remote = true});
    sent = caller.span().context();
    inject_grpc_metadata(md);
  }
  EXPECT_EQ(md.count("TraceParent"), 0u);  // a stale value in another case is replaced
  ASSERT_EQ(md.count("traceparent"), 1u);
  EXPECT_EQ(md.count("authorization"), 1u);
  agtel::context got = extract_grpc_metadata(md);
  EXPECT_EQ(got.span().trace_id(), sent.trace_id());
  EXPECT_EQ(got.span().span_id(), sent.span_id());
  EXPECT_TRUE(got.span().is_remote());
}

TEST(AgentPropagation, HeadersWithBaggage) {
  test::agent_world w;
  std::unordered_map<std::string, std::string> headers;
  auto ctx = agtel::context::current().with_baggage(agtel::baggage().set("tenant", "acme"));
  auto scope = ctx.attach();
  agent_run r("x");
  inject_headers(headers);
  ASSERT_TRUE(headers.count("baggage"));
  auto got = extract_headers(headers);
  EXPECT_EQ(got.baggage().get("tenant"), "acme");
  EXPECT_EQ(got.span().span_id(), r.span().context().span_id());
}

TEST(AgentPropagation, ChildEnvironmentRoundTrip) {
  test::agent_world w;
  std::vector<std::string> env;
  trace::span_context sent;
  {
    agent_run parent("parent");
    sent = parent.span().context();
    env = propagation::child_environment();
  }
  std::string traceparent;
  for (const auto& e : env)
    if (e.rfind("TRACEPARENT=", 0) == 0) traceparent = e.substr(12);
  ASSERT_FALSE(traceparent.empty());
  test::scoped_env set("TRACEPARENT", traceparent);
  agtel::context got = parent_from_environment();
  EXPECT_EQ(got.span().trace_id(), sent.trace_id());
  { agent_run child("child", {.parent = &got}); }
  EXPECT_EQ(w.span("invoke_agent child")->parent_span_id, sent.span_id());
}

TEST(AgentPropagation, WithoutProvidersTheIncomingContextStillFlowsThrough) {
  // A relay process with telemetry off must not break its callers' traces.
  trace::set_global_tracer_provider(nullptr);
  metrics::set_global_meter_provider(nullptr);
  const std::string incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  std::map<std::string, std::string> in{{"traceparent", incoming}};
  auto scope = extract_headers(in).attach();
  agent_run run("relay");
  event_publish pub("out", "forward");
  std::map<std::string, std::string> out;
  pub.inject(out);
  EXPECT_EQ(out["traceparent"], incoming);
}

TEST(AgentPropagation, HostileHeadersAreIgnored) {
  test::agent_world w;
  for (const std::string& bad : std::vector<std::string>{
           "", "garbage", "00-00000000000000000000000000000000-0000000000000000-01",
           "ff-" + std::string(5000, 'a'), std::string("00-\0\xff", 5),
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra-for-v00"}) {
    std::map<std::string, std::string> headers{{"traceparent", bad},
                                               {"baggage", std::string(100000, ',')}};
    agtel::context got = extract_headers(headers);
    EXPECT_FALSE(got.span().is_valid()) << bad.substr(0, 40);
    // A scope parented on it starts a new trace.
    { agent_run r("orphan", {.parent = &got}); }
  }
  for (const auto& s : w.spans()) EXPECT_FALSE(s->parent_span_id.is_valid());
}

}  // namespace
}  // namespace agtel::agent
