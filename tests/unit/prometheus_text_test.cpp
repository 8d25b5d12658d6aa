// Number formatting and escaping of the Prometheus exporter (src/export/prometheus/text.cpp).
#include "export/prometheus/text.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace agtel::exporter::prometheus {
namespace {

std::string dbl(double v, bool om = false) {
  std::string s;
  append_double(s, v, om);
  return s;
}
std::string label(std::string_view v) {
  std::string s;
  append_label_value(s, v);
  return s;
}
std::string help(std::string_view v, bool om) {
  std::string s;
  append_help(s, v, om);
  return s;
}
std::string attr(const attribute_value& v) {
  std::string s;
  append_attribute_label_value(s, v);
  return s;
}
std::string secs(timestamp_ns t) {
  std::string s;
  append_seconds(s, t);
  return s;
}

TEST(PrometheusText, Doubles) {
  EXPECT_EQ(dbl(1), "1");
  EXPECT_EQ(dbl(1.5), "1.5");
  EXPECT_EQ(dbl(0.1), "0.1");
  EXPECT_EQ(dbl(-2.25), "-2.25");
  EXPECT_EQ(dbl(1e-5), "1e-05");
  EXPECT_EQ(dbl(1e21), "1e+21");
  EXPECT_EQ(dbl(0), "0");
  EXPECT_EQ(dbl(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(dbl(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(dbl(-std::numeric_limits<double>::infinity()), "-Inf");
  // OpenMetrics canonical form: integral values get ".0".
  EXPECT_EQ(dbl(1, true), "1.0");
  EXPECT_EQ(dbl(2.5, true), "2.5");
  EXPECT_EQ(dbl(1e21, true), "1e+21");
  EXPECT_EQ(dbl(std::numeric_limits<double>::infinity(), true), "+Inf");
  EXPECT_EQ(dbl(std::numeric_limits<double>::quiet_NaN(), true), "NaN");
}

TEST(PrometheusText, DoublesRoundTrip) {
  for (double v : {0.1 + 0.2, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 1.0 / 3, 123456789.123456789,
                   -7.0e-300, 0.005, 81.92}) {
    const std::string s = dbl(v);
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), v) << s;
    EXPECT_LE(s.size(), 24u);
  }
}

TEST(PrometheusText, Integers) {
  std::string s;
  append_int(s, std::numeric_limits<int64_t>::min());
  s += ' ';
  append_uint(s, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(s, "-9223372036854775808 18446744073709551615");
}

TEST(PrometheusText, Seconds) {
  EXPECT_EQ(secs(0), "0");
  EXPECT_EQ(secs(1'500'000'000), "1.5");
  EXPECT_EQ(secs(1'000'000'001), "1.000000001");
  EXPECT_EQ(secs(1'700'000'000'123'456'789), "1700000000.123456789");
  EXPECT_EQ(secs(1'700'000'000'000'000'000), "1700000000");
}

TEST(PrometheusText, LabelValueEscaping) {
  EXPECT_EQ(label("plain value"), "plain value");
  EXPECT_EQ(label("a\"b"), "a\\\"b");
  EXPECT_EQ(label("back\\slash"), "back\\\\slash");
  EXPECT_EQ(label("line\nbreak"), "line\\nbreak");
  EXPECT_EQ(label("\\n"), "\\\\n");            // a literal backslash-n stays two characters
  EXPECT_EQ(label("tab\tcr\r"), "tab\tcr\r");  // only the three escapes the format has
  EXPECT_EQ(label(std::string_view("nul\0x", 5)), std::string("nul\0x", 5));
  EXPECT_EQ(label(""), "");
}

TEST(PrometheusText, LabelValueUtf8) {
  EXPECT_EQ(label("caf\xC3\xA9"), "caf\xC3\xA9");                    // valid UTF-8 kept
  EXPECT_EQ(label("\xF0\x9F\xA4\x96 bot"), "\xF0\x9F\xA4\x96 bot");  // 4-byte sequence
  EXPECT_EQ(label("\xFF"), "\xEF\xBF\xBD");                          // invalid byte → U+FFFD
  EXPECT_EQ(label("ab\xC3"), "ab\xEF\xBF\xBD");                      // truncated at the end
  EXPECT_EQ(label("\xC3(x"), "\xEF\xBF\xBD(x");                      // bad continuation
  EXPECT_EQ(label("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong NUL
  EXPECT_EQ(label("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(label("\xE2\x82\"q"), "\xEF\xBF\xBD\\\"q");                      // then an escape
  // Long hostile input: every byte invalid.
  const std::string bad(10000, '\x80');
  const std::string fixed = label(bad);
  EXPECT_EQ(fixed.size(), 3 * bad.size());
}

TEST(PrometheusText, Help) {
  EXPECT_EQ(help("say \"hi\"\\\n", false), "say \"hi\"\\\\\\n");
  EXPECT_EQ(help("say \"hi\"\\\n", true), "say \\\"hi\\\"\\\\\\n");
  EXPECT_EQ(help("bad \xFF", false), "bad \xEF\xBF\xBD");
}

TEST(PrometheusText, AttributeValues) {
  EXPECT_EQ(attr(true), "true");
  EXPECT_EQ(attr(false), "false");
  EXPECT_EQ(attr(int64_t{-42}), "-42");
  EXPECT_EQ(attr(2.5), "2.5");
  EXPECT_EQ(attr(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(attr(std::string("q\"")), "q\\\"");
  EXPECT_EQ(attr(std::vector<int64_t>{1, -2}), "[1,-2]");
  EXPECT_EQ(attr(std::vector<double>{0.5, std::nan("")}), "[0.5,NaN]");
  EXPECT_EQ(attr(std::vector<bool>{true, false}), "[true,false]");
  // JSON string array, then label-escaped: ["a","b\"c"] → [\"a\",\"b\\\"c\"]
  EXPECT_EQ(attr(std::vector<std::string>{"a", "b\"c"}), "[\\\"a\\\",\\\"b\\\\\\\"c\\\"]");
  EXPECT_EQ(attr(std::vector<std::string>{}), "[]");
}

TEST(PrometheusText, Utf8Length) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("caf\xC3\xA9"), 4u);
  EXPECT_EQ(utf8_length("\xFF\xFF"), 2u);
  EXPECT_EQ(utf8_length("\xE2\x82"), 1u);
}

}  // namespace
}  // namespace agtel::exporter::prometheus
