#include "server/otlp_grpc_receiver.hpp"

#include <grpc/grpc.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/byte_buffer.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/otlp_ingest.hpp"
#include "server/server_metrics.hpp"

namespace agtel::server {
namespace {

using clock = std::chrono::steady_clock;

std::optional<otlp::signal> signal_of_method(const std::string& method) {
  if (method == "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
    return otlp::signal::traces;
  if (method == "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export")
    return otlp::signal::metrics;
  if (method == "/opentelemetry.proto.collector.logs.v1.LogsService/Export")
    return otlp::signal::logs;
  return std::nullopt;
}

grpc::StatusCode grpc_code_of(ingest_outcome o) {
  switch (o) {
    case ingest_outcome::accepted:
      return grpc::StatusCode::OK;
    case ingest_outcome::bad_request:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case ingest_outcome::throttled:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case ingest_outcome::unavailable:
      return grpc::StatusCode::UNAVAILABLE;
  }
  return grpc::StatusCode::INTERNAL;
}

}  // namespace

struct otlp_grpc_receiver::impl {
  // One call from RequestCall to Finish; its address is the tag of every operation on it.
  // Operations on one call are sequential, so whichever thread gets its tag owns it.
  struct call {
    enum class state : uint8_t { requested, reading, finishing };
    state st = state::requested;
    otlp::signal s = otlp::signal::traces;
    grpc::GenericServerContext context;
    grpc::GenericServerAsyncReaderWriter stream{&context};
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
  };

  grpc_receiver_options options;
  store::writer& writer;
  std::unique_ptr<server_metrics> own_metrics;
  server_metrics* metrics;
  grpc::AsyncGenericService service;
  std::unique_ptr<grpc::ServerCompletionQueue> cq;
  std::unique_ptr<grpc::Server> server;
  std::vector<std::thread> threads;
  std::mutex cq_mutex;  // RequestCall vs. cq->Shutdown
  bool cq_closed = false;
  std::atomic<uint16_t> port{0};
  std::atomic<bool> started{false};

  impl(grpc_receiver_options o, store::writer& w, server_metrics* m)
      : options(std::move(o)),
        writer(w),
        own_metrics(m ? nullptr : std::make_unique<server_metrics>(w)),
        metrics(m ? m : own_metrics.get()) {}

  void request_call() {
    std::lock_guard lock(cq_mutex);
    if (cq_closed) return;
    auto* c = new call;  // owned by the completion queue until its last tag comes back
    service.RequestCall(&c->context, &c->stream, cq.get(), cq.get(), c);
  }

  bool authorized(const call& c) const {
    if (options.bearer_token.empty()) return true;
    const auto& md = c.context.client_metadata();
    const auto it = md.find("authorization");
    if (it == md.end()) return false;
    return bearer_authorized(std::string_view(it->second.data(), it->second.size()),
                             options.bearer_token);
  }

  void finish(call* c, const grpc::Status& status) {
    c->st = call::state::finishing;
    c->stream.Finish(status, c);
  }

  void run() {
    void* tag = nullptr;
    bool ok = false;
    while (cq->Next(&tag, &ok)) proceed(static_cast<call*>(tag), ok);
  }

  void proceed(call* c, bool ok) noexcept {
    try {
      proceed_checked(c, ok);
    } catch (const std::exception& ex) {  // std::bad_alloc while decoding or answering
      if (c->st == call::state::reading) {
        metrics->count_request(c->s, "unavailable");
        finish(c, grpc::Status(grpc::StatusCode::INTERNAL,
                               std::string("internal error: ") + ex.what()));
      }
    }
  }

