// A Node.js receiver for the real-peer tests: `node <script> <dir>`, run in a fresh
// temporary directory, where the script writes `port` once it listens and `requests.jsonl`
// (one JSON line per request, written before it answers); its stdout and stderr go to
// <dir>/sink.log. Startup is bounded (30 s: node loads its packages first); the destructor
// stops it (SIGTERM, then SIGKILL after 2 s) and removes the directory.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace agtel::test {

class node_sink {
 public:
  node_sink(const std::string& node, const std::string& script) {
    namespace fs = std::filesystem;
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("agtel-node-sink-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const std::string out = dir_.string(), log = (dir_ / "sink.log").string();
    std::vector<char*> args = {const_cast<char*>(node.c_str()), const_cast<char*>(script.c_str()),
                               const_cast<char*>(out.c_str()), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (pid_ > 0 && std::chrono::steady_clock::now() < give_up) {
      std::ifstream port_file(dir_ / "port");
      if (port_file >> port_) break;
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~node_sink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int i = 0;
      while (::waitpid(pid_, nullptr, WNOHANG) != pid_ && ++i < 100)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (i == 100) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
      }
    }
    std::filesystem::remove_all(dir_);
  }
  node_sink(const node_sink&) = delete;
  node_sink& operator=(const node_sink&) = delete;

  bool running() const { return port_ > 0; }
  // http://127.0.0.1:<port><path>
  std::string url(std::string_view path = {}) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  std::string log() const {
    std::ifstream in(dir_ / "sink.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // Every request the sink saw, in order.
  std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir_ / "requests.jsonl");
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace agtel::test
