// OTLP/HTTP (http/protobuf and http/json) over libcurl.
//
// libcurl rather than cpp-httplib's client (which the project already links for the
// /metrics endpoint) because an export must be bounded as a whole: CURLOPT_TIMEOUT_MS
// covers name resolution, connect, TLS, upload and download together, where httplib has
// only per-read/per-write timeouts (a server that trickles a byte a second would hold the
// export thread for ever). libcurl also gives the TLS options OTLP configures (CA file,
// client certificate and key), access to response headers (Retry-After), and keeps the
// connection alive between requests inside one easy handle.
//
// One transport (one easy handle, one connection) per exporter; the exporter calls send
// from one thread at a time, which is all an easy handle allows.
#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <string>

#include "agtel/diagnostics.hpp"
#include "agtel/version.hpp"
#include "export/otlp/gzip.hpp"
#include "export/otlp/retry_policy.hpp"
#include "export/otlp/transport.hpp"

namespace agtel::exporter::otlp_detail {

namespace {

constexpr std::string_view component = "otlp_http";
// OTLP responses are a few bytes (an empty or partial-success message, or a Status);
// a larger body is cut here so that a hostile server cannot grow the exporter's memory.
constexpr size_t max_response_bytes = 64 * 1024;

// curl_global_init is not thread-safe before libcurl 7.84 and must run before any other
// call; once per process, and never cleaned up (other code in the process may use curl).
bool init_curl_once() noexcept {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  return ok;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The body of an error answer for a diagnostic: printable ASCII only (a protobuf Status
// is binary), at most 200 characters.
std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body) {
    if (out.size() >= 200) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  return out;
}

bool retryable_status(long status) noexcept {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

// Failures before an answer arrived that a later attempt may not meet: the collector is
// restarting, a load balancer dropped the connection, DNS is flapping.
bool retryable_error(CURLcode rc) noexcept {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;  // TLS verification, malformed URL, out of memory...: retrying won't help
  }
}

class http_transport final : public transport {
 public:
  http_transport(CURL* curl, curl_slist* headers, bool gzip)
      : curl_(curl), headers_(headers), gzip_enabled_(gzip) {
    retry_after_.reserve(64);  // on_header then never allocates
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &http_transport::on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &http_transport::on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  }
  ~http_transport() override {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }

  send_outcome send(std::string_view body, steady_time deadline) noexcept override {
    send_outcome out;
    try {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        out.result = send_outcome::kind::timeout;
        out.error = "deadline passed before the request was sent";
        return out;
      }
      std::string_view payload = body;
      if (gzip_enabled_) {
        if (!gzip_.compress(body, compressed_)) {
          out.error = "gzip compression failed";
          return out;
        }
        payload = compressed_;
      }
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, payload.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
      curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
      response_.clear();
      retry_after_.clear();
      error_[0] = '\0';

      const CURLcode rc = curl_easy_perform(curl_);
      if (rc != CURLE_OK) {
        out.result = rc == CURLE_OPERATION_TIMEDOUT ? send_outcome::kind::timeout
                     : retryable_error(rc)          ? send_outcome::kind::retryable
                                                    : send_outcome::kind::permanent;
        out.error = error_[0] ? std::string(error_) : std::string(curl_easy_strerror(rc));
        // Bytes that left before a reset or a timeout still count: they used the network.
        curl_off_t uploaded = 0;
        if (curl_easy_getinfo(curl_, CURLINFO_SIZE_UPLOAD_T, &uploaded) == CURLE_OK)
          out.bytes_sent = static_cast<uint64_t>(uploaded);
        return out;
      }
      long status = 0;
      curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
      out.status = static_cast<int>(status);
      out.bytes_sent = payload.size();
      out.response = std::move(response_);
      response_ = std::string();
      if (status >= 200 && status < 300) {
        out.result = send_outcome::kind::success;
        return out;
      }
      out.result =
          retryable_status(status) ? send_outcome::kind::retryable : send_outcome::kind::permanent;
      if (!retry_after_.empty())
        out.retry_after = parse_retry_after(retry_after_, std::time(nullptr));
      out.error = "HTTP " + std::to_string(status);
      if (!out.response.empty()) out.error += ": " + excerpt(out.response);
    } catch (...) {  // std::bad_alloc while building the outcome
      out.result = send_outcome::kind::permanent;
      out.error = "out of memory";
    }
    return out;
  }

 private:
  static size_t on_body(char* data, size_t size, size_t n, void* self) noexcept {
    auto* t = static_cast<http_transport*>(self);
    const size_t bytes = size * n;
    const size_t keep =
        std::min(bytes, max_response_bytes - std::min(max_response_bytes, t->response_.size()));
    try {
      t->response_.append(data, keep);
    } catch (...) {
      return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
    }
    return bytes;  // the rest is read and dropped, so the connection stays usable
  }

  static size_t on_header(char* data, size_t size, size_t n, void* self) noexcept {
    auto* t = static_cast<http_transport*>(self);
    const std::string_view line(data, size * n);
    if (line.starts_with("HTTP/")) {
      t->retry_after_.clear();  // a new response (after a 100 Continue, say)
    } else if (const size_t colon = line.find(':');
               colon != std::string_view::npos && iequals(line.substr(0, colon), "retry-after")) {
      const std::string_view value = line.substr(colon + 1, 64);
      t->retry_after_.assign(value.data(), value.size());  // fits the reserved 64
    }
    return size * n;
  }

  CURL* curl_;
  curl_slist* headers_;
  bool gzip_enabled_;
  gzip_compressor gzip_;
  std::string compressed_;  // the gzip body, reused
  std::string response_;
  std::string retry_after_;
  char error_[CURL_ERROR_SIZE];
};

// The endpoint's scheme when it is a usable http(s) URL with a host; "" otherwise.
std::string url_scheme(const std::string& url) {
  CURLU* u = curl_url();
  if (!u) return {};
  std::string scheme;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* s = nullptr;
    char* host = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host[0] != '\0')
      scheme = s;
    curl_free(s);
    curl_free(host);
  }
  curl_url_cleanup(u);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

bool readable(const std::string& path) {
  return ::access(path.c_str(), R_OK) == 0;
}

}  // namespace

