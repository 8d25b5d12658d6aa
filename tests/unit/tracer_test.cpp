// The span data model through the real SDK: ids, parents, kinds, attributes, events,
// links, status, exceptions, limits, and the non-recording paths.
#include "agtel/trace/tracer_provider.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "agtel/trace/simple_span_processor.hpp"
#include "support/test_exporter.hpp"

namespace agtel::trace {
namespace {

struct fixture {
  std::shared_ptr<test::exporter_control> exported = std::make_shared<test::exporter_control>();
  std::unique_ptr<tracer_provider> provider;
  tracer t;

  explicit fixture(span_limits limits = {}, std::shared_ptr<sampler> s = always_on_sampler()) {
    tracer_provider_options o;
    o.resource = resource{{{"service.name", "test"}}, ""};
    o.sampler = std::move(s);
    o.limits = limits;
    o.processors.push_back(make_simple_span_processor(std::make_unique<test::test_exporter>(exported)));
    provider = std::make_unique<tracer_provider>(std::move(o));
    t = provider->get_tracer("agtel.test", "1.0");
  }
  const span_data& only() {
    EXPECT_EQ(exported->items.size(), 1u);
    return *exported->items.at(0);
  }
};

TEST(tracer, root_span_has_fresh_valid_ids_and_full_data) {
  fixture f;
  {
    auto s = f.t.start_span("invoke_agent coder",
                            {.kind = span_kind::client, .attributes = {{"gen_ai.agent.name", "coder"}}});
    EXPECT_TRUE(s.is_recording());
    EXPECT_TRUE(s.context().is_valid());
    EXPECT_TRUE(s.context().sampled());
    EXPECT_FALSE(s.context().is_remote());
    s.set_attribute("gen_ai.usage.input_tokens", 120);
  }
  const span_data& d = f.only();
  EXPECT_EQ(d.name, "invoke_agent coder");
  EXPECT_EQ(d.kind, span_kind::client);
  EXPECT_FALSE(d.parent_span_id.is_valid());
  EXPECT_GT(d.start_time, 0u);
  EXPECT_GE(d.end_time, d.start_time);
  EXPECT_EQ(std::get<std::string>(*d.attributes.find("gen_ai.agent.name")), "coder");
  EXPECT_EQ(std::get<int64_t>(*d.attributes.find("gen_ai.usage.input_tokens")), 120);
  ASSERT_NE(d.resource, nullptr);
  EXPECT_EQ(std::get<std::string>(*d.resource->attributes.find("service.name")), "test");
  ASSERT_NE(d.scope, nullptr);
  EXPECT_EQ(d.scope->name, "agtel.test");
  EXPECT_EQ(d.scope->version, "1.0");
}

TEST(tracer, child_of_active_span_shares_trace_and_points_at_parent) {
  fixture f;
  span_context parent_ctx;
  {
    auto parent = f.t.start_span("parent");
    parent_ctx = parent.context();
    auto active = parent.activate();
    auto child = f.t.start_span("child");
    EXPECT_EQ(child.context().trace_id(), parent_ctx.trace_id());
    EXPECT_NE(child.context().span_id(), parent_ctx.span_id());
  }
  ASSERT_EQ(f.exported->items.size(), 2u);
  const span_data& child = *f.exported->items[0];
  EXPECT_EQ(child.name, "child");
  EXPECT_EQ(child.parent_span_id, parent_ctx.span_id());
  EXPECT_FALSE(child.parent_is_remote);
  EXPECT_FALSE(agtel::context::current().span().is_valid()) << "scope did not restore";
}

TEST(tracer, explicit_remote_parent_and_root_option) {
  fixture f;
  auto tid = trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").value();
  auto sid = span_id::from_hex("00f067aa0ba902b7").value();
  span_context remote(tid, sid, trace_flags{1}, true);
  {
    auto s = f.t.start_span("consume", {.kind = span_kind::consumer, .parent = &remote});
    EXPECT_EQ(s.context().trace_id(), tid);
    auto active = s.activate();
    auto r = f.t.start_span("new trace", {.root = true});
    EXPECT_NE(r.context().trace_id(), tid);
  }
  ASSERT_EQ(f.exported->items.size(), 2u);
  EXPECT_FALSE(f.exported->items[0]->parent_span_id.is_valid());
  EXPECT_EQ(f.exported->items[1]->parent_span_id, sid);
  EXPECT_TRUE(f.exported->items[1]->parent_is_remote);
}

TEST(tracer, events_links_status_and_update_name) {
  fixture f;
  span_context linked(trace_id::from_hex("0102030405060708090a0b0c0d0e0f10").value(),
                      span_id::from_hex("0102030405060708").value(), trace_flags{1}, false);
  {
    auto s = f.t.start_span("x", {.links = {{linked, {{"link.kind", "follows"}}}}});
    s.add_event("first_chunk", {{"gen_ai.response.chunks", 1}}, 12345);
    s.add_link(linked);
    s.set_status(status_code::error, "tool failed");
    s.update_name("renamed");
  }
  const span_data& d = f.only();
  EXPECT_EQ(d.name, "renamed");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].name, "first_chunk");
  EXPECT_EQ(d.events[0].time, 12345u);
  EXPECT_EQ(std::get<int64_t>(*d.events[0].attributes.find("gen_ai.response.chunks")), 1);
  ASSERT_EQ(d.links.size(), 2u);
  EXPECT_EQ(d.links[0].context, linked);
  EXPECT_EQ(std::get<std::string>(*d.links[0].attributes.find("link.kind")), "follows");
  EXPECT_EQ(d.status.code, status_code::error);
  EXPECT_EQ(d.status.message, "tool failed");
}