  void proceed_checked(call* c, bool ok) {
    switch (c->st) {
      case call::state::requested: {
        if (!ok) {  // shutting down: the call never started
          delete c;
          return;
        }
        request_call();  // the next one
        const std::optional<otlp::signal> s = signal_of_method(c->context.method());
        if (!s) {
          return finish(c, grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                        "unknown method '" + c->context.method() +
                                            "': agtel serves the OTLP Export methods"));
        }
        c->s = *s;
        if (!authorized(*c)) {
          metrics->count_request(c->s, "unauthorized");
          return finish(c, grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                        "missing or wrong bearer token: send 'authorization: "
                                        "Bearer <token>' metadata with the token of the "
                                        "server's --auth-token-file"));
        }
        c->st = call::state::reading;
        c->stream.Read(&c->request, c);
        return;
      }
      case call::state::reading: {
        if (!ok) {  // no message: the client went away, or sent nothing (or too much)
          metrics->count_request(c->s, "bad_request");
          return finish(c, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        "no request message received"));
        }
        const auto started_at = clock::now();
        std::string body;
        {
          std::vector<grpc::Slice> slices;
          if (!c->request.Dump(&slices).ok()) {
            metrics->count_request(c->s, "bad_request");
            return finish(c, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                          "the request message could not be read"));
          }
          size_t n = 0;
          for (const grpc::Slice& sl : slices) n += sl.size();
          body.reserve(n);
          for (const grpc::Slice& sl : slices)
            body.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
          c->request.Clear();
        }
        const ingest_result r =
            ingest_export(c->s, body_encoding::protobuf, body, writer, *metrics,
                          ingest_options{options.commit_timeout, options.retry_after}, started_at);
        if (r.outcome == ingest_outcome::throttled || r.outcome == ingest_outcome::unavailable) {
          // Retryable: RetryInfo tells the client when (and, for RESOURCE_EXHAUSTED, that
          // it may retry at all).
          const grpc::StatusCode code = grpc_code_of(r.outcome);
          return finish(c, grpc::Status(code, r.message,
                                        status_with_retry_info(static_cast<int32_t>(code),
                                                               r.message, options.retry_after)));
        }
        if (r.outcome != ingest_outcome::accepted)
          return finish(c, grpc::Status(grpc_code_of(r.outcome), r.message));
        const std::string answer = export_response_body(body_encoding::protobuf, c->s, r.partial);
        grpc::Slice slice(answer.data(), answer.size());
        c->response = grpc::ByteBuffer(&slice, 1);
        c->st = call::state::finishing;
        c->stream.WriteAndFinish(c->response, grpc::WriteOptions(), grpc::Status::OK, c);
        return;
      }
      case call::state::finishing:
        delete c;
        return;
    }
  }

  // Ends the completion queue and takes every tag still in it (deleting their calls).
  void close_queue() noexcept {
    {
      std::lock_guard lock(cq_mutex);
      cq_closed = true;
    }
    cq->Shutdown();
  }
  // After close_queue, on a thread of the caller's: what no worker took.
  void drain_queue() noexcept {
    void* tag = nullptr;
    bool ok = false;
    while (cq->Next(&tag, &ok)) delete static_cast<call*>(tag);
  }
};

otlp_grpc_receiver::otlp_grpc_receiver(grpc_receiver_options options, store::writer& writer,
                                       server_metrics* metrics)
    : impl_(std::make_unique<impl>(std::move(options), writer, metrics)) {
  if (impl_->options.worker_threads == 0) impl_->options.worker_threads = 1;
}

otlp_grpc_receiver::~otlp_grpc_receiver() {
  stop();
}

bool otlp_grpc_receiver::start(std::string& error) {
  impl& d = *impl_;
  if (d.started.exchange(true)) {
    error = "the receiver was already started";
    return false;
  }
  const bool v6 = d.options.host.find(':') != std::string::npos;
  const std::string address = (v6 ? "[" : "") + d.options.host + (v6 ? "]" : "") + ":" +
                              std::to_string(d.options.port);
  try {
    grpc::ServerBuilder builder;
    int selected = 0;
    builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &selected);
    builder.RegisterAsyncGenericService(&d.service);
    builder.SetMaxReceiveMessageSize(
        static_cast<int>(std::min<size_t>(d.options.max_message_bytes, INT_MAX)));
    // Without this gRPC sets SO_REUSEPORT, which would let a second `agtel serve` bind the
    // same port and silently take half of the calls.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    d.cq = builder.AddCompletionQueue();
    d.server = builder.BuildAndStart();
    if (!d.server || selected == 0) {
      if (d.server) d.server->Shutdown();
      d.server.reset();
      d.cq.reset();  // no call was requested on it; destroying it shuts it down
      error = "cannot listen on " + address + " (gRPC): the address is in use or not available here";
      return false;
    }
    d.port.store(static_cast<uint16_t>(selected));
    for (unsigned i = 0; i < d.options.worker_threads; ++i) d.request_call();
    for (unsigned i = 0; i < d.options.worker_threads; ++i) d.threads.emplace_back([&d] { d.run(); });
    return true;
  } catch (const std::exception& ex) {
    error = std::string("cannot start the OTLP/gRPC receiver: ") + ex.what();
    if (d.server) {
      d.server->Shutdown();
      d.close_queue();
      for (std::thread& t : d.threads) t.join();
      d.threads.clear();
      d.drain_queue();
      d.server.reset();
      d.cq.reset();
    }
    return false;
  }
}

uint16_t otlp_grpc_receiver::port() const noexcept {
  return impl_->port.load();
}

void otlp_grpc_receiver::stop() noexcept {
  impl& d = *impl_;
  if (!d.server) return;
  // Refuses new calls and waits for those in flight (the worker threads still run them);
  // past the deadline gRPC cancels what is left.
  d.server->Shutdown(std::chrono::system_clock::now() + d.options.commit_timeout +
                     std::chrono::seconds(5));
  d.close_queue();
  for (std::thread& t : d.threads) t.join();
  d.threads.clear();
  d.server.reset();
  d.cq.reset();
  d.port.store(0);
}

}  // namespace agtel::server
