// The commands that read the store: `agtel status`, `agtel traces`, `agtel trace <id>` and
// `agtel logs`. They open the database file read-only, so they work beside a running
// `agtel serve` (SQLite WAL readers never block its writer) and on a copied file alike.
//
// People get tables; `--json` gives scripts JSON (OTLP/JSON for spans and log records, so
// the output can be fed to any OTLP tool). Exit codes: 0 something was found, 1 nothing
// matched, 2 an error (no store at that path, a bad argument, an SQLite failure).
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace CLI {
class App;
class Validator;
}

namespace agtel::cli {

// Where the store lives unless --db says otherwise: $XDG_DATA_HOME/agtel/agtel.db, else
// $HOME/.local/share/agtel/agtel.db, else ./agtel.db.
std::string default_db_path();

// The check of --since, --until and --before: a duration before now (15m, 7d) or an
// RFC 3339 time (time_text.hpp).
CLI::Validator time_point_check();

class store_commands {
 public:
  // Adds the commands and their options to `app`.
  explicit store_commands(CLI::App& app);
  ~store_commands();

  // After parsing: the exit code of the command that was given, or nullopt when it was
  // none of these.
  std::optional<int> run();

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace agtel::cli
