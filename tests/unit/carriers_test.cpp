#include "agtel/propagation/carriers.hpp"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "agtel/propagation/composite.hpp"
#include "agtel/propagation/w3c_trace_context.hpp"
#include "support/test_support.hpp"

namespace agtel::propagation {
namespace {

using pair_list = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

context sample_context() {
  auto sc = parse_traceparent(tp);
  return context(trace::span_context(sc->trace_id(), sc->span_id(), sc->flags(), false,
                                     trace::trace_state::parse("congo=t61rcWkgMzE")),
                 baggage().set("user", "alice smith"));
}

template <class Headers>
void expect_case_insensitive_lookup(const Headers& h) {
  header_reader reader(h);
  EXPECT_EQ(reader.get("traceparent"), "tp");
  EXPECT_EQ(reader.get("TRACEPARENT"), "tp");
  EXPECT_EQ(reader.get("absent"), "");
  EXPECT_EQ(reader.get(""), "");
}

TEST(header_reader, case_insensitive_in_every_container) {
  expect_case_insensitive_lookup(std::map<std::string, std::string>{{"TraceParent", "tp"}});
  expect_case_insensitive_lookup(
      std::unordered_map<std::string, std::string>{{"TRACEPARENT", "tp"}, {"x", "y"}});
  expect_case_insensitive_lookup(std::multimap<std::string, std::string>{{"traceparent", "tp"}});
  expect_case_insensitive_lookup(pair_list{{"x-other", "1"}, {"tRaCePaReNt", "tp"}});
}

TEST(header_reader, repeated_headers_are_joined_in_order) {
  pair_list h = {{"tracestate", "a=1"}, {"other", "x"}, {"TraceState", "b=2"}, {"tracestate", ""}};
  header_reader reader(h);
  EXPECT_EQ(reader.get("tracestate"), "a=1,b=2,");
  EXPECT_EQ(reader.get("other"), "x");  // a single value is a view into the container
  EXPECT_EQ(reader.get("other").data(), h[1].second.data());
  std::multimap<std::string, std::string> mm = {{"baggage", "a=1"}, {"baggage", "b=2"}};
  EXPECT_EQ(header_reader(mm).get("baggage"), "a=1,b=2");
}

TEST(header_reader, keys) {
  pair_list h = {{"a", "1"}, {"B", "2"}, {"a", "3"}};
  std::vector<std::string_view> keys;
  header_reader(h).keys(keys);
  EXPECT_EQ(keys, (std::vector<std::string_view>{"a", "B", "a"}));
}

TEST(header_writer, map_replaces_every_case_variant) {
  std::map<std::string, std::string> h = {{"TraceParent", "stale"}, {"content-type", "json"}};
  header_writer writer(h);
  writer.set("traceparent", "new");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h["traceparent"], "new");
  EXPECT_EQ(h.count("TraceParent"), 0u);
  writer.set("Content-Type", "text");  // keys are stored in lower case
  EXPECT_EQ(h["content-type"], "text");
  EXPECT_EQ(h.size(), 2u);
}

TEST(header_writer, unordered_map_multimap_and_vector) {
  std::unordered_map<std::string, std::string> um = {{"TRACESTATE", "old"}};
  header_writer(um).set("tracestate", "a=1");
  EXPECT_EQ(um, (std::unordered_map<std::string, std::string>{{"tracestate", "a=1"}}));

  std::multimap<std::string, std::string> mm = {
      {"baggage", "x=1"}, {"Baggage", "y=2"}, {"baggage", "z=3"}, {"keep", "k"}};
  header_writer(mm).set("baggage", "new=1");
  EXPECT_EQ(mm.count("baggage"), 1u);
  EXPECT_EQ(mm.find("baggage")->second, "new=1");
  EXPECT_EQ(mm.count("Baggage"), 0u);
  EXPECT_EQ(mm.size(), 2u);

  pair_list v = {{"a", "1"}, {"TraceParent", "old"}, {"traceparent", "old2"}};
  header_writer(v).set("traceparent", "tp");
  EXPECT_EQ(v, (pair_list{{"a", "1"}, {"traceparent", "tp"}}));
  header_writer(v).set("tracestate", "s=1");
  EXPECT_EQ(v.back(), (std::pair<std::string, std::string>{"tracestate", "s=1"}));
}

TEST(header_writer, reused_carrier_reuses_value_storage) {
  std::map<std::string, std::string> h;
  header_writer writer(h);
  writer.set("traceparent", tp);
  const char* storage = h["traceparent"].data();
  writer.set("traceparent", tp);
  EXPECT_EQ(h["traceparent"].data(), storage);
}

TEST(header_carriers, propagator_round_trip_through_a_vector) {
  pair_list h;
  header_writer writer(h);
  auto ctx = sample_context();
  global_propagator()->inject(ctx, writer);
  ASSERT_EQ(h.size(), 3u);
  auto back = global_propagator()->extract(header_reader(h), context());
  EXPECT_EQ(back.span().trace_id(), ctx.span().trace_id());
  EXPECT_EQ(back.span().state(), ctx.span().state());
  EXPECT_EQ(back.baggage(), ctx.baggage());
}

TEST(env_carrier, names) {
  EXPECT_EQ(env_name("traceparent"), "TRACEPARENT");
  EXPECT_EQ(env_name("tracestate"), "TRACESTATE");
  EXPECT_EQ(env_name("baggage"), "BAGGAGE");
  EXPECT_EQ(env_name("x-b3-traceid"), "X_B3_TRACEID");
  EXPECT_EQ(env_name("uber.trace id"), "UBER_TRACE_ID");
  EXPECT_EQ(env_name("1abc"), "_1ABC");
  EXPECT_EQ(env_name(""), "");
}

TEST(env_carrier, reader_reads_the_process_environment) {
  test::scoped_env a("TRACEPARENT", std::string(tp));
  test::scoped_env b("TRACESTATE", std::nullopt);
  env_reader reader;
  EXPECT_EQ(reader.get("traceparent"), tp);
  EXPECT_EQ(reader.get("TraceParent"), tp);
  EXPECT_EQ(reader.get("tracestate"), "");
  EXPECT_EQ(reader.get(std::string(500, 'x')), "");  // long keys take the slow path
  std::vector<std::string_view> keys;
  reader.keys(keys);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "TRACEPARENT"), keys.end());
}

