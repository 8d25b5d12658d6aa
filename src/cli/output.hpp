// What every read command shares: its exit codes, how it reports an error, how it writes
// to stdout, and JSON strings.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "export/console/text.hpp"

namespace agtel::cli {

// 0 something was found, 1 nothing matched, 2 an error.
inline constexpr int found = 0, none = 1, failed = 2;

inline int fail(const std::string& message) {
  std::fprintf(stderr, "agtel: %s\n", message.c_str());
  return failed;
}

inline void print(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

inline std::string json_string(std::string_view s) {
  std::string out;
  exporter::console::append_json_string(out, s);
  return out;
}

}  // namespace agtel::cli
