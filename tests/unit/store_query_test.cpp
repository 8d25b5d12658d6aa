// find_traces: each filter, newest-first order, limits, and the summaries' counts and
// tokens (from the lifted GenAI columns, including the older attribute names).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store_fixture.hpp"

namespace agtel::test {
namespace {

constexpr uint64_t s = 1'000'000'000;  // one second in ns

class StoreQuery : public store_test {
 protected:
  void SetUp() override {
    store_test::SetUp();
    auto w = open_writer();
    ASSERT_TRUE(w);
    {  // A: api, 1000 s, 5 s long, tokens under the current names
      otlp::trace_batch b;
      add_span(b, "api", tid(0xA), 1, 0, "invoke_agent coder", 1000 * s, 5 * s)
          .attributes.set("gen_ai.agent.name", "coder");
      auto& tool = add_span(b, "api", tid(0xA), 2, 1, "execute_tool search", 1001 * s, s);
      tool.attributes.set("gen_ai.tool.name", "search");
      tool.attributes.set("session.id", "s1");
      tool.attributes.set("attempt", 1);
      tool.attributes.set("ok", true);
      tool.attributes.set("gen_ai.operation.name", "execute_tool");
      auto& llm = add_span(b, "api", tid(0xA), 3, 1, "chat gpt-4o", 1002 * s, s);
      llm.attributes.set("gen_ai.usage.input_tokens", 100);
      llm.attributes.set("gen_ai.usage.output_tokens", 20);
      llm.attributes.set("gen_ai.response.model", "gpt-4o-2024");
      llm.attributes.set("gen_ai.request.model", "gpt-4o");
      ASSERT_TRUE(store_batch(*w, std::move(b)));
    }
    {  // B: worker, 2000 s, 2 s, a failed span, the older gen_ai.usage.*_tokens names
      otlp::trace_batch b;
      add_span(b, "worker", tid(0xB), 1, 0, "job", 2000 * s, 2 * s);
      auto& f = add_span(b, "worker", tid(0xB), 2, 1, "execute_tool fetch", 2000 * s + 1, s);
      f.status.code = trace::status_code::error;
      f.attributes.set("gen_ai.usage.prompt_tokens", 7);
      f.attributes.set("gen_ai.usage.completion_tokens", 3);
      f.attributes.set("gen_ai.response.model", "small");
      ASSERT_TRUE(store_batch(*w, std::move(b)));
    }
    {  // C: api, 3000 s, 1 s, llm.token_count.* names
      otlp::trace_batch b;
      add_span(b, "api", tid(0xC), 1, 0, "invoke_agent planner", 3000 * s, s);
      auto& c = add_span(b, "api", tid(0xC), 2, 1, "chat", 3000 * s + 5, s / 2);
      c.attributes.set("llm.token_count.prompt", 50);
      c.attributes.set("llm.token_count.completion", 5);
      c.attributes.set("attempt", 2);
      c.attributes.set("ok", false);
      c.attributes.set("session.id", "s2");
      c.attributes.set("gen_ai.tool.name", "search");
      ASSERT_TRUE(store_batch(*w, std::move(b)));
    }
    {  // D: api, 4000 s, 10 s, no root stored (a partial trace)
      otlp::trace_batch b;
      add_span(b, "api", tid(0xD), 2, 1, "late", 4001 * s, 9 * s);
      add_span(b, "api", tid(0xD), 3, 1, "early", 4000 * s, s);
      ASSERT_TRUE(store_batch(*w, std::move(b)));
    }
    w.reset();
    reader_ = open_reader();
    ASSERT_TRUE(reader_);
  }

  // The first byte of each found trace id, in order: "DCBA".
  std::string find(const store::trace_query& q) {
    std::vector<store::trace_summary> out;
    std::string error;
    EXPECT_TRUE(reader_->find_traces(q, out, error)) << error;
    std::string ids;
    for (const auto& t : out) ids += static_cast<char>('A' + t.id.bytes()[0] - 0xA);
    return ids;
  }