TEST(env_carrier, writer_map_and_list) {
  std::map<std::string, std::string> m;
  env_writer(m).set("traceparent", "v1");
  env_writer(m).set("traceparent", "v2");
  EXPECT_EQ(m, (std::map<std::string, std::string>{{"TRACEPARENT", "v2"}}));

  std::vector<std::string> list = {"PATH=/bin", "TRACEPARENT=old", "TRACEPARENTX=keep"};
  env_writer(list).set("traceparent", "new");
  EXPECT_EQ(list, (std::vector<std::string>{"PATH=/bin", "TRACEPARENTX=keep", "TRACEPARENT=new"}));
  env_writer(list).set("bad", std::string("a\0b", 3));  // cannot be an environment value
  EXPECT_EQ(list.size(), 3u);
}

TEST(env_carrier, inject_into_env_never_touches_this_process) {
  test::scoped_env parent("TRACEPARENT", std::nullopt);
  std::map<std::string, std::string> m = {{"HOME", "/root"}};
  inject_into_env(m, sample_context());
  EXPECT_EQ(m["TRACEPARENT"], tp);
  EXPECT_EQ(m["TRACESTATE"], "congo=t61rcWkgMzE");
  EXPECT_EQ(m["BAGGAGE"], "user=alice%20smith");
  EXPECT_EQ(m["HOME"], "/root");
  EXPECT_EQ(std::getenv("TRACEPARENT"), nullptr);
}

TEST(env_carrier, inject_into_env_clears_stale_context) {
  std::map<std::string, std::string> m = {{"TRACEPARENT", "stale"}, {"BAGGAGE", "stale=1"}};
  inject_into_env(m, context());  // nothing to propagate
  EXPECT_TRUE(m.empty());
  std::vector<std::string> list = {"TRACEPARENT=stale", "A=1", "TRACESTATE=x=1"};
  inject_into_env(list, context());
  EXPECT_EQ(list, std::vector<std::string>{"A=1"});
}

TEST(env_carrier, extract_from_env) {
  test::scoped_env a("TRACEPARENT", std::string(tp));
  test::scoped_env b("TRACESTATE", "congo=t61rcWkgMzE");
  test::scoped_env c("BAGGAGE", "user=alice%20smith");
  context ctx = extract_from_env();
  EXPECT_TRUE(ctx.span().is_remote());
  EXPECT_EQ(ctx.span().trace_id().to_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ctx.span().state().get("congo"), "t61rcWkgMzE");
  EXPECT_EQ(ctx.baggage().get("user"), "alice smith");
}

TEST(env_carrier, extract_from_env_ignores_garbage) {
  test::scoped_env a("TRACEPARENT", "garbage\x01\xff");
  test::scoped_env b("TRACESTATE", "congo=1");
  test::scoped_env c("BAGGAGE", "not baggage");
  context base = context().with_baggage(baggage().set("keep", "1"));
  EXPECT_EQ(extract_from_env(base), base);
}

// Runs `/bin/sh -c script` with `env` and returns what it printed on stdout.
std::string run_child(const std::string& script, const std::vector<std::string>& env) {
  int fds[2];
  if (pipe(fds) != 0) return "<pipe failed>";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
  pid_t pid;
  int rc =
      posix_spawn(&pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  std::string out;
  if (rc == 0) {
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    int status = 0;
    waitpid(pid, &status, 0);
  } else {
    out = "<spawn failed>";
  }
  close(fds[0]);
  return out;
}

TEST(env_carrier, child_process_receives_the_context) {
  test::scoped_env stale("TRACEPARENT", "00-11111111111111111111111111111111-1111111111111111-01");
  std::vector<std::string> env = child_environment(sample_context());
  std::string out =
      run_child("printf '%s|%s|%s' \"$TRACEPARENT\" \"$TRACESTATE\" \"$BAGGAGE\"", env);
  EXPECT_EQ(out, std::string(tp) + "|congo=t61rcWkgMzE|user=alice%20smith");
  // The parent's own environment is unchanged.
  EXPECT_STREQ(std::getenv("TRACEPARENT"),
               "00-11111111111111111111111111111111-1111111111111111-01");
}

TEST(env_carrier, child_of_an_untraced_parent_gets_no_stale_context) {
  test::scoped_env stale("TRACEPARENT", "00-11111111111111111111111111111111-1111111111111111-01");
  std::string out =
      run_child("printf '[%s]' \"${TRACEPARENT-unset}\"", child_environment(context()));
  EXPECT_EQ(out, "[unset]");
}

}  // namespace
}  // namespace agtel::propagation
