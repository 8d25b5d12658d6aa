#include "agtel/export/console_span_exporter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/trace/simple_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "export/console/format.hpp"
#include "export/console/text.hpp"

namespace agtel::exporter {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using trace::span_data;
using trace::span_ptr;

constexpr timestamp_ns base = 1'700'000'000'000'000'000;
constexpr uint64_t ms = 1'000'000;

trace::trace_id tid(std::string_view hex) {
  return *trace::trace_id::from_hex(hex);
}
trace::span_id sid(std::string_view hex) {
  return *trace::span_id::from_hex(hex);
}

// A span in a hand-built batch. Pool slots may hold stale data, so every field is set.
span_ptr make_span(std::string_view trace, std::string_view id, std::string_view parent,
                   std::string_view name, timestamp_ns start, timestamp_ns end,
                   trace::span_kind kind = trace::span_kind::internal) {
  span_ptr p = span_ptr::make();
  p->context = trace::span_context(tid(trace), sid(id), trace::trace_flags{1}, false);
  p->parent_span_id = parent.empty() ? trace::span_id{} : sid(parent);
  p->name = name;
  p->kind = kind;
  p->start_time = start;
  p->end_time = end;
  return p;
}

void add_event(span_data& s, std::string_view name, timestamp_ns time,
               std::initializer_list<attribute_view> attrs) {
  trace::span_event& e = s.events.next();
  e.name = name;
  e.time = time;
  e.attributes.clear();
  e.attributes.set_all(attrs);
}

void add_link(span_data& s, trace::span_context ctx) {
  trace::span_link& l = s.links.next();
  l.context = std::move(ctx);
  l.attributes.clear();
}

// What the exporter writes for `batch`, read back from a temporary file.
std::string render(std::span<const span_ptr> batch, console_format format, bool color = false,
                   size_t max_value_length = 64) {
  std::FILE* f = std::tmpfile();
  EXPECT_NE(f, nullptr);
  {
    auto exporter = make_console_span_exporter(
        {.format = format, .out = f, .color = color, .max_value_length = max_value_length});
    EXPECT_EQ(exporter->export_spans(batch, steady_time::max()), export_result::success);
  }
  std::string text;
  std::rewind(f);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  return text;
}

std::string tree(std::span<const span_ptr> batch, bool color = false) {
  return render(batch, console_format::tree, color);
}

// Replaces the `n` characters after each `marker` in `text` with `mask`; returns them.
std::vector<std::string> mask_after(std::string& text, std::string_view marker, size_t n,
                                    std::string_view mask) {
  std::vector<std::string> found;
  for (size_t at = text.find(marker);
       at != std::string::npos && at + marker.size() + n <= text.size();
       at = text.find(marker, at + marker.size())) {
    found.push_back(text.substr(at + marker.size(), n));
    text.replace(at + marker.size(), n, mask);
  }
  return found;
}

// Captures what reaches the diagnostic handler for the test's lifetime.
class diag_capture {
 public:
  diag_capture() {
    set_diagnostic_handler([this](diag_level, std::string_view component, std::string_view msg) {
      std::lock_guard lock(mutex_);
      lines_.push_back(std::string(component) + ": " + std::string(msg));
    });
  }
  ~diag_capture() { set_diagnostic_handler(nullptr); }
  std::string all() {
    std::lock_guard lock(mutex_);
    std::string s;
    for (const auto& l : lines_) s += l + "\n";
    return s;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

constexpr std::string_view trace_a = "0102030405060708090a0b0c0d0e0f10";
constexpr std::string_view trace_b = "ffffffffffffffffffffffffffffffff";

// ---- tree ----

TEST(ConsoleTree, PrintsEachTraceAsATreeInStartOrder) {
  static const resource res{{{"service.name", "checkout-agent"}}, ""};

  span_ptr root = make_span(trace_a, "0000000000000001", "", "invoke_agent coordinator", base,
                            base + 1520 * ms);
  root->attributes.set_all(
      {{"gen_ai.agent.name", "coordinator"}, {"gen_ai.operation.name", "invoke_agent"}});
  root->resource = &res;

  span_ptr tool = make_span(trace_a, "0000000000000002", "0000000000000001", "execute_tool search",
                            base + 10 * ms, base + 10 * ms + 12'300'000);
  tool->attributes.set_all({{"gen_ai.tool.name", "search"}, {"query", "weather in Paris"}});
  tool->status = {trace::status_code::error, "timeout"};
  add_event(*tool, "exception", base + 20 * ms,
            {{"exception.type", "TimeoutError"},
             {"exception.message", "no answer after 10 s"},
             {"exception.stacktrace", "frame 1\nframe 2"}});
  tool->resource = &res;

  span_ptr http = make_span(trace_a, "0000000000000004", "0000000000000002", "GET", base + 11 * ms,
                            base + 11 * ms + 850'000, trace::span_kind::client);
  http->attributes.set("http.response.status_code", 504);

  span_ptr llm = make_span(trace_a, "0000000000000003", "0000000000000001", "chat gpt-4o",
                           base + 30 * ms, base + 860 * ms, trace::span_kind::client);
  llm->attributes.set_all({{"gen_ai.request.model", "gpt-4o"},
                           {"gen_ai.usage.input_tokens", 1200},
                           {"gen_ai.usage.output_tokens", 85}});
  llm->status.code = trace::status_code::ok;
  add_event(*llm, "gen_ai.first_token", base + 260 * ms, {{"index", 0}});
  add_link(*llm, trace::span_context(tid(trace_b), sid("000000000000000a"), {}, true));

  span_ptr late = make_span(trace_a, "0000000000000005", "0000000000000abc", "late_callback",
                            base + 2000 * ms, base + 2000 * ms + 999);

  span_ptr remote = make_span(trace_b, "0000000000000009", "1111111111111111", "remote handler",
                              base + 5 * ms, base + 4505 * ms, trace::span_kind::server);
  remote->parent_is_remote = true;
  remote->attributes.add_dropped(2);
  remote->dropped_events = 1;

  // Batch order is end order in real life (children first); the tree must not depend on it.
  std::vector<span_ptr> batch{http, remote, late, llm, tool, root};
  EXPECT_EQ(tree(batch),
            "trace 0102030405060708090a0b0c0d0e0f10 · checkout-agent · 5 spans\n"
            "invoke_agent coordinator [internal] 1.52 s  gen_ai.agent.name=coordinator "
            "gen_ai.operation.name=invoke_agent\n"
            "├─ execute_tool search [internal] 12.3 ms ERROR: timeout  gen_ai.tool.name=search "
            "query=\"weather in Paris\"\n"
            "│  │  • exception: TimeoutError: no answer after 10 s\n"
            "│  └─ GET [client] 850 µs  http.response.status_code=504\n"
            "└─ chat gpt-4o [client] 830 ms OK  gen_ai.request.model=gpt-4o "
            "gen_ai.usage.input_tokens=1200 gen_ai.usage.output_tokens=85  (1 link)\n"
            "      • gen_ai.first_token +230 ms  index=0\n"
            "late_callback [internal] 999 ns  ↳ parent 0000000000000abc\n"
            "\n"
            "trace ffffffffffffffffffffffffffffffff · unknown_service · 1 span\n"
            "remote handler [server] 4.5 s  (dropped: 2 attributes, 1 event)  "
            "↳ remote parent 1111111111111111\n"
            "\n");
}

TEST(ConsoleTree, RootEventsAndLastChildEventsAlign) {
  span_ptr root = make_span(trace_a, "0000000000000001", "", "root", base, base + 2 * ms);
  add_event(*root, "started", base, {});
  span_ptr child =
      make_span(trace_a, "0000000000000002", "0000000000000001", "child", base + ms, base + 2 * ms);
  add_event(*child, "exception", base + ms, {{"exception.message", "no type"}});
  add_event(*child, "exception", base + ms, {});
  std::vector<span_ptr> batch{child, root};
  EXPECT_EQ(tree(batch),
            "trace 0102030405060708090a0b0c0d0e0f10 · unknown_service · 2 spans\n"
            "root [internal] 2 ms\n"
            "│  • started +0 ns\n"
            "└─ child [internal] 1 ms\n"
            "      • exception: no type\n"
            "      • exception\n"
            "\n");
}

TEST(ConsoleTree, FormatsValuesCompactly) {
  span_ptr s = make_span(trace_a, "0000000000000001", "", "values", base, base + 1);
  const std::vector<int64_t> ints{1, -2, 3};
  const std::vector<std::string> strings{"a", "b c", ""};
  const std::vector<double> doubles{0.1, 1e300};
  s->attributes.set_all({{"b", false},
                         {"i", int64_t{-9'223'372'036'854'775'807} - 1},
                         {"d", 0.25},
                         {"empty", ""},
                         {"quote", "say \"hi\" \\o/"},
                         {"ints", ints},
                         {"strings", strings},
                         {"doubles", doubles},
                         {"eq", "a=b"}});
  std::vector<span_ptr> batch{s};
  EXPECT_EQ(tree(batch),
            "trace 0102030405060708090a0b0c0d0e0f10 · unknown_service · 1 span\n"
            "values [internal] 1 ns  b=false i=-9223372036854775808 d=0.25 empty=\"\" "
            "quote=\"say \\\"hi\\\" \\\\o/\" ints=[1,-2,3] strings=[a,\"b c\",\"\"] "
            "doubles=[0.1,1e+300] eq=a=b\n"
            "\n");
}

TEST(ConsoleTree, EscapesControlCharactersAndRepairsUtf8) {
  span_ptr s = make_span(trace_a, "0000000000000001", "", "evil\x1b[31mname\nline2\xff\xc2\x9b",
                         base, base + 1);
  s->attributes.set("k\tey", "caf\xc3\xa9 \xe2\x82");  // é, then a truncated sequence
  s->status = {trace::status_code::error, "bad\rthing"};
  std::vector<span_ptr> batch{s};
  std::string out = tree(batch);
  EXPECT_EQ(out,
            "trace 0102030405060708090a0b0c0d0e0f10 · unknown_service · 1 span\n"
            "evil\\x1b[31mname\\nline2\xEF\xBF\xBD\\u009b [internal] 1 ns ERROR: bad\\rthing  "
            "k\\tey=\"café \xEF\xBF\xBD\"\n"
            "\n");
  EXPECT_THAT(out, Not(HasSubstr("\x1b")));
}

TEST(ConsoleTree, TruncatesLongValuesByCharacters) {
  span_ptr s = make_span(trace_a, "0000000000000001", "", "long", base, base + 1);
  s->attributes.set("ascii", std::string(100, 'x'));
  s->attributes.set("wide", "ééééé");  // 5 characters, 10 bytes
  s->attributes.set("exact", "abcd");
  std::vector<span_ptr> batch{s};
  std::string out = render(batch, console_format::tree, false, 4);
  EXPECT_THAT(out, HasSubstr("ascii=xxxx… wide=éééé… exact=abcd\n"));
}

TEST(ConsoleTree, ToleratesCyclesSelfParentsAndDuplicateIds) {
  // 1 <-> 2 form a cycle, 3 names itself as parent, 4 duplicates 1's id, 5 hangs off 2.
  span_ptr a = make_span(trace_a, "0000000000000001", "0000000000000002", "a", base + 1, base + 9);
  span_ptr b = make_span(trace_a, "0000000000000002", "0000000000000001", "b", base + 2, base + 9);
  span_ptr c = make_span(trace_a, "0000000000000003", "0000000000000003", "c", base + 3, base + 9);
  span_ptr d = make_span(trace_a, "0000000000000001", "", "d", base + 4, base + 9);
  span_ptr e = make_span(trace_a, "0000000000000005", "0000000000000002", "e", base + 5, base + 9);
  std::vector<span_ptr> batch{e, d, c, b, a, span_ptr{}};
  EXPECT_EQ(tree(batch),
            "trace 0102030405060708090a0b0c0d0e0f10 · unknown_service · 5 spans\n"
            "a [internal] 8 ns  ↳ parent 0000000000000002\n"
            "└─ b [internal] 7 ns\n"
            "   └─ e [internal] 4 ns\n"
            "c [internal] 6 ns  ↳ parent 0000000000000003\n"
            "d [internal] 5 ns\n"
            "\n");
}

TEST(ConsoleTree, DeepChainsKeepBoundedIndentation) {
  std::vector<span_ptr> batch;
  char id[17], parent[17];
  for (int i = 1; i <= 2000; ++i) {
    std::snprintf(id, sizeof id, "%016x", i);
    std::snprintf(parent, sizeof parent, "%016x", i - 1);
    batch.push_back(make_span(trace_a, id, i == 1 ? "" : parent, "s", base + i, base + 3000));
  }
  std::string out = tree(batch);
  size_t lines = 0, longest = 0, start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    ++lines;
    longest = std::max(longest, nl - start);
  }
  EXPECT_EQ(lines, 2002u);  // header, 2000 spans, blank line
  EXPECT_LT(longest, 200u);
}

TEST(ConsoleTree, ColorsOnlyWhenAskedAndNeverForFiles) {
  span_ptr s = make_span(trace_a, "0000000000000001", "", "op", base, base + 1);
  s->status = {trace::status_code::error, "boom"};
  std::vector<span_ptr> batch{s};
  std::string colored = tree(batch, true);
  EXPECT_THAT(colored, HasSubstr("\x1b[1;31mERROR: boom\x1b[0m"));
  EXPECT_THAT(colored, HasSubstr("\x1b[1mop\x1b[0m"));

  std::FILE* f = std::tmpfile();  // not a terminal: automatic color is off
  auto exporter = make_console_span_exporter({.out = f});
  ASSERT_EQ(exporter->export_spans(batch, steady_time::max()), export_result::success);
  std::rewind(f);
  char buf[512] = {};
  EXPECT_GT(std::fread(buf, 1, sizeof buf - 1, f), 0u);
  std::fclose(f);
  EXPECT_THAT(std::string(buf), Not(HasSubstr("\x1b")));
}

TEST(ConsoleTree, DurationsUseHumanUnits) {
  const auto d = [](uint64_t ns) {
    std::string s;
    console::append_duration(s, ns);
    return s;
  };
  EXPECT_EQ(d(0), "0 ns");
  EXPECT_EQ(d(999), "999 ns");
  EXPECT_EQ(d(1000), "1 µs");
  EXPECT_EQ(d(12'345), "12.3 µs");
  EXPECT_EQ(d(999'999), "1 ms");  // rounds up into the next unit
  EXPECT_EQ(d(1'234'000), "1.23 ms");
  EXPECT_EQ(d(100'000'000), "100 ms");
  EXPECT_EQ(d(4'500'000'000), "4.5 s");
  EXPECT_EQ(d(59'000'000'000), "59 s");
  EXPECT_EQ(d(125'000'000'000), "2 min 5 s");
  EXPECT_EQ(d(3'720'000'000'000), "1 h 2 min");
  EXPECT_EQ(d(UINT64_MAX), "5124095 h 35 min");
}

// ---- JSON ----

TEST(ConsoleJson, WritesOneOtlpSpanPerLine) {
  static const resource res{{{"service.name", "svc"}}, ""};
  static const instrumentation_scope scope{"agtel.test", "1.0", "", {}};
  span_ptr s = make_span(trace_a, "0000000000000002", "0000000000000001", "execute_tool search",
                         base, base + 12'300'000);
  const std::vector<int64_t> arr{1, 2};
  s->attributes.set_all(
      {{"s", "a\"b\\c\nd\x01"}, {"i", -5}, {"d", 0.5}, {"b", true}, {"arr", arr}});
  add_event(*s, "exception", base + ms, {{"exception.type", "E"}});
  add_link(*s, trace::span_context(tid(trace_b), sid("000000000000000a"), {}, true,
                                   trace::trace_state::parse("k=v")));
  s->status = {trace::status_code::error, "boom"};
  s->resource = &res;
  s->scope = &scope;
  span_ptr root = make_span(trace_a, "0000000000000001", "", "root", base, base + 20 * ms,
                            trace::span_kind::server);

  std::vector<span_ptr> batch{s, root};
  EXPECT_EQ(
      render(batch, console_format::json),
      R"json({"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000002","traceState":"","parentSpanId":"0000000000000001","flags":257,"name":"execute_tool search","kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000012300000","attributes":[{"key":"s","value":{"stringValue":"a\"b\\c\nd\u0001"}},{"key":"i","value":{"intValue":"-5"}},{"key":"d","value":{"doubleValue":0.5}},{"key":"b","value":{"boolValue":true}},{"key":"arr","value":{"arrayValue":{"values":[{"intValue":"1"},{"intValue":"2"}]}}}],"droppedAttributesCount":0,"events":[{"timeUnixNano":"1700000000001000000","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"E"}}],"droppedAttributesCount":0}],"droppedEventsCount":0,"links":[{"traceId":"ffffffffffffffffffffffffffffffff","spanId":"000000000000000a","traceState":"k=v","attributes":[],"droppedAttributesCount":0,"flags":768}],"droppedLinksCount":0,"status":{"message":"boom","code":2},"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}],"droppedAttributesCount":0},"scope":{"name":"agtel.test","version":"1.0","attributes":[],"droppedAttributesCount":0}}
{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0000000000000001","traceState":"","parentSpanId":"","flags":257,"name":"root","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000020000000","attributes":[],"droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"links":[],"droppedLinksCount":0,"status":{"message":"","code":0},"resource":{"attributes":[],"droppedAttributesCount":0},"scope":{"name":"","version":"","attributes":[],"droppedAttributesCount":0}}
)json");
}

TEST(ConsoleJson, HostileStringsStayValidJsonAndRoundTrip) {
  const std::string control = std::string("nul\0bell\x07 del\x7f", 14);
  const std::vector<std::pair<std::string, std::string>> cases{
      {"quotes \" and \\ backslash", "quotes \" and \\ backslash"},
      {"tab\tnewline\ncr\rff\fbs\b", "tab\tnewline\ncr\rff\fbs\b"},
      {control, control},
      {"日本語 ✓ 🚀", "日本語 ✓ 🚀"},
      {"c1\xc2\x85", "c1\xc2\x85"},
      // Ill-formed UTF-8: each maximal subpart becomes one U+FFFD.
      {"lone \x80 cont", "lone \xEF\xBF\xBD cont"},
      {"overlong \xc0\xaf", "overlong \xEF\xBF\xBD\xEF\xBF\xBD"},
      {"surrogate \xed\xa0\x80", "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"truncated \xe2\x82", "truncated \xEF\xBF\xBD"},
      {"too big \xf4\x90\x80\x80", "too big \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"end \xf0\x9f\x9a", "end \xEF\xBF\xBD"},
      {"\xff\xfe", "\xEF\xBF\xBD\xEF\xBF\xBD"},
  };
  for (const auto& [input, expected] : cases) {
    span_ptr s = make_span(trace_a, "0000000000000001", "", input, base, base + 1);
    s->attributes.set(input, input);
    s->status = {trace::status_code::error, input};
    std::vector<span_ptr> batch{s};
    std::string line = render(batch, console_format::json);
    ASSERT_EQ(line.back(), '\n');
    ASSERT_EQ(line.find('\n'), line.size() - 1) << "one line per span";
    nlohmann::json j = nlohmann::json::parse(line);  // throws (fails the test) if invalid
    EXPECT_EQ(j["name"], expected);
    EXPECT_EQ(j["attributes"][0]["key"], expected);
    EXPECT_EQ(j["attributes"][0]["value"]["stringValue"], expected);
    EXPECT_EQ(j["status"]["message"], expected);
  }
}

TEST(ConsoleJson, NumbersFollowTheProtobufJsonMapping) {
  span_ptr s = make_span(trace_a, "0000000000000001", "", "n", 0, UINT64_MAX);
  const std::vector<double> specials{std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity(), 1e-310, 0.1};
  s->attributes.set_all({{"min", std::numeric_limits<int64_t>::min()},
                         {"max", std::numeric_limits<int64_t>::max()},
                         {"specials", specials}});
  std::vector<span_ptr> batch{s};
  nlohmann::json j = nlohmann::json::parse(render(batch, console_format::json));
  EXPECT_EQ(j["startTimeUnixNano"], "0");
  EXPECT_EQ(j["endTimeUnixNano"], "18446744073709551615");
  EXPECT_EQ(j["attributes"][0]["value"]["intValue"], "-9223372036854775808");
  EXPECT_EQ(j["attributes"][1]["value"]["intValue"], "9223372036854775807");
  const auto& values = j["attributes"][2]["value"]["arrayValue"]["values"];
  EXPECT_EQ(values[0]["doubleValue"], "NaN");
  EXPECT_EQ(values[1]["doubleValue"], "Infinity");
  EXPECT_EQ(values[2]["doubleValue"], "-Infinity");
  EXPECT_EQ(values[3]["doubleValue"].get<double>(), 1e-310);
  EXPECT_EQ(values[4]["doubleValue"].get<double>(), 0.1);
}

TEST(ConsoleJson, BoolArraysAndStringArrays) {
  span_ptr s = make_span(trace_a, "0000000000000001", "", "arrays", base, base + 1);
  s->attributes.set("strings", std::vector<std::string>{"x", "y\n"});
  static const bool bools[] = {true, false};
  s->attributes.set("bools", std::span<const bool>(bools));
  std::vector<span_ptr> batch{s};
  nlohmann::json j = nlohmann::json::parse(render(batch, console_format::json));
  EXPECT_EQ(j["attributes"][0]["value"],
            nlohmann::json::parse(
                R"({"arrayValue":{"values":[{"stringValue":"x"},{"stringValue":"y\n"}]}})"));
  EXPECT_EQ(j["attributes"][1]["value"],
            nlohmann::json::parse(
                R"({"arrayValue":{"values":[{"boolValue":true},{"boolValue":false}]}})"));
  EXPECT_THAT(tree(batch), HasSubstr("strings=[x,\"y\\n\"] bools=[true,false]"));
}

// ---- UTF-8 decoding (the part of the escaper that parses) ----

TEST(ConsoleText, Utf8SequencesFollowTable3_7) {
  struct row {
    std::string bytes;
    size_t length;
    bool valid;
  };
  const std::vector<row> rows{
      {"A", 1, true},
      {"\xc2\x80", 2, true},
      {"\xdf\xbf", 2, true},
      {"\xe0\xa0\x80", 3, true},
      {"\xed\x9f\xbf", 3, true},
      {"\xef\xbf\xbf", 3, true},
      {"\xf0\x90\x80\x80", 4, true},
      {"\xf4\x8f\xbf\xbf", 4, true},
      {"\x80", 1, false},          // stray continuation
      {"\xc1\xbf", 1, false},      // overlong lead
      {"\xe0\x9f\x80", 1, false},  // overlong three-byte form
      {"\xed\xa0\x80", 1, false},  // surrogate
      {"\xf0\x8f\x80\x80", 1, false},
      {"\xf4\x90\x80\x80", 1, false},  // past U+10FFFF
      {"\xf5\x80", 1, false},
      {"\xe2\x82", 2, false},  // truncated
      {"\xe2\x82"
       "A",
       2, false},
      {"\xf0\x9f\x9a", 3, false},
      {"\xf0\x9f"
       "A",
       2, false},
  };
  for (const row& r : rows) {
    auto seq = console::next_utf8_sequence(r.bytes);
    EXPECT_EQ(seq.length, r.length) << testing::PrintToString(r.bytes);
    EXPECT_EQ(seq.valid, r.valid) << testing::PrintToString(r.bytes);
  }
  std::string out;
  console::append_valid_utf8(out,
                             "a\xe2\x82"
                             "b\xf0\x80\x80"
                             "c");
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "c");
}

TEST(ConsoleText, JsonEscapesEveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    std::string out;
    console::append_json_string(out, std::string(1, static_cast<char>(c)));
    nlohmann::json j = nlohmann::json::parse(out);
    EXPECT_EQ(j.get<std::string>(), std::string(1, static_cast<char>(c)));
  }
  std::string big(1 << 20, 'x');  // oversized input is fine, just long
  std::string out;
  console::append_json_string(out, big);
  EXPECT_EQ(out.size(), big.size() + 2);
}

// ---- the exporter's contract ----

TEST(ConsoleExporter, EmptyBatchesAndNullSpansWriteNothing) {
  std::vector<span_ptr> batch{span_ptr{}, span_ptr{}};
  EXPECT_EQ(tree(batch), "");
  EXPECT_EQ(render(batch, console_format::json), "");
  EXPECT_EQ(tree({}), "");
}

TEST(ConsoleExporter, FailsAfterShutdown) {
  std::FILE* f = std::tmpfile();
  auto exporter = make_console_span_exporter({.out = f});
  std::vector<span_ptr> batch{make_span(trace_a, "0000000000000001", "", "x", base, base)};
  EXPECT_EQ(exporter->shutdown(steady_time::max()), sdk_result::ok);
  EXPECT_EQ(exporter->shutdown(steady_time::max()), sdk_result::already_shutdown);
  EXPECT_EQ(exporter->export_spans(batch, steady_time::max()), export_result::failure);
  EXPECT_EQ(std::ftell(f), 0);
  std::fclose(f);
}

TEST(ConsoleExporter, FullDiskIsReportedNotThrown) {
  std::FILE* f = std::fopen("/dev/full", "w");
  ASSERT_NE(f, nullptr);
  diag_capture diag;
  auto exporter = make_console_span_exporter({.out = f});
  std::vector<span_ptr> batch{make_span(trace_a, "0000000000000001", "", "x", base, base)};
  EXPECT_EQ(exporter->export_spans(batch, steady_time::max()), export_result::failure);
  EXPECT_THAT(diag.all(), HasSubstr("console_exporter: cannot write spans: No space left"));
  std::fclose(f);
}

TEST(ConsoleExporter, ClosedPipeFailsWithoutSigpipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);  // nobody reads: a write raises SIGPIPE unless the exporter blocks it
  std::FILE* f = fdopen(fds[1], "w");
  ASSERT_NE(f, nullptr);
  diag_capture diag;
  auto exporter = make_console_span_exporter({.format = console_format::json, .out = f});
  std::vector<span_ptr> batch{make_span(trace_a, "0000000000000001", "", "x", base, base)};
  EXPECT_EQ(exporter->export_spans(batch, steady_time::max()), export_result::failure);
  EXPECT_EQ(exporter->export_spans(batch, steady_time::max()), export_result::failure);
  EXPECT_THAT(diag.all(), HasSubstr("console_exporter: cannot write spans: Broken pipe"));

  // The thread's signal mask is restored and no SIGPIPE is left pending.
  sigset_t mask, pending;
  ASSERT_EQ(pthread_sigmask(SIG_SETMASK, nullptr, &mask), 0);
  EXPECT_EQ(sigismember(&mask, SIGPIPE), 0);
  ASSERT_EQ(sigpending(&pending), 0);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
  std::fclose(f);
}

// Through the real SDK: spans ended on the caller's thread arrive as a tree.
TEST(ConsoleExporter, PrintsSpansFromTheSdk) {
  std::FILE* f = std::tmpfile();
  trace::tracer_provider_options opts;
  opts.resource = resource::sdk_default().merge(resource{{{"service.name", "sdk-test"}}, ""});
  opts.processors.push_back(
      trace::make_simple_span_processor(make_console_span_exporter({.out = f})));
  trace::tracer_provider provider(std::move(opts));
  trace::tracer tracer = provider.get_tracer("agtel.test");
  {
    auto agent = tracer.start_span("invoke_agent a", {.start_time = base});
    auto active = agent.activate();
    tracer.start_span("execute_tool t", {.start_time = base + ms}).end(base + 3 * ms);
    agent.end(base + 10 * ms);
  }
  provider.shutdown();
  std::rewind(f);
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  // The simple processor exports one span per batch: the child first, shown with its
  // parent hint, then the agent as a root. Ids are random, so they are masked first.
  std::vector<std::string> trace_ids = mask_after(text, "trace ", 32, "<trace>");
  std::vector<std::string> parent_ids = mask_after(text, "parent ", 16, "<parent>");
  EXPECT_EQ(text,
            "trace <trace> · sdk-test · 1 span\n"
            "execute_tool t [internal] 2 ms  ↳ parent <parent>\n\n"
            "trace <trace> · sdk-test · 1 span\n"
            "invoke_agent a [internal] 10 ms\n\n");
  ASSERT_EQ(trace_ids.size(), 2u);
  EXPECT_EQ(trace_ids[0], trace_ids[1]);
  EXPECT_EQ(parent_ids.size(), 1u);
}

}  // namespace
}  // namespace agtel::exporter
