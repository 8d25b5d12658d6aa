// find_anomalies(): `agtel anomalies` — z-scores against a trailing window.
#include <cmath>
#include <limits>
#include <span>

#include "query/query.hpp"
#include "query/stats.hpp"

namespace agtel::query {

std::vector<anomaly> find_anomalies(const std::vector<result_series>& series, size_t window,
                                    double k) {
  std::vector<anomaly> found;
  if (window == 0) return found;
  std::vector<double> values;
  for (const result_series& s : series) {
    values.resize(s.points.size());
    for (size_t i = 0; i < s.points.size(); ++i) values[i] = s.points[i].value;
    for (size_t i = window; i < values.size(); ++i) {
      // Exact two-pass moments of the window (a running sum would turn a flat window's
      // stddev into rounding noise, and never forget an Inf).
      const moments m = mean_stddev(std::span<const double>(values).subspan(i - window, window));
      const double v = values[i];
      if (!std::isfinite(m.mean) || !std::isfinite(m.stddev) || std::isnan(v)) continue;
      const double deviation = v - m.mean;
      if (!(std::fabs(deviation) > k * m.stddev)) continue;
      const double z = m.stddev == 0 ? std::copysign(std::numeric_limits<double>::infinity(), deviation)
                                     : deviation / m.stddev;
      found.push_back(anomaly{s.labels, s.points[i].time_ns, v, m.mean, m.stddev, z});
    }
  }
  return found;
}

}  // namespace agtel::query