  std::unique_ptr<store::reader> reader_;
};

TEST_F(StoreQuery, NewestFirstWithoutFilters) {
  EXPECT_EQ(find({}), "DCBA");
  store::trace_query q;
  q.limit = 2;
  EXPECT_EQ(find(q), "DC");
  q.limit = 0;
  EXPECT_EQ(find(q), "");
}

TEST_F(StoreQuery, ByService) {
  store::trace_query q;
  q.service = "api";
  EXPECT_EQ(find(q), "DCA");
  q.service = "worker";
  EXPECT_EQ(find(q), "B");
  q.service = "ap";  // exact, not a prefix
  EXPECT_EQ(find(q), "");
}

TEST_F(StoreQuery, BySpanName) {
  store::trace_query q;
  q.span_name = "execute_tool search";
  EXPECT_EQ(find(q), "A");
  q.span_name = "chat";
  EXPECT_EQ(find(q), "C");
  q.span_name = "nope";
  EXPECT_EQ(find(q), "");
}

TEST_F(StoreQuery, ByAttributes) {
  auto by = [&](std::vector<std::pair<std::string, std::string>> a) {
    store::trace_query q;
    q.attributes = std::move(a);
    return find(q);
  };
  EXPECT_EQ(by({{"gen_ai.tool.name", "search"}}), "CA");
  EXPECT_EQ(by({{"session.id", "s1"}}), "A");
  EXPECT_EQ(by({{"attempt", "2"}}), "C");
  EXPECT_EQ(by({{"ok", "true"}}), "A");
  EXPECT_EQ(by({{"ok", "false"}}), "C");
  EXPECT_EQ(by({{"attempt", "1"}, {"ok", "true"}}), "A");
  EXPECT_EQ(by({{"attempt", "2"}, {"session.id", "s1"}}), "");  // on one span
  EXPECT_EQ(by({{"no.such.key", "x"}}), "");
  EXPECT_EQ(by({{"session.id", "s"}}), "");  // whole value, not a substring
  store::trace_query q;
  q.service = "api";
  q.attributes = {{"gen_ai.tool.name", "search"}};
  EXPECT_EQ(find(q), "CA");
}

TEST_F(StoreQuery, ByDuration) {
  store::trace_query q;
  q.min_duration_ns = 3 * s;
  EXPECT_EQ(find(q), "DA");
  q.min_duration_ns.reset();
  q.max_duration_ns = 3 * s / 2;
  EXPECT_EQ(find(q), "C");
  q.min_duration_ns = 2 * s;
  q.max_duration_ns = 2 * s;
  EXPECT_EQ(find(q), "B");
}

TEST_F(StoreQuery, ByStatus) {
  store::trace_query q;
  q.status = trace::status_code::error;
  EXPECT_EQ(find(q), "B");
  q.service = "api";
  EXPECT_EQ(find(q), "");
  q.service.clear();
  q.status = trace::status_code::ok;
  EXPECT_EQ(find(q), "DCA");
}

TEST_F(StoreQuery, ByTimeRange) {
  store::trace_query q;
  q.since_ns = 1500 * s;
  EXPECT_EQ(find(q), "DCB");
  q.since_ns = 0;
  q.until_ns = 2500 * s;
  EXPECT_EQ(find(q), "BA");
  q.since_ns = 1500 * s;
  EXPECT_EQ(find(q), "B");
  q.since_ns = 9000 * s;
  q.until_ns = 0;
  EXPECT_EQ(find(q), "");
}

TEST_F(StoreQuery, SummariesCountSpansErrorsAndTokens) {
  std::vector<store::trace_summary> out;
  std::string error;
  ASSERT_TRUE(reader_->find_traces({}, out, error)) << error;
  ASSERT_EQ(out.size(), 4u);
  const auto& d = out[0];
  const auto& c = out[1];
  const auto& b = out[2];
  const auto& a = out[3];
  EXPECT_EQ(a.root_name, "invoke_agent coder");
  EXPECT_EQ(a.service, "api");
  EXPECT_EQ(a.start_ns, 1000 * s);
  EXPECT_EQ(a.duration_ns, 5 * s);
  EXPECT_EQ(a.spans, 3u);
  EXPECT_EQ(a.errors, 0u);
  EXPECT_EQ(a.input_tokens, 100);
  EXPECT_EQ(a.output_tokens, 20);
  EXPECT_EQ(b.root_name, "job");
  EXPECT_EQ(b.service, "worker");
  EXPECT_EQ(b.errors, 1u);
  EXPECT_EQ(b.input_tokens, 7);
  EXPECT_EQ(b.output_tokens, 3);
  EXPECT_EQ(c.input_tokens, 50);
  EXPECT_EQ(c.output_tokens, 5);
  EXPECT_EQ(c.duration_ns, s);
  EXPECT_EQ(d.root_name, "early");  // no root stored: the earliest span
  EXPECT_EQ(d.duration_ns, 10 * s);
  EXPECT_EQ(d.spans, 2u);

  store::store_status st;
  ASSERT_TRUE(reader_->status(st, error)) << error;
  EXPECT_EQ(st.spans, 9u);
  EXPECT_EQ(st.traces, 4u);
  EXPECT_EQ(st.logs, 0u);
  EXPECT_EQ(st.first_ns, 1000 * s);
  EXPECT_EQ(st.last_ns, 4001 * s);
}

TEST_F(StoreQuery, GenAiAttributesAreLiftedIntoColumns) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT name, coalesce(operation,''), coalesce(agent_name,''), "
                               "coalesce(tool_name,''), coalesce(model,''), "
                               "coalesce(input_tokens,-1), coalesce(output_tokens,-1) "
                               "FROM spans ORDER BY id",
                               -1, &st, nullptr),
            SQLITE_OK);
  std::string rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    for (int i = 0; i < 7; ++i) {
      rows += reinterpret_cast<const char*>(sqlite3_column_text(st, i));
      rows += i < 6 ? "|" : "\n";
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_EQ(rows,
            "invoke_agent coder||coder|||-1|-1\n"
            "execute_tool search|execute_tool||search||-1|-1\n"
            "chat gpt-4o||||gpt-4o|100|20\n"  // request model before response model
            "job|||||-1|-1\n"
            "execute_tool fetch||||small|7|3\n"
            "invoke_agent planner|||||-1|-1\n"
            "chat|||search||50|5\n"
            "late|||||-1|-1\n"
            "early|||||-1|-1\n");
}

}  // namespace
}  // namespace agtel::test

