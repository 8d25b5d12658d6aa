// Text for the metric commands (`agtel metrics | query | stats | anomalies`): label
// lists from the command line, numbers and label sets for tables, sparklines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "query/query.hpp"

namespace agtel::cli {

// "model=gpt-4o,agent=~cod.*": matchers separated by commas; a comma inside a quoted value
// ('a,b' or "a,b") does not separate. False with `error` on a bad matcher.
bool parse_label_list(std::string_view text, std::vector<query::label_matcher>& out,
                      std::string& error);

// A number for a table: up to 6 significant digits, no exponent for ordinary magnitudes;
// "NaN", "+Inf", "-Inf".
std::string number_text(double v);

// "model=m1, agent=coder"; "(all)" for an empty set.
std::string labels_text(const query::label_set& labels);

// One character per value, ▁ to █ scaled between the values' min and max (a flat line when
// they are equal); NaN and infinities show as a space.
std::string sparkline(const std::vector<query::point>& points);

// "gauge", "counter", "counter (delta)", "up-down", "histogram", "exp-histogram"...
std::string kind_text(const query::metric_info& info);

}  // namespace agtel::cli
