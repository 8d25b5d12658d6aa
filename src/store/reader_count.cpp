// reader::count: what a delete_request would remove, counted in one read transaction
// (`agtel clear` shows it and asks for --yes before deleting).
#include <algorithm>
#include <limits>

#include "store/reader_impl.hpp"

namespace agtel::store {

bool reader::count(const delete_request& request, delete_result& out, std::string& error) {
  impl& m = *impl_;
  out = delete_result{};
  const int64_t before = static_cast<int64_t>(std::min<uint64_t>(
      request.before_ns, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
  auto one = [&](bool wanted, const char* sql, uint64_t& n) {
    if (!wanted) return true;
    sql::statement s;
    if (!s.prepare(m.db.get(), sql, error)) return false;
    s.bind(1, before);
    if (s.step() != SQLITE_ROW) {
      error = m.fail("counting the rows to delete");
      return false;
    }
    n = static_cast<uint64_t>(s.int64(0));
    return true;
  };
  // The same conditions as row_writer::delete_chunk and metric_rows::delete_before (0:
  // every row).
  return m.in_read("counting the rows to delete", error, [&] {
    return one(request.spans, "SELECT count(*) FROM spans WHERE ?1 = 0 OR start_ns < ?1",
               out.spans) &&
           one(request.logs,
               "SELECT count(*) FROM logs WHERE ?1 = 0 OR "
               "iif(time_ns <> 0, time_ns, observed_ns) < ?1",
               out.logs) &&
           one(request.metrics,
               "SELECT (SELECT coalesce(sum(points), 0) FROM metric_chunks WHERE ?1 = 0 OR "
               "last_ns < ?1) + (SELECT coalesce(sum(points), 0) FROM metric_head WHERE "
               "?1 = 0 OR max_ns < ?1)",
               out.metric_points);
  });
}

}  // namespace agtel::store
