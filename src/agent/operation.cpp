// The shared machinery of the scopes, and the pieces of telemetry every operation emits.
#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>

#include "agent/emit.hpp"
#include "agtel/agent/operation.hpp"
#include "agtel/agent/semconv.hpp"
#include "agtel/agent/settings.hpp"

namespace agtel::agent {

operation::operation() noexcept
    : ins_(&detail::current()), start_(detail::now()), uncaught_(std::uncaught_exceptions()) {}

operation::~operation() = default;

void operation::begin(trace::span s) noexcept {
  span_ = std::move(s);
  // A non-recording span that only repeats the current context (what a no-op tracer
  // returns) needs no activation; a sampled-out span has ids of its own and does.
  if (span_.is_recording() || !(span_.context() == agtel::detail::current_context().span()))
    active_.emplace(span_.activate());
}

void operation::end_activation() noexcept {
  active_.reset();
  if (error_type_.empty() && std::uncaught_exceptions() > uncaught_)
    fail(semconv::value::error_other, "the operation ended by an exception");
}

void operation::fail(std::string_view error_type, std::string_view message) noexcept {
  try {
    error_type_.assign(error_type.empty() ? semconv::value::error_other : error_type);
    error_message_.assign(message);
  } catch (...) {  // out of memory: keep what fits
  }
}

void operation::fail(const std::exception& e) noexcept {
  try {
    fail(detail::exception_type(e), e.what());
  } catch (...) {
    fail(semconv::value::error_other, {});
  }
}

void operation::fail(std::exception_ptr e) noexcept {
  if (!e) return fail(semconv::value::error_other, {});
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    fail(ex);
  } catch (...) {
    fail(semconv::value::error_other, "non-standard exception");
  }
}

agtel::context operation::context() const noexcept {
  // Without a span (no provider installed) the current context is this operation's.
  if (!span_.context().is_valid()) return agtel::context::current();
  return agtel::context::current().with_span(span_.context());
}

namespace detail {

std::string exception_type(const std::exception& e) {
  const char* mangled = typeid(e).name();
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), &std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

trace::span start_span(const instruments& ins, std::string_view op, std::string_view name,
                       trace::span_kind kind, std::initializer_list<attribute_view> attributes,
                       const agtel::context* parent, timestamp_ns start_time) noexcept {
  // The name is composed in a per-thread buffer: start_span copies it, and a reused buffer
  // keeps "execute_tool <name>" from allocating on every call.
  thread_local std::string name_buffer;
  std::string_view span_name = op;
  if (!name.empty()) {
    try {
      name_buffer.assign(op).append(" ").append(name);
      span_name = name_buffer;
    } catch (...) {  // out of memory: the operation name alone
    }
  }
  trace::span_options o{.kind = kind, .attributes = attributes, .start_time = start_time};
  if (parent) {
    o.parent = &parent->span();
    o.root = !parent->span().is_valid();
  }
  return ins.tracer.start_span(span_name, o);
}

void record_failure(const instruments& ins, trace::span& span, std::string_view component,
                    const failure_info& f) noexcept {
  if (f.error_type.empty()) return;
  span.set_status(trace::status_code::error, f.message.empty() ? f.error_type : f.message);
  span.record_exception(f.error_type, f.message);
  span.set_attribute(semconv::attr::error_type, f.error_type);
  ins.errors.add(1, {{semconv::attr::component, component},
                     {semconv::attr::error_type, f.error_type},
                     {semconv::attr::severity, semconv::value::severity_error}});
  log_failure(component, f.error_type, semconv::value::severity_error, f.message, &span.context());
}

void set_usage_attributes(trace::span& span, const token_usage& u) noexcept {
  namespace a = semconv::attr;
  if (u.input_tokens >= 0) span.set_attribute(a::usage_input_tokens, u.input_tokens);
  if (u.output_tokens >= 0) span.set_attribute(a::usage_output_tokens, u.output_tokens);
  if (u.cache_read_input_tokens >= 0)
    span.set_attribute(a::usage_cache_read_input_tokens, u.cache_read_input_tokens);
  if (u.cache_creation_input_tokens >= 0)
    span.set_attribute(a::usage_cache_creation_input_tokens, u.cache_creation_input_tokens);
}

void capture_content(trace::span& span, std::string_view key, std::string_view content) noexcept {
  const settings& s = current_settings();
  if (!s.content.enabled || !span.is_recording()) return;
  try {
    std::string redacted;
    if (s.content.redact) {
      redacted = s.content.redact(key, content);
      content = redacted;
    }
    size_t keep = content.size();
    if (keep > s.content.max_bytes) {
      keep = s.content.max_bytes;
      // Cut at a UTF-8 boundary: back off continuation bytes (10xxxxxx).
      while (keep > 0 && (static_cast<unsigned char>(content[keep]) & 0xC0) == 0x80) --keep;
    }
    span.set_attribute(key, content.substr(0, keep));
    if (keep < content.size()) {
      std::string truncated_key(key);
      truncated_key += semconv::attr::truncated_suffix;
      span.set_attribute(truncated_key, static_cast<int64_t>(content.size() - keep));
    }
  } catch (...) {  // a throwing redactor, or out of memory: the value is dropped
  }
}

}  // namespace detail
}  // namespace agtel::agent
