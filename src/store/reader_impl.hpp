// The reader's state, shared by reader.cpp (open, status, logs) and reader_traces.cpp
// (trace search and read). One connection, read-only; one thread at a time.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/attributes.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace agtel::store {

struct reader::impl final : key_resolver {
  std::string path;
  sql::connection db;
  int version = 0;

  // Keys never change once committed, so the cache stays valid for the reader's life.
  std::unordered_map<int64_t, std::string> keys;
  sql::statement find_key;

  bool key_of(int64_t id, std::string& key) override;

  // A read transaction: every statement of one call sees the same snapshot.
  bool begin(std::string& error);
  void end() noexcept;
  // Runs `body` (returning bool) inside one read transaction, ended whatever happens; an
  // exception becomes `error`, prefixed with `what`. What every public read does.
  template <class Body>
  bool in_read(std::string_view what, std::string& error, Body&& body) noexcept {
    try {
      if (!begin(error)) return false;
      struct ender {
        impl& m;
        ~ender() { m.end(); }
      } e{*this};
      return body();
    } catch (const std::exception& x) {
      error = std::string(what) + ": " + x.what();
      return false;
    }
  }
  std::string fail(std::string_view what) const;

  // The resource or scope with `id`, added to `out` once per call (`ids` maps row ids to
  // their place in the batch). False on an SQLite error or a corrupt row.
  bool load_resource(int64_t id, std::deque<agtel::resource>& out,
                     std::unordered_map<int64_t, const agtel::resource*>& ids,
                     const agtel::resource*& result, std::string& error);
  bool load_scope(int64_t id, std::deque<instrumentation_scope>& out,
                  std::unordered_map<int64_t, const instrumentation_scope*>& ids,
                  const instrumentation_scope*& result, std::string& error);

  // "resource_id IN (1,4,9)" for the resources of `service`; "" when `service` is empty;
  // false in `any` when no resource has it (nothing can match).
  bool service_condition(const std::string& service, std::string& condition, bool& any,
                         std::string& error);
  // The id range of the rows whose block overlaps [since, until] (0: unbounded); false in
  // `any` when no block does.
  bool id_range(const char* blocks, timestamp_ns since, timestamp_ns until, int64_t& first,
                int64_t& last, bool& any, std::string& error);
};

}  // namespace agtel::store
