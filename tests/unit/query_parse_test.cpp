// parse_matcher, selector (all four operators, anchoring, missing labels, bad regexes)
// and parse_aggregate.
#include <gtest/gtest.h>

#include "query/query.hpp"

namespace agtel::test {
namespace {

using namespace agtel::query;
using op = label_matcher::op;

label_matcher matcher(std::string_view text) {
  label_matcher m;
  std::string error;
  EXPECT_TRUE(parse_matcher(text, m, error)) << text << ": " << error;
  return m;
}

std::string matcher_error(std::string_view text) {
  label_matcher m;
  std::string error;
  EXPECT_FALSE(parse_matcher(text, m, error)) << text;
  return error;
}

TEST(QueryParseMatcher, FourOperators) {
  auto m = matcher("job=api");
  EXPECT_EQ(m.name, "job");
  EXPECT_EQ(m.kind, op::equal);
  EXPECT_EQ(m.value, "api");
  EXPECT_EQ(matcher("job!=api").kind, op::not_equal);
  m = matcher("job=~a.*");
  EXPECT_EQ(m.kind, op::regex);
  EXPECT_EQ(m.value, "a.*");
  m = matcher("job!~a|b");
  EXPECT_EQ(m.kind, op::not_regex);
  EXPECT_EQ(m.value, "a|b");
}

TEST(QueryParseMatcher, NamesWithDotsQuotesAndRawValues) {
  auto m = matcher(" service.name = \"a b\" ");
  EXPECT_EQ(m.name, "service.name");
  EXPECT_EQ(m.value, "a b");
  EXPECT_EQ(matcher("k='x\\'y'").value, "x'y");
  EXPECT_EQ(matcher("k=\"a\\\\b\\\"\"").value, "a\\b\"");
  EXPECT_EQ(matcher("k=a=b").value, "a=b");  // the value is the rest, as written
  m = matcher("k=");
  EXPECT_EQ(m.kind, op::equal);
  EXPECT_EQ(m.value, "");
  EXPECT_EQ(matcher("k=\"\"").value, "");
}

TEST(QueryParseMatcher, Errors) {
  EXPECT_NE(matcher_error("=v").find("name is empty"), std::string::npos);
  EXPECT_NE(matcher_error("abc").find("expected k=v"), std::string::npos);
  EXPECT_NE(matcher_error("k!v").find("!= or !~"), std::string::npos);
  EXPECT_NE(matcher_error("k=\"abc").find("unterminated"), std::string::npos);
  EXPECT_NE(matcher_error("k=\"a\"b").find("after the closing quote"), std::string::npos);
  EXPECT_NE(matcher_error("a b=c").find("bad character"), std::string::npos);
}

bool selects(const std::vector<std::string>& texts, const label_set& labels) {
  std::vector<label_matcher> ms;
  for (const auto& t : texts) ms.push_back(matcher(t));
  selector sel;
  std::string error;
  EXPECT_TRUE(selector::compile(ms, sel, error)) << error;
  return sel.matches(labels);
}

TEST(QuerySelector, OperatorsAnchoringAndMissingLabels) {
  const label_set l = {{"job", "api"}, {"zone", "eu"}};
  EXPECT_TRUE(selects({}, l));
  EXPECT_TRUE(selects({"job=api"}, l));
  EXPECT_FALSE(selects({"job=ap"}, l));
  EXPECT_TRUE(selects({"job!=db"}, l));
  EXPECT_FALSE(selects({"job!=api"}, l));
  EXPECT_TRUE(selects({"job=~a.*"}, l));
  EXPECT_FALSE(selects({"job=~ap"}, l));   // anchored at the end
  EXPECT_FALSE(selects({"job=~pi"}, l));   // and at the start
  EXPECT_TRUE(selects({"job=~db|api"}, l));  // alternation inside the anchors
  EXPECT_FALSE(selects({"job=~db|ap"}, l));
  EXPECT_FALSE(selects({"job!~a.*"}, l));
  EXPECT_TRUE(selects({"job!~db"}, l));
  // A missing label is "".
  EXPECT_TRUE(selects({"team="}, l));
  EXPECT_FALSE(selects({"team!="}, l));
  EXPECT_TRUE(selects({"zone!="}, l));
  EXPECT_TRUE(selects({"team=~.*"}, l));
  EXPECT_FALSE(selects({"team=~.+"}, l));
  EXPECT_TRUE(selects({"team!~.+"}, l));
  EXPECT_FALSE(selects({"team=x"}, l));
  EXPECT_TRUE(selects({"team!=x"}, l));
  // All must match.
  EXPECT_TRUE(selects({"job=api", "zone=~e."}, l));
  EXPECT_FALSE(selects({"job=api", "zone=us"}, l));
}

TEST(QuerySelector, BadRegexNamesTheLabelAndRe2sMessage) {
  selector sel;
  std::string error;
  EXPECT_FALSE(selector::compile({matcher("job=~(a")}, sel, error));
  EXPECT_NE(error.find("bad regex for job"), std::string::npos) << error;
  EXPECT_NE(error.find("missing )"), std::string::npos) << error;
  EXPECT_FALSE(selector::compile({matcher("job!~a**")}, sel, error));
  EXPECT_NE(error.find("bad regex"), std::string::npos) << error;
}

TEST(QuerySelector, Movable) {
  selector a;
  std::string error;
  ASSERT_TRUE(selector::compile({matcher("job=~a.*")}, a, error));
  selector b = std::move(a);
  EXPECT_TRUE(b.matches({{"job", "api"}}));
  EXPECT_FALSE(b.matches({{"job", "db"}}));
}

TEST(QueryParseAggregate, NamesAndPercentiles) {
  aggregate a;
  std::string error;
  const std::pair<const char*, aggregation> names[] = {
      {"sum", aggregation::sum},     {"avg", aggregation::avg}, {"min", aggregation::min},
      {"max", aggregation::max},     {"count", aggregation::count},
      {"last", aggregation::last},   {"AVG", aggregation::avg}};
  for (const auto& [text, op] : names) {
    ASSERT_TRUE(parse_aggregate(text, a, error)) << text;
    EXPECT_EQ(a.op, op) << text;
  }
  const std::pair<const char*, double> percentiles[] = {
      {"p50", 0.5}, {"p90", 0.9}, {"P95", 0.95}, {"p99", 0.99}, {"p99.9", 0.999},
      {"p0", 0},    {"p100", 1},  {"p5", 0.05}};
  for (const auto& [text, q] : percentiles) {
    ASSERT_TRUE(parse_aggregate(text, a, error)) << text;
    EXPECT_EQ(a.op, aggregation::quantile);
    EXPECT_DOUBLE_EQ(a.q, q) << text;
  }
}

TEST(QueryParseAggregate, Errors) {
  aggregate a;
  std::string error;
  EXPECT_FALSE(parse_aggregate("p101", a, error));
  EXPECT_NE(error.find("out of range"), std::string::npos) << error;
  for (const char* bad : {"median", "p", "p9x", "p-5", "p1e2", "p.5", "p5.", "pinf", ""}) {
    EXPECT_FALSE(parse_aggregate(bad, a, error)) << bad;
    EXPECT_NE(error.find("unknown aggregation"), std::string::npos) << bad << ": " << error;
  }
}

}  // namespace
}  // namespace agtel::test
