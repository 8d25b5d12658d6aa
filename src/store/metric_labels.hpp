// A metric series' labels: what the query engine matches and groups on. They are the
// point's attributes plus the resource's service.name and service.instance.id (the two
// resource attributes that tell one process's series from another's; Prometheus calls
// them job and instance), every value as text.
//
// In the store they are a JSON object with string values, keys sorted
// ({"gen_ai.agent.name":"coder","service.name":"demo"}), readable with SQLite's json
// functions: SELECT json_extract(labels, '$."gen_ai.agent.name"') FROM metric_series.
#pragma once

#include <string>
#include <string_view>

#include "agtel/common/attribute.hpp"
#include "agtel/common/resource.hpp"
#include "query/series.hpp"

namespace agtel::store {

// The labels of a point of `resource` with `attributes`, sorted by name. A point
// attribute named like one of the two resource labels wins over it.
void make_labels(const agtel::resource* resource, const attribute_list& attributes,
                 query::label_set& out);

// An attribute value as label text: strings as they are, booleans true/false, integers in
// decimal, doubles in their shortest form, arrays as JSON.
void label_text(const attribute_value& v, std::string& out);

void write_labels_json(const query::label_set& labels, std::string& out);
// False when `json` is not what write_labels_json writes.
bool read_labels_json(std::string_view json, query::label_set& out);

}  // namespace agtel::store
