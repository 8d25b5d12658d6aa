// OTLP/gRPC: one unary call of .../{Trace,Metrics,Logs}Service/Export per send, through
// gRPC's generic stub with the bytes our hand-written encoder produced (no generated
// service code, no message objects).
//
// One channel per transport (per exporter). gRPC's own retries are off: the exporter
// decides about retries (retry_policy) and counts every attempt. The call is made with
// the callback API and the caller waits for its completion, so the ClientContext and the
// buffers never outlive send(): gRPC ends the call itself at the deadline, and a TryCancel
// shortly after is the backstop. (Handing the call's state to the callback instead would
// let gRPC's callback thread drop the last channel reference, which joins that very thread.)
#include <grpc/compression.h>
#include <grpc/support/time.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/version.hpp"
#include "export/otlp/grpc_status.hpp"
#include "export/otlp/transport.hpp"

namespace agtel::exporter::otlp_detail {

namespace {

constexpr std::string_view component = "otlp_grpc_exporter";

// Export responses are small (a partial success at most); a larger one is refused by
// gRPC (RESOURCE_EXHAUSTED, permanent) instead of being buffered.
constexpr int max_response_bytes = 1 << 20;
// After a connection failure gRPC waits before reconnecting (1 s, growing); calls in that
// window fail at once with UNAVAILABLE. Capping the wait at 5 s lets an exporter pick up a
// restarted collector within one retry instead of two minutes (gRPC's default cap).
constexpr int max_reconnect_backoff_ms = 5000;
// How long after the deadline we wait for gRPC to end the call before cancelling it.
constexpr auto cancel_grace = std::chrono::milliseconds(100);
// After TryCancel gRPC completes the call promptly; this bound only guards against a
// gRPC that does not (the state is then leaked rather than freed under its feet).
constexpr auto cancel_wait = std::chrono::seconds(5);

std::string_view method_for(otlp::signal signal) {
  switch (signal) {
    case otlp::signal::traces:
      return "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    case otlp::signal::metrics:
      return "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    case otlp::signal::logs:
      return "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
  }
  return {};
}

void report(diag_level level, std::string_view message) noexcept {
  agtel::detail::diag(level, component, message);
}

// Where to connect and whether with TLS.
struct target {
  std::string authority;  // host:port, as gRPC's dns resolver takes it
  bool tls = false;
};

// "http://host:port" (plaintext), "https://host:port" (TLS), or "host:port" (TLS unless
// `insecure`, as OTEL_EXPORTER_OTLP_INSECURE says: it applies only to an endpoint without
// a scheme). A path is ignored (gRPC addresses the method itself); a missing port is the
// OTLP/gRPC default, 4317. Empty: http://localhost:4317, the spec's default.
// Returns an empty authority, with `error` set, when the endpoint cannot be used.
target parse_endpoint(std::string_view endpoint, bool insecure, std::string& error) {
  target t;
  if (endpoint.empty()) endpoint = "http://localhost:4317";
  std::string_view rest = endpoint;
  if (const size_t scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    std::string scheme(rest.substr(0, scheme_end));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme == "https") {
      t.tls = true;
    } else if (scheme != "http") {
      error = "endpoint '" + std::string(endpoint) + "': the scheme must be http or https";
      return t;
    }
    rest.remove_prefix(scheme_end + 3);
  } else {
    t.tls = !insecure;
  }
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.empty() || rest.front() == ':') {
    error = "endpoint '" + std::string(endpoint) + "': no host";
    return t;
  }
  // A port follows the last ':' unless that colon is inside an IPv6 literal "[...]".
  const size_t colon = rest.rfind(':');
  const size_t bracket = rest.rfind(']');
  const bool has_port =
      colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  t.authority = std::string(rest);
  if (!has_port) t.authority += ":4317";
  return t;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return false;
  out = std::move(text).str();
  return true;
}

