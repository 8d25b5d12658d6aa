// The store's schema (see store.hpp for the tables): creation, migration and the checks
// that refuse a file that is not an agtel store or that a newer agtel wrote.
//
// A store is recognised by PRAGMA application_id (`application_id` below); its version is
// PRAGMA user_version. Version 0 with no tables is a new file.
#pragma once

#include <cstdint>
#include <string>

#include "store/sqlite.hpp"

namespace agtel::store::schema {

inline constexpr int version = 2;
inline constexpr int32_t application_id = 0x6167746c;  // "agtl"

// Creates the tables in a new file, or migrates an older version to `version`, inside one
// transaction. False and `error` when the file is not an agtel store or is newer.
bool create_or_migrate(sql::connection& db, const std::string& path, std::string& error);

// For readers: checks that `db` is an agtel store of this version, without writing.
// `found_version` receives the file's version.
bool check(sql::connection& db, const std::string& path, int& found_version, std::string& error);

}  // namespace agtel::store::schema