namespace agtel::test {
namespace {

using StoreLifted = store_test;

// A lifted key with a non-string value stays in the attributes text, keeps its type, and
// is found by the same key=value filter as the string values kept in their column.
TEST_F(StoreLifted, NonStringValuesOfLiftedKeysKeepTheirType) {
  {
    auto w = open_writer();
    otlp::trace_batch b;
    add_span(b, "svc", tid(1), 1, 0, "a", 100, 10).attributes.set("gen_ai.tool.name", 5);
    add_span(b, "svc", tid(2), 1, 0, "b", 200, 10).attributes.set("gen_ai.tool.name", "5");
    add_span(b, "svc", tid(3), 1, 0, "c", 300, 10).attributes.set("gen_ai.agent.name", "x");
    auto& d = add_span(b, "svc", tid(4), 1, 0, "d", 400, 10);
    d.attributes.set("ratio", 0.5);
    d.attributes.set("quote", "a\"b\\c");
    d.attributes.set("bytes", "\xff\x01");
    d.attributes.set("one", 1.0);
    ASSERT_TRUE(store_batch(*w, std::move(b)));
  }
  auto r = open_reader();
  std::string error;
  otlp::trace_batch out;
  ASSERT_TRUE(r->read_trace(tid(1), out, error)) << error;
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(*out.spans[0]->attributes.find("gen_ai.tool.name"), attribute_value(int64_t{5}));
  ASSERT_TRUE(r->read_trace(tid(2), out, error)) << error;
  EXPECT_EQ(*out.spans[0]->attributes.find("gen_ai.tool.name"), attribute_value(std::string("5")));
  store::trace_query q;
  q.attributes = {{"gen_ai.tool.name", "5"}};
  std::vector<store::trace_summary> found;
  ASSERT_TRUE(r->find_traces(q, found, error)) << error;
  EXPECT_EQ(found.size(), 2u);
  // Only ever lifted, never interned as a key: still found.
  q.attributes = {{"gen_ai.agent.name", "x"}};
  ASSERT_TRUE(r->find_traces(q, found, error)) << error;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, tid(3));
  // Doubles in their shortest form, escaped and non-UTF-8 strings as they are.
  for (auto [k, v] : {std::pair{"ratio", "0.5"}, std::pair{"quote", "a\"b\\c"},
                      std::pair{"bytes", "\xff\x01"}, std::pair{"one", "1"}}) {
    q.attributes = {{k, v}};
    ASSERT_TRUE(r->find_traces(q, found, error)) << error;
    ASSERT_EQ(found.size(), 1u) << k;
    EXPECT_EQ(found[0].id, tid(4));
  }
  q.attributes = {{"ratio", "0.50"}};
  ASSERT_TRUE(r->find_traces(q, found, error)) << error;
  EXPECT_EQ(found.size(), 0u);
}

}  // namespace
}  // namespace agtel::test
