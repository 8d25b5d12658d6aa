// The JSON-lines exporters: one OTLP/JSON request per line, file names, rotation by size
// and by age, the cap on kept files, directory creation, errors counted and never thrown,
// and the files read back by jq and by the OTLP/JSON decoder.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "agtel/diagnostics.hpp"
#include "agtel/export/jsonl_exporter.hpp"
#include "otlp/codec.hpp"

namespace agtel::exporter {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A fresh directory under the system temp dir, removed at the end.
struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() /
           ("agtel-jsonl-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
  }
  ~temp_dir() { fs::remove_all(path); }
};

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct span_source {
  agtel::resource res;
  instrumentation_scope scope{"jsonl.test", "1", "", {}};
  uint8_t next = 1;

  span_source() { res.attributes.set("service.name", "jsonl"); }

  // A batch of `n` spans whose names carry `tag` and a counter.
  std::vector<trace::span_ptr> batch(size_t n, std::string_view tag = "s", size_t name_pad = 0) {
    std::vector<trace::span_ptr> spans;
    for (size_t i = 0; i < n; ++i) {
      trace::span_ptr s = trace::span_ptr::make();
      std::array<uint8_t, 16> t{};
      std::array<uint8_t, 8> id{};
      t[0] = next;
      id[0] = next++;
      s->context = trace::span_context(trace::trace_id(t), trace::span_id(id), {1}, false);
      s->name = std::string(tag) + std::to_string(i) + std::string(name_pad, 'x');
      s->start_time = 1;
      s->end_time = 2;
      s->resource = &res;
      s->scope = &scope;
      spans.push_back(s);
    }
    return spans;
  }
};

steady_time deadline() { return std::chrono::steady_clock::now() + 5s; }

// Collects diagnostics for the test's duration.
struct diag_capture {
  std::mutex mutex;
  std::vector<std::string> messages;
  diag_capture() {
    agtel::detail::reset_diagnostics_for_testing();
    set_diagnostic_handler([this](diag_level, std::string_view component, std::string_view msg) {
      std::lock_guard lock(mutex);
      messages.push_back(std::string(component) + ": " + std::string(msg));
    });
  }
  ~diag_capture() {
    set_diagnostic_handler(nullptr);
    agtel::detail::reset_diagnostics_for_testing();
  }
};

TEST(JsonlExporter, WritesOneDecodableRequestPerLineInANamedFile) {
  temp_dir dir;
  span_source src;
  jsonl_span_exporter exporter({.directory = (dir.path / "a" / "b").string()});  // created
  EXPECT_EQ(exporter.current_file(), "");
  auto b1 = src.batch(3, "first");
  auto b2 = src.batch(2, "second");
  EXPECT_EQ(exporter.export_spans(b1, deadline()), export_result::success);
  EXPECT_EQ(exporter.export_spans({}, deadline()), export_result::success);  // writes nothing
  EXPECT_EQ(exporter.export_spans(b2, deadline()), export_result::success);
  EXPECT_EQ(exporter.force_flush(deadline()), sdk_result::ok);

  auto names = files_in(dir.path / "a" / "b");
  ASSERT_EQ(names.size(), 1u);
  EXPECT_TRUE(std::regex_match(names[0], std::regex(R"(agtel-traces-\d{8}T\d{6}Z-0001\.jsonl)"))) << names[0];
  EXPECT_EQ(fs::path(exporter.current_file()).filename(), names[0]);

  auto lines = lines_of(dir.path / "a" / "b" / names[0]);
  ASSERT_EQ(lines.size(), 2u);
  otlp::trace_batch decoded;
  ASSERT_EQ(otlp::decode_traces_json(lines[0], decoded), "");
  ASSERT_EQ(decoded.spans.size(), 3u);
  EXPECT_EQ(decoded.spans[2]->name, "first2");
  EXPECT_EQ(decoded.spans[0]->resource->attributes, src.res.attributes);
  ASSERT_EQ(otlp::decode_traces_json(lines[1], decoded), "");
  ASSERT_EQ(decoded.spans.size(), 2u);
  EXPECT_EQ(decoded.spans[0]->name, "second0");

  auto st = exporter.stats();
  EXPECT_EQ(st.batches_written, 2u);
  EXPECT_EQ(st.bytes_written, fs::file_size(dir.path / "a" / "b" / names[0]));
  EXPECT_EQ(st.files_opened, 1u);
  EXPECT_EQ(st.write_errors, 0u);

  EXPECT_EQ(exporter.shutdown(deadline()), sdk_result::ok);
  EXPECT_EQ(exporter.shutdown(deadline()), sdk_result::already_shutdown);
  EXPECT_EQ(exporter.export_spans(b1, deadline()), export_result::failure);
  EXPECT_EQ(exporter.stats().batches_failed, 1u);
}

