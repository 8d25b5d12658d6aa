#include "agtel/diagnostics.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.hpp"

namespace agtel {
namespace {

using ::testing::HasSubstr;
using clock_type = std::chrono::steady_clock;

// A controllable clock for the rate limiter.
std::atomic<int64_t> g_fake_ns{1'000'000'000'000};
clock_type::time_point fake_now() noexcept {
  return clock_type::time_point(std::chrono::nanoseconds(g_fake_ns.load()));
}
void advance(std::chrono::nanoseconds d) {
  g_fake_ns += d.count();
}

struct message {
  diag_level level;
  std::string component;
  std::string text;
};

// Every test starts from fresh diagnostics (no rate-limit history, OTEL_LOG_LEVEL unset,
// the fake clock) and leaves the stderr handler behind.
class diagnostics : public ::testing::Test {
 protected:
  void SetUp() override { detail::reset_diagnostics_for_testing(&fake_now); }
  void TearDown() override {
    set_diagnostic_handler(nullptr);
    detail::reset_diagnostics_for_testing();
  }

  void capture() {
    set_diagnostic_handler([this](diag_level l, std::string_view c, std::string_view m) {
      std::lock_guard lock(mutex_);
      messages_.push_back({l, std::string(c), std::string(m)});
    });
  }
  std::vector<message> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }

  test::scoped_env log_level_{"OTEL_LOG_LEVEL", std::nullopt};
  std::mutex mutex_;
  std::vector<message> messages_;
};

TEST_F(diagnostics, default_handler_writes_one_prefixed_line_to_stderr) {
  set_diagnostic_level(diag_level::debug);
  ::testing::internal::CaptureStderr();
  detail::diag(diag_level::warning, "exporter", "cannot connect to 127.0.0.1:4318");
  detail::diag(diag_level::error, "config", "bad value");
  detail::diag(diag_level::info, "sdk", "started");
  detail::diag(diag_level::debug, "sdk", "details");
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out,
            "agtel: warn: exporter: cannot connect to 127.0.0.1:4318\n"
            "agtel: error: config: bad value\n"
            "agtel: info: sdk: started\n"
            "agtel: debug: sdk: details\n");
}

TEST_F(diagnostics, default_handler_escapes_control_bytes_and_keeps_one_line) {
  ::testing::internal::CaptureStderr();
  detail::diag(diag_level::error, "config", std::string_view("a\nb\x1b[31m\0z", 10));
  std::string out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "agtel: error: config: a\\x0ab\\x1b[31m\\x00z\n");
}

