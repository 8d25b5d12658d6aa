// Ready carrier adapters: header maps (HTTP headers, message envelope headers, gRPC
// metadata) and environment variables (context for child processes).
//
//   std::map<std::string, std::string> headers;        // or unordered_map, multimap,
//   agtel::propagation::header_writer out(headers);    // vector<pair<string, string>>
//   agtel::propagation::inject(out);                   // the current context
//
//   auto env = agtel::propagation::child_environment();  // then posix_spawn(..., envp)
//
// Adapters hold a reference to the container and are meant to live for one request.
#pragma once

#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "agtel/propagation/text_map.hpp"

namespace agtel::propagation {

namespace detail {
// ASCII case-insensitive equality (HTTP field names).
bool header_name_equal(std::string_view a, std::string_view b) noexcept;
std::string lower_ascii(std::string_view s);

// Collects the values of repeated headers: one value is returned as a view into the
// carrier; several are joined with ',' into an owned buffer (reused across calls).
class header_value_joiner {
 public:
  void reset() noexcept {
    first_ = {};
    count_ = 0;
  }
  void add(std::string_view value) noexcept;
  std::string_view result() const noexcept { return count_ > 1 ? joined_ : first_; }

 private:
  std::string_view first_;
  std::string joined_;
  size_t count_ = 0;
};
}  // namespace detail

// Reads a container of (name, value) string pairs as HTTP headers: names are matched
// case-insensitively and repeated names are joined with ','. Works with
// std::map/std::unordered_map/std::multimap<std::string, std::string> and
// std::vector<std::pair<std::string, std::string>> (and anything iterable whose elements
// have string `first`/`second`). Keeps a reference: the container must outlive the reader.
template <class Headers>
class header_reader final : public text_map_reader {
 public:
  explicit header_reader(const Headers& headers) noexcept : headers_(headers) {}

  std::string_view get(std::string_view key) const noexcept override {
    joiner_.reset();
    for (const auto& h : headers_)
      if (detail::header_name_equal(h.first, key)) joiner_.add(h.second);
    return joiner_.result();
  }
  void keys(std::vector<std::string_view>& out) const noexcept override {
    try {
      for (const auto& h : headers_) out.emplace_back(h.first);
    } catch (...) {  // out of memory: a partial list
    }
  }

 private:
  const Headers& headers_;
  mutable detail::header_value_joiner joiner_;
};

// Writes into the same kinds of containers. `set` stores the key in lower case and removes
// every other value under that name in any letter case (so a copied-in `TraceParent` can
// never travel next to the new `traceparent`). An existing value's storage is reused.
template <class Headers>
class header_writer final : public text_map_writer {
 public:
  explicit header_writer(Headers& headers) noexcept : headers_(headers) {}

  void set(std::string_view key, std::string_view value) noexcept override {
    try {
      std::string name = detail::lower_ascii(key);
      if constexpr (requires { headers_.try_emplace(name); }) {  // map, unordered_map
        for (auto it = headers_.begin(); it != headers_.end();)
          it = it->first != name && detail::header_name_equal(it->first, name) ? headers_.erase(it)
                                                                               : std::next(it);
        headers_.try_emplace(std::move(name)).first->second.assign(value);
      } else {  // vector of pairs, multimap: keep the first match, erase the rest
        std::remove_reference_t<decltype(headers_.begin()->second)>* kept = nullptr;
        for (auto it = headers_.begin(); it != headers_.end();) {
          if (!detail::header_name_equal(it->first, name)) {
            ++it;
          } else if (!kept && it->first == name) {
            kept = &it->second;
            ++it;
          } else {
            it = headers_.erase(it);
          }
        }
        if (kept) {
          kept->assign(value);
        } else if constexpr (requires { headers_.emplace_back(name, value); }) {
          headers_.emplace_back(std::move(name), std::string(value));
        } else {
          headers_.emplace(std::move(name), std::string(value));
        }
      }
    } catch (...) {  // out of memory: the field is not written
    }
  }

 private:
  Headers& headers_;
};

// ---- Environment variables (OpenTelemetry "Environment Variables as Context Propagation
// Carriers"): a key maps to an upper-case name with every character other than A-Z, 0-9
// and '_' replaced by '_', and a '_' put before a leading digit (traceparent -> TRACEPARENT,
// baggage -> BAGGAGE, x-b3-traceid -> X_B3_TRACEID).
std::string env_name(std::string_view key);

// Reads the calling process's environment (getenv). Values are views into the environment:
// valid until it changes. Like getenv, not safe against a concurrent setenv/putenv.
class env_reader final : public text_map_reader {
 public:
  std::string_view get(std::string_view key) const noexcept override;
  void keys(std::vector<std::string_view>& out) const noexcept override;  // variable names
};

// Writes into an environment that the caller hands to a child process, never into this
// process's own environment: either a name -> value map, or a list of "NAME=value" strings
// as execve/posix_spawn take (an existing "NAME=" entry is replaced).
class env_writer final : public text_map_writer {
 public:
  explicit env_writer(std::map<std::string, std::string>& env) noexcept : map_(&env) {}
  explicit env_writer(std::vector<std::string>& env) noexcept : list_(&env) {}
  void set(std::string_view key, std::string_view value) noexcept override;

 private:
  std::map<std::string, std::string>* map_ = nullptr;
  std::vector<std::string>* list_ = nullptr;
};

// Injects `ctx` with the global propagator into an environment for a child process. The
// propagator's variables (TRACEPARENT, TRACESTATE, BAGGAGE) are first removed from `env`,
// so the child never sees a stale context inherited from this process's own parent.
void inject_into_env(std::map<std::string, std::string>& env,
                     const context& ctx = context::current()) noexcept;
void inject_into_env(std::vector<std::string>& env,
                     const context& ctx = context::current()) noexcept;

// This process's environment ("NAME=value" strings) with `ctx` injected: what to pass to
// execve/posix_spawn to start a child inside the current trace.
std::vector<std::string> child_environment(const context& ctx = context::current());

// Extracts a context from this process's environment with the global propagator (a
// process started by a traced parent calls this once at start-up and attaches the result).
context extract_from_env(const context& base = {}) noexcept;

}  // namespace agtel::propagation