TEST(JsonlExporter, RotatesBySizeAndKeepsAtMostMaxFiles) {
  temp_dir dir;
  span_source src;
  jsonl_span_exporter exporter(
      {.directory = dir.path.string(), .file_prefix = "agent", .max_file_bytes = 1000, .max_files = 3});
  // A stranger's file that looks close to ours is never deleted.
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "agent-traces-notes.jsonl") << "keep\n";
  std::ofstream(dir.path / "agent-metrics-20200101T000000Z-0001.jsonl") << "{}\n";

  size_t line_bytes = 0;
  for (int i = 0; i < 12; ++i) {
    auto b = src.batch(1, "n", 300);  // about 550 bytes a line: one line per file
    ASSERT_EQ(exporter.export_spans(b, deadline()), export_result::success);
    line_bytes = std::max<size_t>(line_bytes, exporter.stats().bytes_written / (i + 1));
  }
  ASSERT_GT(line_bytes, 500u);
  ASSERT_LT(line_bytes, 1000u);
  auto names = files_in(dir.path);
  std::vector<std::string> ours;
  for (const auto& n : names)
    if (n.rfind("agent-traces-2", 0) == 0) ours.push_back(n);
  ASSERT_EQ(ours.size(), 3u);
  EXPECT_TRUE(std::count(names.begin(), names.end(), "agent-traces-notes.jsonl"));
  EXPECT_TRUE(std::count(names.begin(), names.end(), "agent-metrics-20200101T000000Z-0001.jsonl"));
  // The newest three remain: sequences 0010, 0011, 0012.
  EXPECT_NE(ours[0].find("-0010.jsonl"), std::string::npos);
  EXPECT_NE(ours[2].find("-0012.jsonl"), std::string::npos);
  EXPECT_EQ(exporter.stats().files_opened, 12u);
  EXPECT_EQ(exporter.stats().files_deleted, 9u);
  otlp::trace_batch decoded;
  auto last = lines_of(dir.path / ours[2]);
  ASSERT_EQ(last.size(), 1u);
  ASSERT_EQ(otlp::decode_traces_json(last[0], decoded), "");
  EXPECT_EQ(decoded.spans[0]->name.substr(0, 2), "n0");
}

TEST(JsonlExporter, SmallLinesShareAFileUntilTheSizeLimit) {
  temp_dir dir;
  span_source src;
  jsonl_span_exporter exporter({.directory = dir.path.string(), .max_file_bytes = 4000, .max_files = 0});
  for (int i = 0; i < 40; ++i) ASSERT_EQ(exporter.export_spans(src.batch(1), deadline()), export_result::success);
  auto names = files_in(dir.path);
  ASSERT_GT(names.size(), 1u);
  size_t total_lines = 0;
  for (const auto& n : names) {
    EXPECT_LE(fs::file_size(dir.path / n), 4000u);
    total_lines += lines_of(dir.path / n).size();
  }
  EXPECT_EQ(total_lines, 40u);
  EXPECT_EQ(exporter.stats().files_deleted, 0u);  // max_files 0: no limit
}

