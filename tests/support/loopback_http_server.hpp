// A loopback HTTP/1.1 server on raw sockets whose answers a test scripts, including the
// misbehaviour no HTTP library produces on purpose: a connection reset in the middle of
// the request body, an answer that never comes. Used by the OTLP fault tests and the
// export benchmark (a sink with almost no CPU cost of its own).
//
// One thread serves one connection at a time, keep-alive, requests in order (an OTLP
// exporter holds one connection). Binds 127.0.0.1 on a free port; the destructor stops
// and joins within a few milliseconds, whatever a handler asked for.
// Header only, so that bench/ can use it without a library of its own.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace agtel::test {

struct http_request {
  std::string method, path;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;  // as received (still gzip when Content-Encoding says so)

  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (n == name) return v;
    return {};
  }
};

struct http_reply {
  enum class action {
    respond,  // send status, headers and body
    reset,    // read half of the body, then close with RST (SO_LINGER 0)
    stall,    // read the request, answer nothing until the client gives up (or stop)
  };
  action what = action::respond;
  int status = 200;
  std::string headers;  // extra lines, each ending in "\r\n"
  std::string body;
};

class loopback_http_server {
 public:
  // `decide` sees each request's head (method, path, headers; no body yet: a reset
  // happens mid-body) and scripts the answer. `received`, if set, sees each complete
  // request (body included) that is answered or stalled. Both run on the server thread.
  using handler = std::function<http_reply(const http_request&)>;
  using observer = std::function<void(const http_request&)>;

  explicit loopback_http_server(handler decide, observer received = {})
      : handler_(std::move(decide)), received_(std::move(received)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("loopback_http_server: cannot listen");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~loopback_http_server() {
    stop_.store(true);
    thread_.join();
    ::close(listen_fd_);
  }
  loopback_http_server(const loopback_http_server&) = delete;
  loopback_http_server& operator=(const loopback_http_server&) = delete;

  int port() const { return port_; }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  uint64_t requests() const { return requests_.load(); }
  uint64_t connections() const { return connections_.load(); }

  // A port on which nothing listens (bound, then closed): connections are refused.
  static int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

 private:
  // Waits for `fd` to be readable; false when stopping (checked every 10 ms).
  bool wait_readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stop_.load()) {
      int rc = ::poll(&p, 1, 10);
      if (rc > 0) return true;
      if (rc < 0 && errno != EINTR) return false;
    }
    return false;
  }

  // Reads more into buf; false on EOF, error or stop.
  bool read_some(int fd, std::string& buf) {
    if (!wait_readable(fd)) return false;
    char chunk[65536];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
    return true;
  }

  static bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void run() {
    while (!stop_.load()) {
      if (!wait_readable(listen_fd_)) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      connections_.fetch_add(1);
      serve(fd);
    }
  }

  void serve(int fd) {
    std::string buf;
    for (;;) {
      size_t head_end;
      while ((head_end = buf.find("\r\n\r\n")) == std::string::npos)
        if (!read_some(fd, buf)) return close_fd(fd);
      http_request req;
      std::string_view head(buf.data(), head_end);
      size_t line_end = head.find("\r\n");
      std::string_view first = head.substr(0, line_end);
      size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
      req.method = std::string(first.substr(0, sp1));
      req.path = std::string(first.substr(sp1 + 1, sp2 - sp1 - 1));
      size_t content_length = 0;
      while (line_end != std::string_view::npos) {
        size_t next = head.find("\r\n", line_end + 2);
        std::string_view line =
            head.substr(line_end + 2, next == std::string_view::npos ? std::string_view::npos
                                                                     : next - line_end - 2);
        line_end = next;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string name(line.substr(0, colon));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        if (name == "content-length")
          content_length = std::strtoull(std::string(value).c_str(), nullptr, 10);
        req.headers.emplace_back(std::move(name), std::string(value));
      }
      buf.erase(0, head_end + 4);
      http_reply reply = handler_(req);  // from the head: the body is read below
      if (reply.what == http_reply::action::reset) {
        while (buf.size() < content_length / 2)
          if (!read_some(fd, buf)) return close_fd(fd);
        requests_.fetch_add(1);
        linger l{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        return close_fd(fd);  // RST, with the rest of the body unread
      }
      while (buf.size() < content_length)
        if (!read_some(fd, buf)) return close_fd(fd);
      req.body = buf.substr(0, content_length);
      buf.erase(0, content_length);
      requests_.fetch_add(1);
      if (received_) received_(req);
      if (reply.what == http_reply::action::stall) {
        // Hold the connection until the client closes it (its timeout) or we stop.
        std::string ignored;
        while (read_some(fd, ignored)) {
        }
        return close_fd(fd);
      }
      std::string out = "HTTP/1.1 " + std::to_string(reply.status) +
                        " Scripted\r\nContent-Length: " + std::to_string(reply.body.size()) +
                        "\r\n" + reply.headers + "\r\n" + reply.body;
      if (!write_all(fd, out)) return close_fd(fd);
    }
  }

  static void close_fd(int fd) { ::close(fd); }

  handler handler_;
  observer received_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> requests_{0}, connections_{0};
  std::thread thread_;
};

}  // namespace agtel::test