std::unique_ptr<transport> make_http_transport(const otlp_exporter_options& options,
                                               otlp::signal signal) {
  (void)signal;  // the endpoint already names the signal's path
  auto fail = [](const std::string& why) {
    agtel::detail::diag(diag_level::error, component, why);
    return std::unique_ptr<transport>();
  };
  if (!init_curl_once()) return fail("libcurl failed to initialise");

  const std::string scheme = url_scheme(options.endpoint);
  if (scheme != "http" && scheme != "https")
    return fail("endpoint \"" + options.endpoint +
                "\" is not an http:// or https:// URL with a host; the exporter is disabled");
  const bool tls = scheme == "https";
  for (const std::string* file :
       {&options.certificate_file, &options.client_certificate_file, &options.client_key_file})
    if (tls && !file->empty() && !readable(*file))
      return fail("cannot read TLS file \"" + *file + "\"; the exporter is disabled");

  CURL* curl = curl_easy_init();
  if (!curl) return fail("curl_easy_init failed");
  curl_slist* headers = nullptr;
  auto add = [&headers](const std::string& line) {
    if (curl_slist* h = curl_slist_append(headers, line.c_str())) headers = h;
  };
  add(options.protocol == otlp_protocol::http_json ? "Content-Type: application/json"
                                                   : "Content-Type: application/x-protobuf");
  if (options.gzip) add("Content-Encoding: gzip");
  add("Expect:");  // no 100-continue round trip before large bodies
  for (const auto& [name, value] : options.headers) {
    const bool bad_name = name.empty() || name.find_first_of(":\r\n \t") != std::string::npos;
    const bool bad_value = value.find_first_of("\r\n") != std::string::npos;
    const bool ours = iequals(name, "content-type") || iequals(name, "content-encoding") ||
                      iequals(name, "content-length");
    if (bad_name || bad_value || ours) {
      agtel::detail::diag(diag_level::warning, component,
                          "header \"" + excerpt(name) + "\" ignored: " +
                              (ours ? "the exporter sets it" : "not a valid HTTP header"));
      continue;
    }
    add(name + ": " + value);
  }

  curl_easy_setopt(curl, CURLOPT_URL, options.endpoint.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "agtel-otlp/" AGTEL_VERSION);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are a library
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  if (tls) {
    if (!options.certificate_file.empty())
      curl_easy_setopt(curl, CURLOPT_CAINFO, options.certificate_file.c_str());
    if (!options.client_certificate_file.empty())
      curl_easy_setopt(curl, CURLOPT_SSLCERT, options.client_certificate_file.c_str());
    if (!options.client_key_file.empty())
      curl_easy_setopt(curl, CURLOPT_SSLKEY, options.client_key_file.c_str());
  }
  try {
    return std::make_unique<http_transport>(curl, headers, options.gzip);
  } catch (...) {
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers);
    return fail("out of memory");
  }
}

}  // namespace agtel::exporter::otlp_detail
