// `agtel clear`: deletes spans and/or log records from the store, all of them or those
// older than --before. It counts first and deletes only with --yes (or a "y" typed on a
// terminal), through its own store writer, in the same bounded transactions as retention.
//
// Exit codes: 0 deleted (or nothing to delete), 2 refused without --yes, no store at that
// path, a bad argument, or the store busy (a running `agtel serve` holding the write lock
// past SQLite's busy timeout: nothing is deleted by the failing transaction).
#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace agtel::cli {

class clear_command {
 public:
  // Adds `clear` and its options to `app`.
  explicit clear_command(CLI::App& app);

  // After parsing: the exit code when `clear` was given, else nullopt.
  std::optional<int> run();

 private:
  CLI::App* cmd_ = nullptr;
  std::string db_, before_;
  bool traces_ = false, logs_ = false, metrics_ = false, yes_ = false;
};

}  // namespace agtel::cli
