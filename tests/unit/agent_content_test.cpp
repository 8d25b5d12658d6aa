// Message content capture: off by default, opt-in, capped at a UTF-8 boundary, redactable,
// and a redactor that throws drops the value without touching the operation.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "agent_fixture.hpp"
#include "agtel/agent/llm_call.hpp"
#include "agtel/agent/recorder.hpp"
#include "agtel/agent/tool_call.hpp"

namespace agtel::agent {
namespace {

using test::int_attr;
using test::str_attr;

TEST(AgentContent, OffByDefault) {
  test::agent_world w;
  {
    llm_call c("m");
    c.set_input_messages(R"([{"role":"user","content":"my password is hunter2"}])");
    c.set_output_messages("ok");
    tool_call t("grep");
    t.set_arguments(R"({"q":"secret"})");
    t.set_result("found");
  }
  track_tool_usage({.tool_name = "recorded", .arguments = "a", .result = "r"});
  for (const auto& s : w.spans())
    for (const auto& a : s->attributes) {
      EXPECT_EQ(a.key.find("messages"), std::string::npos) << s->name;
      EXPECT_EQ(a.key.find("gen_ai.tool.call.arguments"), std::string::npos) << s->name;
      EXPECT_EQ(a.key.find("gen_ai.tool.call.result"), std::string::npos) << s->name;
    }
}

TEST(AgentContent, OptInCapturesEveryKind) {
  test::agent_world w;
  settings s;
  s.content.enabled = true;
  configure(s);
  {
    llm_call c("m");
    c.set_input_messages("in");
    c.set_output_messages("out");
  }
  {
    tool_call t("grep");
    t.set_arguments("args");
    t.set_result("res");
  }
  track_tool_usage({.tool_name = "recorded", .arguments = "a2", .result = "r2"});
  track_llm_call({.request_model = "m2", .input_messages = "i2", .output_messages = "o2"});
  EXPECT_EQ(str_attr(w.span("chat m"), "gen_ai.input.messages"), "in");
  EXPECT_EQ(str_attr(w.span("chat m"), "gen_ai.output.messages"), "out");
  EXPECT_EQ(str_attr(w.span("execute_tool grep"), "gen_ai.tool.call.arguments"), "args");
  EXPECT_EQ(str_attr(w.span("execute_tool grep"), "gen_ai.tool.call.result"), "res");
  EXPECT_EQ(str_attr(w.span("execute_tool recorded"), "gen_ai.tool.call.arguments"), "a2");
  EXPECT_EQ(str_attr(w.span("chat m2"), "gen_ai.output.messages"), "o2");
}

TEST(AgentContent, CappedAtAUtf8Boundary) {
  test::agent_world w;
  settings s;
  s.content.enabled = true;
  s.content.max_bytes = 5;
  configure(s);
  {
    tool_call t("grep");
    t.set_arguments("abcd\xC3\xA9xyz");  // "abcdé xyz": the cap falls inside 'é'
    t.set_result("12345");               // exactly at the cap: whole
  }
  auto sp = w.span("execute_tool grep");
  EXPECT_EQ(str_attr(sp, "gen_ai.tool.call.arguments"), "abcd");
  EXPECT_EQ(int_attr(sp, "gen_ai.tool.call.arguments.truncated_bytes"), 5);
  EXPECT_EQ(str_attr(sp, "gen_ai.tool.call.result"), "12345");
  EXPECT_EQ(int_attr(sp, "gen_ai.tool.call.result.truncated_bytes"), -999);
}

TEST(AgentContent, RedactorSeesKeyAndContentBeforeTheCap) {
  test::agent_world w;
  settings s;
  s.content.enabled = true;
  s.content.max_bytes = 100;
  std::vector<std::string> keys;
  s.content.redact = [&keys](std::string_view key, std::string_view text) {
    keys.emplace_back(key);
    std::string out(text);
    for (size_t p; (p = out.find("hunter2")) != std::string::npos;) out.replace(p, 7, "[redacted]");
    return out;
  };
  configure(std::move(s));
  {
    llm_call c("m");
    c.set_input_messages("password hunter2 please");
  }
  EXPECT_EQ(str_attr(w.span("chat m"), "gen_ai.input.messages"), "password [redacted] please");
  EXPECT_EQ(keys, std::vector<std::string>{"gen_ai.input.messages"});
}

TEST(AgentContent, ThrowingRedactorDropsTheValueOnly) {
  test::agent_world w;
  settings s;
  s.content.enabled = true;
  s.content.redact = [](std::string_view, std::string_view) -> std::string {
    throw std::runtime_error("bad");
  };
  configure(std::move(s));
  EXPECT_EQ(run_tool("grep",
                     [](tool_call& t) {
                       t.set_arguments("x");
                       return 3;
                     }),
            3);
  auto sp = w.span("execute_tool grep");
  EXPECT_EQ(str_attr(sp, "gen_ai.tool.call.arguments"), "<absent>");
  EXPECT_EQ(sp->status.code, trace::status_code::unset);
}

}  // namespace
}  // namespace agtel::agent