TEST(tracer, status_rules_ok_is_final_unset_is_ignored_message_only_with_error) {
  fixture f;
  {
    auto a = f.t.start_span("a");
    a.set_status(status_code::ok, "ignored message");
    a.set_status(status_code::error, "too late");
    auto b = f.t.start_span("b");
    b.set_status(status_code::error, "boom");
    b.set_status(status_code::unset);
  }
  ASSERT_EQ(f.exported->items.size(), 2u);
  const span_data& b = *f.exported->items[0];
  const span_data& a = *f.exported->items[1];
  EXPECT_EQ(a.status.code, status_code::ok);
  EXPECT_EQ(a.status.message, "");
  EXPECT_EQ(b.status.code, status_code::error);
  EXPECT_EQ(b.status.message, "boom");
}

TEST(tracer, record_exception_adds_semconv_event) {
  fixture f;
  {
    auto s = f.t.start_span("tool");
    try {
      throw std::runtime_error("disk full");
    } catch (...) {
      s.record_exception(std::current_exception(), {{"tool.retry", 2}});
    }
    s.record_exception("TimeoutError", "no answer in 30s", "at main.py:3");
    try {
      throw 42;
    } catch (...) {
      s.record_exception(std::current_exception());
    }
  }
  const span_data& d = f.only();
  ASSERT_EQ(d.events.size(), 3u);
  EXPECT_EQ(d.events[0].name, "exception");
  EXPECT_EQ(std::get<std::string>(*d.events[0].attributes.find("exception.type")), "std::runtime_error");
  EXPECT_EQ(std::get<std::string>(*d.events[0].attributes.find("exception.message")), "disk full");
  EXPECT_EQ(std::get<int64_t>(*d.events[0].attributes.find("tool.retry")), 2);
  EXPECT_EQ(std::get<std::string>(*d.events[1].attributes.find("exception.stacktrace")), "at main.py:3");
  EXPECT_EQ(std::get<std::string>(*d.events[2].attributes.find("exception.type")), "unknown");
  EXPECT_EQ(d.status.code, status_code::unset) << "record_exception must not set the status";
}

TEST(tracer, limits_drop_and_count) {
  span_limits lim;
  lim.attribute_count = 2;
  lim.attribute_value_length = 3;
  lim.event_count = 1;
  lim.link_count = 1;
  lim.attributes_per_event = 1;
  fixture f(lim);
  span_context other(trace_id::from_hex("0102030405060708090a0b0c0d0e0f10").value(),
                     span_id::from_hex("0102030405060708").value(), trace_flags{1}, false);
  {
    auto s = f.t.start_span("x", {.attributes = {{"a", "abcdef"}, {"b", 1}, {"c", 2}}});
    s.set_attribute("d", 4);
    s.add_event("e1", {{"k1", 1}, {"k2", 2}});
    s.add_event("e2");
    s.record_exception("T", "m");
    s.add_link(other);
    s.add_link(other);
  }
  const span_data& d = f.only();
  EXPECT_EQ(d.attributes.size(), 2u);
  EXPECT_EQ(d.attributes.dropped(), 2u);
  EXPECT_EQ(std::get<std::string>(*d.attributes.find("a")), "abc");
  EXPECT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.dropped_events, 2u);
  EXPECT_EQ(d.events[0].attributes.dropped(), 1u);
  EXPECT_EQ(d.links.size(), 1u);
  EXPECT_EQ(d.dropped_links, 1u);
}