TEST_F(diagnostics, default_handler_cuts_oversized_messages) {
  ::testing::internal::CaptureStderr();
  detail::diag(diag_level::error, "config", std::string(100'000, 'x'));
  detail::diag(diag_level::error, "config", std::string(100'000, '\x01'));
  std::string out = ::testing::internal::GetCapturedStderr();
  auto nl = out.find('\n');
  ASSERT_NE(nl, std::string::npos);
  std::string first = out.substr(0, nl + 1);
  std::string second = out.substr(nl + 1);
  EXPECT_LE(first.size(), 2048u);
  EXPECT_TRUE(first.ends_with("xxx...\n")) << first.substr(first.size() - 20);
  EXPECT_LE(second.size(), 2048u);
  EXPECT_TRUE(second.ends_with("\\x01...\n"));
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
}

TEST_F(diagnostics, level_filter_in_code) {
  capture();
  set_diagnostic_level(diag_level::error);
  EXPECT_EQ(diagnostic_level(), diag_level::error);
  detail::diag(diag_level::warning, "c", "dropped");
  detail::diag(diag_level::error, "c", "kept");
  set_diagnostic_level(diag_level::none);
  detail::diag(diag_level::error, "c", "dropped too");
  auto m = messages();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].text, "kept");
  EXPECT_EQ(m[0].level, diag_level::error);
  EXPECT_EQ(m[0].component, "c");
}

TEST_F(diagnostics, a_message_at_level_none_is_never_reported) {
  capture();
  set_diagnostic_level(diag_level::debug);
  detail::diag(diag_level::none, "c", "never");
  EXPECT_TRUE(messages().empty());
}

TEST_F(diagnostics, default_level_is_info) {
  capture();
  EXPECT_EQ(diagnostic_level(), diag_level::info);
  detail::diag(diag_level::debug, "c", "dropped");
  detail::diag(diag_level::info, "c", "kept");
  ASSERT_EQ(messages().size(), 1u);
}

TEST_F(diagnostics, otel_log_level_values_case_insensitive) {
  const std::pair<const char*, diag_level> cases[] = {
      {"debug", diag_level::debug}, {"INFO", diag_level::info}, {"Warn", diag_level::warning},
      {"error", diag_level::error}, {"NONE", diag_level::none},
  };
  for (auto [text, level] : cases) {
    test::scoped_env env("OTEL_LOG_LEVEL", text);
    detail::reset_diagnostics_for_testing(&fake_now);
    EXPECT_EQ(diagnostic_level(), level) << text;
  }
}

TEST_F(diagnostics, otel_log_level_empty_means_unset) {
  test::scoped_env env("OTEL_LOG_LEVEL", "");
  detail::reset_diagnostics_for_testing(&fake_now);
  capture();
  EXPECT_EQ(diagnostic_level(), diag_level::info);
  EXPECT_TRUE(messages().empty());
}

TEST_F(diagnostics, invalid_otel_log_level_means_info_and_is_reported_once) {
  for (const char* bad : {"verbose", "warning2", "\xff\x01", "3"}) {
    test::scoped_env env("OTEL_LOG_LEVEL", bad);
    detail::reset_diagnostics_for_testing(&fake_now);
    messages_.clear();
    capture();
    EXPECT_EQ(diagnostic_level(), diag_level::info) << bad;
    detail::diag(diag_level::info, "c", "after");
    EXPECT_EQ(diagnostic_level(), diag_level::info);
    auto m = messages();
    ASSERT_EQ(m.size(), 2u) << bad;
    EXPECT_EQ(m[0].level, diag_level::warning);
    EXPECT_EQ(m[0].component, "config");
    EXPECT_THAT(m[0].text, HasSubstr("OTEL_LOG_LEVEL"));
    EXPECT_THAT(m[0].text, HasSubstr("using info"));
    EXPECT_EQ(m[1].text, "after");
  }
}

TEST_F(diagnostics, level_set_in_code_wins_over_otel_log_level) {
  test::scoped_env env("OTEL_LOG_LEVEL", "debug");
  detail::reset_diagnostics_for_testing(&fake_now);
  set_diagnostic_level(diag_level::error);
  EXPECT_EQ(diagnostic_level(), diag_level::error);
}

TEST_F(diagnostics, rate_limit_ten_per_component_per_window_then_a_suppressed_line) {
  capture();
  for (int i = 0; i < 25; ++i) detail::diag(diag_level::warning, "exporter", std::to_string(i));
  detail::diag(diag_level::error, "exporter", "worst");
  EXPECT_EQ(messages().size(), 10u);

  advance(std::chrono::seconds(9));
  detail::diag(diag_level::warning, "exporter", "still in the window");
  EXPECT_EQ(messages().size(), 10u);

  advance(std::chrono::seconds(1));  // the window (10 s) has rolled over
  detail::diag(diag_level::warning, "exporter", "new window");
  auto m = messages();
  ASSERT_EQ(m.size(), 12u);
  EXPECT_EQ(m[9].text, "9");
  EXPECT_EQ(m[10].component, "exporter");
  EXPECT_THAT(m[10].text, HasSubstr("17 messages suppressed"));
  EXPECT_EQ(m[10].level, diag_level::error);  // the worst of the suppressed
  EXPECT_EQ(m[11].text, "new window");
}

TEST_F(diagnostics, the_stderr_handler_reports_suppressed_messages_at_exit) {
  EXPECT_EXIT(
      {
        for (int i = 0; i < 15; ++i) detail::diag(diag_level::warning, "config", "problem");
        std::exit(0);
      },
      ::testing::ExitedWithCode(0), "agtel: warn: config: 5 messages suppressed");
}

TEST_F(diagnostics, rate_limit_is_per_component) {
  capture();
  for (int i = 0; i < 15; ++i) detail::diag(diag_level::warning, "a", "x");
  for (int i = 0; i < 15; ++i) detail::diag(diag_level::warning, "b", "y");
  EXPECT_EQ(messages().size(), 20u);
}

TEST_F(diagnostics, no_suppressed_line_when_nothing_was_suppressed) {
  capture();
  for (int i = 0; i < 10; ++i) detail::diag(diag_level::warning, "a", "x");
  advance(std::chrono::seconds(11));
  detail::diag(diag_level::warning, "a", "next");
  auto m = messages();
  ASSERT_EQ(m.size(), 11u);
  EXPECT_EQ(m[10].text, "next");
}

TEST_F(diagnostics, filtered_messages_do_not_count_against_the_limit) {
  capture();
  for (int i = 0; i < 50; ++i) detail::diag(diag_level::debug, "a", "filtered");
  for (int i = 0; i < 10; ++i) detail::diag(diag_level::warning, "a", "kept");
  EXPECT_EQ(messages().size(), 10u);
}

TEST_F(diagnostics, many_components_are_bounded_but_each_is_reported) {
  capture();
  for (int i = 0; i < 500; ++i) detail::diag(diag_level::warning, "c" + std::to_string(i), "m");
  EXPECT_EQ(messages().size(), 500u);
}

TEST_F(diagnostics, a_throwing_handler_is_contained) {
  int calls = 0;
  set_diagnostic_handler([&](diag_level, std::string_view, std::string_view) {
    ++calls;
    throw std::runtime_error("handler bug");
  });
  EXPECT_NO_THROW(detail::diag(diag_level::error, "c", "one"));
  EXPECT_NO_THROW(detail::diag(diag_level::error, "c", "two"));
  EXPECT_EQ(calls, 2);
}

TEST_F(diagnostics, a_handler_reporting_a_diagnostic_does_not_recurse_or_deadlock) {
  int calls = 0;
  set_diagnostic_handler([&](diag_level, std::string_view, std::string_view) {
    ++calls;
    detail::diag(diag_level::error, "inner", "from the handler");
  });
  detail::diag(diag_level::error, "outer", "x");
  EXPECT_EQ(calls, 1);
}

TEST_F(diagnostics, a_handler_may_replace_itself) {
  std::vector<std::string> second;
  int first_calls = 0;
  set_diagnostic_handler([&](diag_level, std::string_view, std::string_view) {
    ++first_calls;
    set_diagnostic_handler(
        [&](diag_level, std::string_view, std::string_view m) { second.emplace_back(m); });
  });
  detail::diag(diag_level::error, "c", "one");
  detail::diag(diag_level::error, "c", "two");
  EXPECT_EQ(first_calls, 1);
  EXPECT_EQ(second, std::vector<std::string>{"two"});
}

TEST_F(diagnostics, nullptr_restores_the_stderr_handler) {
  capture();
  set_diagnostic_handler(nullptr);
  ::testing::internal::CaptureStderr();
  detail::diag(diag_level::error, "c", "to stderr");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "agtel: error: c: to stderr\n");
  EXPECT_TRUE(messages().empty());
}

TEST_F(diagnostics, concurrent_reports_reach_the_handler_one_at_a_time) {
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::atomic<int> calls{0};
  set_diagnostic_handler([&](diag_level, std::string_view, std::string_view) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    calls.fetch_add(1);
    std::this_thread::yield();
    inside.fetch_sub(1);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i)
        detail::diag(diag_level::warning, "thread" + std::to_string(t), "m");
    });
  for (auto& th : threads) th.join();
  EXPECT_FALSE(overlapped.load());
  EXPECT_EQ(calls.load(), 8 * 10);  // ten per component, the rest suppressed
}

TEST_F(diagnostics, a_child_forked_while_a_handler_runs_can_still_report) {
  std::atomic<bool> in_slow{false};
  set_diagnostic_handler([&](diag_level, std::string_view, std::string_view m) {
    if (m == "slow") {
      in_slow = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  std::thread slow([] { detail::diag(diag_level::error, "c", "slow"); });
  while (!in_slow) std::this_thread::yield();
  pid_t pid = fork();  // another thread is inside the handler, holding the lock
  if (pid == 0) {
    detail::diag(diag_level::error, "c", "from the child");
    set_diagnostic_handler(nullptr);
    _exit(0);
  }
  slow.join();
  ASSERT_GT(pid, 0);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 500 && done == 0; ++i) {
    done = waitpid(pid, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "the child deadlocked in diag";
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(diagnostics_names, level_names_match_otel_log_level) {
  EXPECT_EQ(to_string(diag_level::debug), "debug");
  EXPECT_EQ(to_string(diag_level::info), "info");
  EXPECT_EQ(to_string(diag_level::warning), "warn");
  EXPECT_EQ(to_string(diag_level::error), "error");
  EXPECT_EQ(to_string(diag_level::none), "none");
}

}  // namespace
}  // namespace agtel
