// The processes of the real-Prometheus tests (prometheus_peer_test.cpp and
// prometheus_agreement_test.cpp): a free loopback port, a temporary directory, a child
// process that is always stopped, and a live Prometheus (AGTEL_PROMETHEUS, 2.42) on
// loopback that scrapes given targets every second and answers its HTTP API.
//
// Children run with this process's environment minus every OTEL_* variable (plus what the
// caller adds), so that the test's own telemetry settings never leak into them; stdout and
// stderr go to a log file, stdin is /dev/null.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace agtel::test {

// A loopback TCP port that was free a moment ago.
inline uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// A fresh directory `<prefix>-XXXXXX` in the system's temp directory, removed with all it
// holds on destruction.
struct temp_dir {
  std::filesystem::path path;
  explicit temp_dir(std::string_view prefix = "agtel-prom") {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    path = ::mkdtemp(tmpl.data());
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Calls `done()` every `poll` until it is true or the deadline has passed; true when done.
inline bool wait_until(std::chrono::steady_clock::time_point deadline,
                       const std::function<bool()>& done,
                       std::chrono::milliseconds poll = std::chrono::milliseconds(100)) {
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(poll);
  }
  return done();
}

// This process's environment without any OTEL_* variable, plus `extra`.
inline std::vector<std::string> child_env(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).substr(0, 5) != "OTEL_") env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// A child process with stdout and stderr in `log`; killed (TERM, then KILL after 5 s) on
// destruction unless it has exited.
class child_process {
 public:
  child_process(const std::vector<std::string>& argv, const std::filesystem::path& log,
                const std::vector<std::string>& env = child_env({})) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args, envp;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~child_process() {
    if (pid_ <= 0 || exited_) return;
    ::kill(pid_, SIGTERM);
    if (wait_for(std::chrono::seconds(5))) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  bool running() {
    if (pid_ <= 0 || exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
    exited_ = true;
    status_ = status;
    return false;
  }
  // Waits for the exit; false when it still runs after `limit`.
  bool wait_for(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (running()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  bool exited_ok() const { return exited_ && WIFEXITED(status_) && WEXITSTATUS(status_) == 0; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

// What a prometheus_server scrapes and how it runs.
struct prometheus_options {
  struct job {
    std::string name;  // the `job` label
    uint16_t port;     // of 127.0.0.1, path /metrics
  };
  std::vector<job> jobs;
  std::vector<std::string> flags = {};  // more command-line flags, e.g. --enable-feature=…
  std::chrono::seconds read_timeout = std::chrono::seconds(10);  // of each API request
};

// A Prometheus on a free loopback port with its config, TSDB and log (prometheus.log) in
// `dir`, scraping every job each second; stopped on destruction.
class prometheus_server {
 public:
  prometheus_server(const std::filesystem::path& dir, const prometheus_options& options)
      : port_(free_port()), client_("127.0.0.1", port_) {
    std::ofstream cfg(dir / "prometheus.yml");
    cfg << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
        << "scrape_configs:\n";
    for (const auto& job : options.jobs)
      cfg << "  - job_name: " << job.name
          << "\n    static_configs:\n      - targets: ['127.0.0.1:" << job.port << "']\n";
    cfg.close();
    log_ = dir / "prometheus.log";
    std::vector<std::string> argv = {AGTEL_PROMETHEUS,
                                     "--config.file=" + (dir / "prometheus.yml").string(),
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                                     "--storage.tsdb.path=" + (dir / "data").string()};
    argv.insert(argv.end(), options.flags.begin(), options.flags.end());
    argv.push_back("--log.level=warn");
    process_.emplace(argv, log_);
    client_.set_connection_timeout(std::chrono::seconds(2));
    client_.set_read_timeout(options.read_timeout);
  }

  bool running() { return process_ && process_->running(); }
  std::string log() const { return read_file(log_); }
  bool ready() {
    auto r = client_.Get("/-/ready");
    return r && r->status == 200;
  }

  // GET `path` of the HTTP API with `params`: the answer's `data`, or null on any failure
  // (why in last_error()).
  nlohmann::json api(const std::string& path, const httplib::Params& params) {
    auto r = client_.Get(path, params, httplib::Headers{});
    if (!r) {
      last_error_ = "no answer";
      return nullptr;
    }
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    if (r->status != 200 || j.is_discarded() || j.value("status", "") != "success") {
      last_error_ = std::to_string(r->status) + " " + r->body;
      return nullptr;
    }
    return j["data"];
  }
  // /api/v1/query of `q` at unix second `at` (now if none): its `data`, or null.
  nlohmann::json query(const std::string& q, std::optional<int64_t> at = std::nullopt) {
    httplib::Params params{{"query", q}};
    if (at) params.emplace("time", std::to_string(*at));
    return api("/api/v1/query", params);
  }
  const std::string& last_error() const { return last_error_; }

 private:
  uint16_t port_;
  std::filesystem::path log_;
  std::optional<child_process> process_;
  httplib::Client client_;
  std::string last_error_;
};

}  // namespace agtel::test