TEST(tracer, dropped_span_is_non_recording_but_propagates) {
  fixture f({}, always_off_sampler());
  auto s = f.t.start_span("dropped", {.attributes = {{"a", 1}}});
  EXPECT_FALSE(s.is_recording());
  EXPECT_TRUE(s.context().is_valid());
  EXPECT_FALSE(s.context().sampled());
  s.set_attribute("b", 2).add_event("e").set_status(status_code::error, "x");
  s.end();
  EXPECT_EQ(f.exported->items.size(), 0u);
  auto active = s.activate();
  auto child = f.t.start_span("child");
  EXPECT_EQ(child.context().trace_id(), s.context().trace_id());
}

TEST(tracer, default_tracer_is_noop_and_keeps_parent_context) {
  tracer noop;
  EXPECT_FALSE(noop.enabled());
  auto orphan = noop.start_span("x");
  EXPECT_FALSE(orphan.is_recording());
  EXPECT_FALSE(orphan.context().is_valid());
  span_context parent(trace_id::from_hex("0102030405060708090a0b0c0d0e0f10").value(),
                      span_id::from_hex("0102030405060708").value(), trace_flags{1}, true);
  auto child = noop.start_span("y", {.parent = &parent});
  EXPECT_EQ(child.context(), parent);
}

TEST(tracer, end_is_idempotent_and_explicit_times_are_kept) {
  fixture f;
  {
    auto s = f.t.start_span("timed", {.start_time = 1000});
    s.end(5000);
    s.end(9000);
    s.set_attribute("after_end", 1);
    EXPECT_FALSE(s.is_recording());
  }
  const span_data& d = f.only();
  EXPECT_EQ(d.start_time, 1000u);
  EXPECT_EQ(d.end_time, 5000u);
  EXPECT_EQ(d.duration_ns(), 4000u);
  EXPECT_EQ(d.attributes.find("after_end"), nullptr);
}

TEST(tracer, end_before_start_is_clamped) {
  fixture f;
  f.t.start_span("backwards", {.start_time = 5000}).end(1000);
  EXPECT_EQ(f.only().end_time, 5000u);
}

TEST(tracer, moved_span_ends_once) {
  fixture f;
  {
    auto a = f.t.start_span("a");
    span b = std::move(a);
    EXPECT_FALSE(a.is_recording());
    span c = f.t.start_span("c");
    c = std::move(b);  // ends "c", takes over "a"
  }
  ASSERT_EQ(f.exported->items.size(), 2u);
  EXPECT_EQ(f.exported->items[0]->name, "c");
  EXPECT_EQ(f.exported->items[1]->name, "a");
}

TEST(tracer_provider, same_scope_returns_same_tracer_and_shutdown_stops_recording) {
  fixture f;
  auto t2 = f.provider->get_tracer("agtel.test", "1.0");
  EXPECT_TRUE(t2.enabled());
  EXPECT_EQ(f.provider->shutdown(), sdk_result::ok);
  EXPECT_EQ(f.exported->shutdown_calls, 1);
  EXPECT_EQ(f.provider->shutdown(), sdk_result::already_shutdown);
  EXPECT_FALSE(f.t.enabled());
  auto s = f.t.start_span("after shutdown");
  EXPECT_FALSE(s.is_recording());
}

TEST(tracer_provider, span_open_at_shutdown_is_not_exported) {
  fixture f;
  auto open = f.t.start_span("still running");
  EXPECT_EQ(f.provider->shutdown(), sdk_result::ok);
  open.end();
  EXPECT_EQ(f.exported->items.size(), 0u);
}

TEST(tracer_provider, global_provider_starts_noop_and_can_be_set) {
  auto before = get_tracer("x");
  (void)before;
  auto ctl = std::make_shared<test::exporter_control>();
  tracer_provider_options o;
  o.processors.push_back(make_simple_span_processor(std::make_unique<test::test_exporter>(ctl)));
  set_global_tracer_provider(std::make_shared<tracer_provider>(std::move(o)));
  get_tracer("global").start_span("via global").end();
  EXPECT_EQ(ctl->size(), 1u);
  set_global_tracer_provider(nullptr);
  EXPECT_FALSE(get_tracer("x").enabled());
}

}  // namespace
}  // namespace agtel::trace
