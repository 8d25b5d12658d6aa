// Content negotiation of the Prometheus endpoint (src/export/prometheus/negotiation.cpp).
#include "export/prometheus/negotiation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace agtel::exporter::prometheus {
namespace {

constexpr auto om = prometheus_format::openmetrics;
constexpr auto text = prometheus_format::text;

TEST(PrometheusNegotiation, Format) {
  // What Prometheus 2.42 sends.
  EXPECT_EQ(negotiate_format("application/openmetrics-text;version=1.0.0,application/"
                             "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;"
                             "q=0.5,*/*;q=0.1",
                             true),
            om);
  EXPECT_EQ(negotiate_format("application/openmetrics-text", true), om);
  EXPECT_EQ(negotiate_format("application/openmetrics-text; version=0.0.1", true), om);
  EXPECT_EQ(negotiate_format("Application/OpenMetrics-Text; Version=\"1.0.0\"", true), om);
  EXPECT_EQ(
      negotiate_format("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;q=0.9", true),
      om);
  // Disabled: always text.
  EXPECT_EQ(negotiate_format("application/openmetrics-text", false), text);
  // Text by default, on ties and when OpenMetrics is refused or of an unknown version.
  EXPECT_EQ(negotiate_format("", true), text);
  EXPECT_EQ(negotiate_format("*/*", true), text);
  EXPECT_EQ(negotiate_format("text/plain", true), text);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=0.5,text/plain;q=0.5", true), text);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=0.4,text/plain", true), text);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=0", true), text);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;version=2.0.0", true), text);
  EXPECT_EQ(negotiate_format("application/json", true), text);
  // The most specific range decides: */* does not outvote a refused text/plain.
  EXPECT_EQ(negotiate_format("application/*;q=0.9,*/*;q=0.1", true), om);
  EXPECT_EQ(negotiate_format("application/*;q=0.9,text/plain;q=0.1", true), om);
}

TEST(PrometheusNegotiation, MalformedAccept) {
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=abc", true), text);
  EXPECT_EQ(negotiate_format("application/openmetrics-text;q=2", true), text);
  EXPECT_EQ(negotiate_format(";;;,,,///", true), text);
  EXPECT_EQ(negotiate_format("/openmetrics-text", true), text);
  EXPECT_EQ(negotiate_format("application/", true), text);
  EXPECT_EQ(negotiate_format("\xFF\xFE/\x80", true), text);
  EXPECT_EQ(negotiate_format(std::string(100000, ','), true), text);
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "text/html,";
  many += "application/openmetrics-text";
  EXPECT_EQ(negotiate_format(many, true), text);  // past 64 entries the rest is ignored
}

TEST(PrometheusNegotiation, Gzip) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // explicitly refused
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
  EXPECT_FALSE(accepts_gzip("gzip;q=bad"));
  EXPECT_FALSE(accepts_gzip(std::string(100000, ';')));
}

}  // namespace
}  // namespace agtel::exporter::prometheus