// gRPC aborts the process on metadata it considers invalid, so every header is checked
// here, once, against its rules: a key of [0-9a-z_.-] (keys are lower-cased first, HTTP/2
// requires it), not reserved by gRPC or HTTP/2; an ASCII-printable value unless the key
// ends in "-bin" (binary metadata).
bool valid_metadata(const std::string& key, std::string_view value) {
  if (key.empty()) return false;
  for (const char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  if (key.starts_with("grpc-") || key == "content-type" || key == "te" || key == "host" ||
      key == "user-agent" || key == "content-length" || key == "connection") {
    return false;
  }
  if (key.ends_with("-bin")) return true;
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// What the completion callback leaves for the waiting sender.
struct call_state {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
};

class grpc_transport final : public transport {
 public:
  grpc_transport(std::shared_ptr<grpc::Channel> channel, std::string method,
                 std::vector<std::pair<std::string, std::string>> metadata, bool gzip)
      : channel_(std::move(channel)),
        stub_(channel_),
        method_(std::move(method)),
        metadata_(std::move(metadata)),
        gzip_(gzip) {}

  send_outcome send(std::string_view body, steady_time deadline) noexcept override {
    try {
      return send_once(body, deadline);
    } catch (const std::exception& e) {  // bad_alloc, in practice
      send_outcome out;
      out.result = send_outcome::kind::retryable;
      out.error = std::string("gRPC: ") + e.what();
      return out;
    } catch (...) {
      send_outcome out;
      out.result = send_outcome::kind::retryable;
      return out;
    }
  }

 private:
  send_outcome send_once(std::string_view body, steady_time deadline) {
    const auto start = std::chrono::steady_clock::now();
    if (deadline <= start) {
      send_outcome out;
      out.result = send_outcome::kind::timeout;
      out.error = "gRPC: the deadline passed before the call";
      return out;
    }
    auto state = std::make_unique<call_state>();
    // The deadline on gRPC's monotonic clock: the same span from now as ours.
    const auto remaining = std::chrono::duration_cast<std::chrono::microseconds>(deadline - start);
    state->context.set_deadline(gpr_time_add(
        gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_micros(remaining.count(), GPR_TIMESPAN)));
    for (const auto& [key, value] : metadata_) state->context.AddMetadata(key, value);
    if (gzip_) state->context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    grpc::Slice slice(body.data(), body.size());  // copies: the call owns its bytes
    state->request = grpc::ByteBuffer(&slice, 1);

    call_state* s = state.get();
    stub_.UnaryCall(&s->context, method_, grpc::StubOptions(), &s->request, &s->response,
                    [s](grpc::Status status) {
                      // Notify under the lock: once the sender sees `done` it may free `s`.
                      std::lock_guard lock(s->mutex);
                      s->status = std::move(status);
                      s->done = true;
                      s->cv.notify_all();
                    });

    const steady_time give_up =
        deadline < steady_time::max() - cancel_grace ? deadline + cancel_grace : steady_time::max();
    std::unique_lock lock(s->mutex);
    if (!s->cv.wait_until(lock, give_up, [s] { return s->done; })) {
      s->context.TryCancel();
      if (!s->cv.wait_for(lock, cancel_wait, [s] { return s->done; })) {
        // gRPC did not complete a cancelled call: leave it its state rather than free
        // memory it may still write. Never seen; reported so that it would be.
        lock.unlock();
        (void)state.release();
        report(diag_level::error, "a cancelled gRPC call did not complete; its state is leaked");
        send_outcome out;
        out.result = send_outcome::kind::timeout;
        out.status = 4;
        out.bytes_sent = body.size();
        out.error = "gRPC: no answer by the deadline";
        return out;
      }
    }
    const bool deadline_passed =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(10) >= deadline;
    send_outcome out = outcome_from_grpc_status(static_cast<int>(s->status.error_code()),
                                                s->status.error_message(),
                                                s->status.error_details(), deadline_passed);
    // gRPC compresses inside the library and does not tell the compressed size: the
    // stats count the message as handed to it (with gzip, an upper bound of the wire bytes).
    out.bytes_sent = body.size();
    if (out.result == send_outcome::kind::success) {
      std::vector<grpc::Slice> slices;
      if (s->response.Dump(&slices).ok()) {
        for (const auto& piece : slices) {
          out.response.append(reinterpret_cast<const char*>(piece.begin()), piece.size());
        }
      }
    }
    return out;
  }

  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  std::string method_;
  std::vector<std::pair<std::string, std::string>> metadata_;
  bool gzip_;
};

std::unique_ptr<transport> make(const otlp_exporter_options& options, otlp::signal signal) {
  std::string error;
  const target where = parse_endpoint(options.endpoint, options.insecure, error);
  if (where.authority.empty()) {
    report(diag_level::error, error);
    return nullptr;
  }

  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (where.tls) {
    grpc::SslCredentialsOptions tls;
    if (!options.certificate_file.empty() &&
        !read_file(options.certificate_file, tls.pem_root_certs)) {
      report(diag_level::error,
             "cannot read the certificate file '" + options.certificate_file + "'");
      return nullptr;
    }
    if (options.client_key_file.empty() != options.client_certificate_file.empty()) {
      report(diag_level::error,
             "mTLS needs both a client key file and a client certificate file; one is missing");
      return nullptr;
    }
    if (!options.client_key_file.empty()) {
      if (!read_file(options.client_key_file, tls.pem_private_key)) {
        report(diag_level::error,
               "cannot read the client key file '" + options.client_key_file + "'");
        return nullptr;
      }
      if (!read_file(options.client_certificate_file, tls.pem_cert_chain)) {
        report(diag_level::error,
               "cannot read the client certificate file '" + options.client_certificate_file + "'");
        return nullptr;
      }
    }
    credentials = grpc::SslCredentials(tls);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }

  std::vector<std::pair<std::string, std::string>> metadata;
  for (const auto& [name, value] : options.headers) {
    std::string key = name;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!valid_metadata(key, value)) {
      report(diag_level::warning, "header '" + name +
                                      "' is not valid gRPC metadata (key [0-9a-z_.-], not "
                                      "reserved; printable value); it is not sent");
      continue;
    }
    metadata.emplace_back(std::move(key), value);
  }

  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(max_response_bytes);
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, max_reconnect_backoff_ms);
  // The spec asks exporters to name themselves in User-Agent (gRPC appends its own).
  args.SetUserAgentPrefix(std::string("OTel-OTLP-Exporter-Cpp-agtel/") + AGTEL_VERSION);
  auto channel = grpc::CreateCustomChannel(where.authority, credentials, args);
  if (!channel) {
    report(diag_level::error, "cannot create a gRPC channel to '" + where.authority + "'");
    return nullptr;
  }
  return std::make_unique<grpc_transport>(std::move(channel), std::string(method_for(signal)),
                                          std::move(metadata), options.gzip);
}

}  // namespace

std::unique_ptr<transport> make_grpc_transport(const otlp_exporter_options& options,
                                               otlp::signal signal) {
  try {
    return make(options, signal);
  } catch (...) {
    report(diag_level::error, "cannot create the gRPC transport (out of memory)");
    return nullptr;
  }
}

}  // namespace agtel::exporter::otlp_detail
