// Continuing a trace across a process or a message bus: into and out of an event
// envelope's headers, gRPC metadata and a child process's environment. All go through the
// global propagator (W3C traceparent/tracestate and baggage by default).
//
//   // sender                                      // receiver
//   agtel::agent::inject_headers(env.headers);     auto parent =
//   agtel::agent::extract_headers(env.headers);
//                                                  agtel::agent::agent_run run("coder", {.parent =
//                                                  &parent});
//
// Envelope headers and gRPC metadata are containers of string pairs (map, unordered_map,
// multimap, vector of pairs); gRPC metadata keys are lower case, which these write. For a
// child process, pass agtel::propagation::child_environment() to execve/posix_spawn, and in
// the child take agtel::agent::parent_from_environment(). Invalid input is ignored.
#pragma once

#include <map>
#include <string>

#include "agtel/propagation/carriers.hpp"
#include "agtel/propagation/composite.hpp"

namespace agtel::agent {

// Writes `ctx` (default: the current context) into `headers`.
template <class Headers>
void inject_headers(Headers& headers,
                    const agtel::context& ctx = agtel::context::current()) noexcept {
  propagation::header_writer<Headers> out(headers);
  propagation::global_propagator()->inject(ctx, out);
}

// The context carried by `headers` (names matched case-insensitively), on top of `base`.
template <class Headers>
agtel::context extract_headers(const Headers& headers, const agtel::context& base = {}) noexcept {
  propagation::header_reader<Headers> in(headers);
  return propagation::global_propagator()->extract(in, base);
}

// gRPC metadata: a multimap of string pairs, as grpc::ClientContext::AddMetadata takes them
// one by one and a server's client_metadata() yields them.
using grpc_metadata = std::multimap<std::string, std::string>;
inline void inject_grpc_metadata(grpc_metadata& md,
                                 const agtel::context& ctx = agtel::context::current()) noexcept {
  inject_headers(md, ctx);
}
inline agtel::context extract_grpc_metadata(const grpc_metadata& md,
                                            const agtel::context& base = {}) noexcept {
  return extract_headers(md, base);
}

// In a child process started with propagation::child_environment(): the parent's context
// (TRACEPARENT, TRACESTATE, BAGGAGE), to pass as `parent` or to attach.
inline agtel::context parent_from_environment() noexcept {
  return propagation::extract_from_env();
}

}  // namespace agtel::agent