TEST(JsonlExporter, RotatesByInterval) {
  temp_dir dir;
  span_source src;
  jsonl_span_exporter exporter({.directory = dir.path.string(), .rotate_interval = 100ms});
  ASSERT_EQ(exporter.export_spans(src.batch(1), deadline()), export_result::success);
  ASSERT_EQ(exporter.export_spans(src.batch(1), deadline()), export_result::success);
  EXPECT_EQ(files_in(dir.path).size(), 1u);  // within the interval: same file
  std::this_thread::sleep_for(150ms);
  ASSERT_EQ(exporter.export_spans(src.batch(1), deadline()), export_result::success);
  auto names = files_in(dir.path);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(lines_of(dir.path / names[0]).size(), 2u);
  EXPECT_EQ(lines_of(dir.path / names[1]).size(), 1u);
  EXPECT_NE(names[1].find("-0002.jsonl"), std::string::npos);
}

TEST(JsonlExporter, UnwritableDirectoryIsCountedAndReportedOnceNeverThrown) {
  temp_dir dir;
  diag_capture diags;
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "plain-file") << "x";
  span_source src;
  // A path through a regular file cannot be created, even by root.
  jsonl_span_exporter exporter({.directory = (dir.path / "plain-file" / "sub").string()});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(exporter.export_spans(src.batch(1), deadline()), export_result::failure);
  auto st = exporter.stats();
  EXPECT_EQ(st.batches_failed, 3u);
  EXPECT_EQ(st.write_errors, 3u);
  EXPECT_EQ(st.batches_written, 0u);
  std::lock_guard lock(diags.mutex);
  ASSERT_EQ(diags.messages.size(), 1u);
  EXPECT_NE(diags.messages[0].find("jsonl_exporter: cannot create directory"), std::string::npos)
      << diags.messages[0];
  EXPECT_NE(diags.messages[0].find("plain-file"), std::string::npos);
}

