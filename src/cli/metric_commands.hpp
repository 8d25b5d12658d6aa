// The commands that ask the metric store: `agtel metrics` (the catalogue), `agtel query`
// (a metric over time, aggregated and grouped), `agtel stats` (summary statistics) and
// `agtel anomalies` (points far from their trailing window). They read the database file
// read-only, beside a running `agtel serve`, and compute with the query engine
// (src/query/query.hpp, whose header says what every aggregation means per metric kind).
//
// Tables for people (with a sparkline per series on a terminal), `--json` for scripts.
// Exit codes: 0 found, 1 nothing (no points in the range, no anomaly), 2 an error (an
// unknown metric — with the closest names —, a bad matcher, aggregation or duration).
#pragma once

#include <memory>
#include <optional>

namespace CLI {
class App;
}

namespace agtel::cli {

class metric_commands {
 public:
  explicit metric_commands(CLI::App& app);
  ~metric_commands();

  // After parsing: the exit code of the command given, or nullopt when it was none of these.
  std::optional<int> run();

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace agtel::cli
