// The metric commands' text: label lists from the command line (quotes, commas, errors),
// numbers, label sets and sparklines.
#include <gtest/gtest.h>

#include <cmath>

#include "metric_text.hpp"

namespace agtel::cli {
namespace {

TEST(CliMetricText, LabelListsSplitOnCommasOutsideQuotes) {
  std::vector<query::label_matcher> m;
  std::string error;
  ASSERT_TRUE(parse_label_list("model=gpt-4o,agent!~'cod,er',tool=~\"a|b\"", m, error)) << error;
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].name, "model");
  EXPECT_EQ(m[0].value, "gpt-4o");
  EXPECT_EQ(m[1].kind, query::label_matcher::op::not_regex);
  EXPECT_EQ(m[1].value, "cod,er");
  EXPECT_EQ(m[2].kind, query::label_matcher::op::regex);
  EXPECT_EQ(m[2].value, "a|b");
}

TEST(CliMetricText, BadLabelListsSayWhatIsWrong) {
  std::vector<query::label_matcher> m;
  std::string error;
  EXPECT_FALSE(parse_label_list("a=1,,b=2", m, error));
  EXPECT_NE(error.find("empty matcher"), std::string::npos) << error;
  EXPECT_FALSE(parse_label_list("", m, error));
  EXPECT_FALSE(parse_label_list("a='open", m, error));
  EXPECT_NE(error.find("unterminated quote"), std::string::npos) << error;
  EXPECT_FALSE(parse_label_list("novalue", m, error));
  EXPECT_FALSE(error.empty());
}

TEST(CliMetricText, NumbersAndLabels) {
  EXPECT_EQ(number_text(0), "0");
  EXPECT_EQ(number_text(1234567), "1.23457e+06");
  EXPECT_EQ(number_text(0.25), "0.25");
  EXPECT_EQ(number_text(1e-7), "1e-07");
  EXPECT_EQ(number_text(NAN), "NaN");
  EXPECT_EQ(number_text(-INFINITY), "-Inf");
  EXPECT_EQ(labels_text({}), "(all)");
  EXPECT_EQ(labels_text({{"a", "1"}, {"b", "x y"}}), "a=1, b=x y");
}

TEST(CliMetricText, SparklinesScaleBetweenMinAndMax) {
  EXPECT_EQ(sparkline({{1, 0}, {2, 7}, {3, 3.5}, {4, NAN}}), "▁█▅ ");
  EXPECT_EQ(sparkline({{1, 5}, {2, 5}}), "▁▁");
  EXPECT_EQ(sparkline({}), "");
}

}  // namespace
}  // namespace agtel::cli