TEST(JsonlExporter, AFailedWriteLeavesNoTornLine) {
  // RLIMIT_FSIZE makes write(2) stop at the limit: the first line fits, the second is cut
  // by the kernel and must be cut back by the exporter. (SIGXFSZ is ignored meanwhile.)
  temp_dir dir;
  diag_capture diags;
  span_source src;
  jsonl_span_exporter exporter({.directory = dir.path.string()});
  ASSERT_EQ(exporter.export_spans(src.batch(1, "a", 100), deadline()), export_result::success);
  const uint64_t first = exporter.stats().bytes_written;

  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit old_limit{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit limit = old_limit;
  limit.rlim_cur = first + 50;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
  export_result r = exporter.export_spans(src.batch(1, "b", 100), deadline());
  setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_EQ(r, export_result::failure);
  auto names = files_in(dir.path);
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(fs::file_size(dir.path / names[0]), first);
  EXPECT_EQ(exporter.stats().write_errors, 1u);
  {
    std::lock_guard lock(diags.mutex);
    ASSERT_EQ(diags.messages.size(), 1u);
    EXPECT_NE(diags.messages[0].find("cannot write to"), std::string::npos) << diags.messages[0];
  }
  // The next batch goes to a new file.
  EXPECT_EQ(exporter.export_spans(src.batch(1, "c"), deadline()), export_result::success);
  EXPECT_EQ(files_in(dir.path).size(), 2u);
}

TEST(JsonlExporter, JqAcceptsEveryLineOfEverySignal) {
  temp_dir dir;
  span_source src;
  jsonl_exporter_options options{.directory = dir.path.string()};
  jsonl_span_exporter spans(options);
  jsonl_metric_exporter metrics_exporter(options, metrics::delta_temporality);
  jsonl_log_exporter logs_exporter(options);
  EXPECT_EQ(metrics_exporter.preferred_temporality(metrics::instrument_kind::counter),
            metrics::aggregation_temporality::delta);

  auto b = src.batch(2, "hostile \"quote\" \n\x01 \xff end");
  ASSERT_EQ(spans.export_spans(b, deadline()), export_result::success);
  ASSERT_EQ(spans.export_spans(src.batch(1), deadline()), export_result::success);

  metrics::resource_metrics rm;
  rm.resource = &src.res;
  auto& sm = rm.scopes.next();
  sm.scope = &src.scope;
  sm.metrics.clear();
  auto& m = sm.metrics.next();
  m = {"tokens", "", "{token}", metrics::sum_data{}};
  auto& p = std::get<metrics::sum_data>(m.data).points.next();
  p = {};
  p.time = 5;
  p.value = 0.5;
  ASSERT_EQ(metrics_exporter.export_metrics(rm, deadline()), export_result::success);
  metrics::resource_metrics empty;
  ASSERT_EQ(metrics_exporter.export_metrics(empty, deadline()), export_result::success);

  logs::log_record_ptr rec = logs::log_record_ptr::make();
  rec->body = std::string("line\nbreak");
  rec->has_body = true;
  rec->severity_number = logs::severity::error;
  rec->resource = &src.res;
  rec->scope = &src.scope;
  const logs::log_record_ptr records[] = {rec};
  ASSERT_EQ(logs_exporter.export_logs(records, deadline()), export_result::success);
  EXPECT_EQ(spans.shutdown(deadline()), sdk_result::ok);
  EXPECT_EQ(metrics_exporter.shutdown(deadline()), sdk_result::ok);
  EXPECT_EQ(logs_exporter.shutdown(deadline()), sdk_result::ok);
  // Every signal's exporter shuts down once and refuses batches after it.
  EXPECT_EQ(metrics_exporter.shutdown(deadline()), sdk_result::already_shutdown);
  EXPECT_EQ(logs_exporter.shutdown(deadline()), sdk_result::already_shutdown);
  EXPECT_EQ(metrics_exporter.export_metrics(rm, deadline()), export_result::failure);
  EXPECT_EQ(logs_exporter.export_logs(records, deadline()), export_result::failure);

  auto names = files_in(dir.path);
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0].rfind("agtel-logs-", 0), 0u);
  EXPECT_EQ(names[1].rfind("agtel-metrics-", 0), 0u);
  EXPECT_EQ(names[2].rfind("agtel-traces-", 0), 0u);
  size_t lines = 0;
  for (const auto& n : names) {
    const fs::path path = dir.path / n;
    // jq -c . prints each input object on one line: as many lines as the file has.
    const std::string cmd = "jq -c . '" + path.string() + "' 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buf[4096];
    while (size_t got = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, got);
    const int status = ::pclose(pipe);
    ASSERT_EQ(status, 0) << n << ": " << output;
    const size_t file_lines = lines_of(path).size();
    EXPECT_EQ(static_cast<size_t>(std::count(output.begin(), output.end(), '\n')), file_lines) << output;
    lines += file_lines;
  }
  EXPECT_EQ(lines, 4u);

  otlp::metric_batch mb;
  ASSERT_EQ(otlp::decode_metrics_json(lines_of(dir.path / names[1])[0], mb), "");
  EXPECT_EQ(std::get<double>(std::get<metrics::sum_data>(mb.resource_metrics[0].scopes[0].metrics[0].data).points[0].value), 0.5);
  otlp::log_batch lb;
  ASSERT_EQ(otlp::decode_logs_json(lines_of(dir.path / names[0])[0], lb), "");
  EXPECT_EQ(std::get<std::string>(lb.records[0]->body), "line\nbreak");
  otlp::trace_batch tb;
  ASSERT_EQ(otlp::decode_traces_json(lines_of(dir.path / names[2])[0], tb), "");
  EXPECT_EQ(tb.spans[0]->name, "hostile \"quote\" \n\x01 \xEF\xBF\xBD end0");
}

}  // namespace
}  // namespace agtel::exporter
