#include "clear_command.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>
#include <vector>

#include "store/store.hpp"
#include "store_commands.hpp"
#include "time_text.hpp"

namespace agtel::cli {
namespace {

constexpr int done = 0, failed = 2;

int fail(const std::string& message) {
  std::fprintf(stderr, "agtel clear: %s\n", message.c_str());
  return failed;
}

// SQLite says "database is locked" when another connection kept the write lock past the
// busy timeout: on a store file, that is a running `agtel serve` (or another clear).
std::string explain(const std::string& path, const std::string& error) {
  if (error.find("database is locked") == std::string::npos) return error;
  return "the store " + path +
         " is in use by a running agtel serve; stop it or retry when it is less busy (" +
         error + ")";
}

// "12 spans, 3 log records and 40 metric points", naming the chosen signals only.
std::string counts(const store::delete_request& r, const store::delete_result& n) {
  std::vector<std::string> parts;
  if (r.spans) parts.push_back(std::to_string(n.spans) + " spans");
  if (r.logs) parts.push_back(std::to_string(n.logs) + " log records");
  if (r.metrics) parts.push_back(std::to_string(n.metric_points) + " metric points");
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i)
    s += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return s;
}

// Asks on the terminal; true on "y" or "yes".
bool confirmed(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

clear_command::clear_command(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "clear",
      "Delete spans, log records and/or metric points from the store (all, or older than "
      "--before)");
  cmd_->add_option("--db", db_, "The store's database file")->capture_default_str();
  cmd_->add_flag("--traces", traces_, "Delete spans (none of the three flags: everything)");
  cmd_->add_flag("--logs", logs_, "Delete log records");
  cmd_->add_flag("--metrics", metrics_,
                 "Delete metric points (whole chunks of ~240 points ending before --before)");
  cmd_->add_option("--before", before_,
                   "Only what is older than this: 7d (ago) or an RFC 3339 time; default: all")
      ->check(time_point_check());
  cmd_->add_flag("--yes", yes_, "Delete without asking");
}

std::optional<int> clear_command::run() {
  if (!*cmd_) return std::nullopt;
  const std::string path = db_.empty() ? default_db_path() : db_;
  store::delete_request request;
  const bool all = !traces_ && !logs_ && !metrics_;
  request.spans = traces_ || all;
  request.logs = logs_ || all;
  request.metrics = metrics_ || all;
  if (!before_.empty() && !parse_time_point(before_, realtime_ns(), request.before_ns)) {
    return fail("bad --before '" + before_ + "'");
  }
  // Checked first: opening a writer would create an empty store at a mistyped path.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return fail("no store at " + path);

  std::string error;
  store::delete_result would;
  {
    auto r = store::reader::open(path, error);
    if (!r) return fail(error);
    if (!r->count(request, would, error)) return fail(explain(path, error));
  }
  const std::string what = before_.empty() ? "" : " older than " + before_;
  if (would.spans + would.logs + would.metric_points == 0) {
    std::printf("nothing to delete in %s (%s%s)\n", path.c_str(), counts(request, would).c_str(),
                what.c_str());
    return done;
  }
  const std::string plan = counts(request, would) + what + " from " + path;
  if (!yes_) {
    if (!isatty(STDIN_FILENO)) return fail("would delete " + plan + "; pass --yes to delete");
    if (!confirmed("Delete " + plan + "?")) return fail("nothing deleted");
  }

  store::writer_options wo;
  wo.path = path;
  auto w = store::writer::open(wo, error);
  if (!w) return fail(explain(path, error));
  std::promise<std::pair<bool, std::string>> finished;
  store::delete_result deleted;
  auto submitted =
      w->submit_delete(request, [&](bool ok, const store::delete_result& n, std::string_view e) {
        deleted = n;
        finished.set_value({ok, std::string(e)});
      });
  if (submitted != store::submit_result::queued) return fail("the store writer refused the delete");
  auto [ok, delete_error] = finished.get_future().get();
  w.reset();
  if (!ok) {
    return fail(explain(path, delete_error) + " (deleted before the failure: " +
                counts(request, deleted) + ")");
  }
  std::printf("deleted %s%s from %s\n", counts(request, deleted).c_str(), what.c_str(),
              path.c_str());
  return done;
}

}  // namespace agtel::cli
