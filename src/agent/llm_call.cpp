// LLM calls: the scope, the recorder, and the telemetry both emit (span, duration, token
// usage, streaming timings, cost).
#include "agtel/agent/llm_call.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {
namespace detail {

namespace a = semconv::attr;

namespace {
metric_attrs operation_attrs(const llm_call_record& r) noexcept {
  metric_attrs m;
  m.add(a::operation_name, r.operation)
      .add(a::provider_name, r.provider)
      .add(a::request_model, r.request_model);
  return m;
}
}  // namespace

trace::span start_llm(const instruments& ins, const llm_call_record& r) noexcept {
  trace::span s = start_span(ins, r.operation, r.request_model, trace::span_kind::client,
                             {{a::operation_name, r.operation},
                              {a::provider_name, r.provider},
                              {a::request_model, r.request_model}},
                             r.parent, r.start_time);
  if (r.temperature >= 0) s.set_attribute(a::request_temperature, r.temperature);
  if (r.max_tokens >= 0) s.set_attribute(a::request_max_tokens, r.max_tokens);
  return s;
}

void record_chunk(const instruments& ins, trace::span& span, const llm_call_record& r,
                  timestamp_ns previous, timestamp_ns at) noexcept {
  if (previous == 0) {
    span.add_event(semconv::event::first_chunk, {}, at);
    ins.time_to_first_chunk.record(seconds(r.start_time, at), operation_attrs(r).view());
  } else {
    ins.time_per_output_chunk.record(seconds(previous, at), operation_attrs(r).view());
  }
}

void finish_llm(const instruments& ins, trace::span& span, const llm_call_record& r) noexcept {
  const timestamp_ns end = or_now(r.end_time);
  const token_usage& u = r.usage;
  if (span.is_recording()) {
    if (!r.response_model.empty()) span.set_attribute(a::response_model, r.response_model);
    if (!r.finish_reasons.empty())
      span.set_attribute(
          a::response_finish_reasons,
          std::span<const std::string_view>(r.finish_reasons.data(), r.finish_reasons.size()));
    set_usage_attributes(span, u);
    if (!r.input_messages.empty()) capture_content(span, a::input_messages, r.input_messages);
    if (!r.output_messages.empty()) capture_content(span, a::output_messages, r.output_messages);
  }
  record_failure(ins, span, "llm", r.failure);

  const metric_attrs base = operation_attrs(r);
  ins.operation_duration.record(seconds(r.start_time, end),
                                metric_attrs(base).add(a::error_type, r.failure.error_type).view());

  agent_run* run = agent_run::current();
  std::string_view agent = r.agent_name;
  if (agent.empty() && run) agent = run->name();
  if (u.input_tokens >= 0)
    ins.token_usage.record(u.input_tokens, metric_attrs(base)
                                               .add(a::token_type, semconv::value::token_input)
                                               .add(a::agent_name, agent)
                                               .view());
  if (u.output_tokens >= 0)
    ins.token_usage.record(u.output_tokens, metric_attrs(base)
                                                .add(a::token_type, semconv::value::token_output)
                                                .add(a::agent_name, agent)
                                                .view());
  if (u.input_tokens >= 0 || u.output_tokens >= 0) {
    if (run) run->add_usage(u);
    const settings& s = current_settings();
    if (const model_price* price = find_price(s.prices, r.response_model, r.request_model)) {
      ins.llm_cost.add(cost_usd(*price, u), metric_attrs()
                                                .add(a::provider_name, r.provider)
                                                .add(a::request_model, r.request_model)
                                                .view());
    } else {
      ins.llm_unpriced_calls.add(1, metric_attrs().add(a::request_model, r.request_model).view());
    }
  }
  span.end(end);
}

}  // namespace detail

llm_call::llm_call(std::string_view request_model, const llm_options& options) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  try {
    model_.assign(request_model);
    operation_.assign(options.operation);
    provider_.assign(options.provider);
    agent_name_.assign(options.agent_name);
  } catch (...) {
  }
  begin(detail::start_llm(*ins_, {.operation = operation_,
                                  .provider = provider_,
                                  .request_model = model_,
                                  .temperature = options.temperature,
                                  .max_tokens = options.max_tokens,
                                  .start_time = start_,
                                  .parent = options.parent}));
}

llm_call::~llm_call() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  std::array<std::string_view, 4> reasons;
  for (size_t i = 0; i < finish_reason_count_; ++i) reasons[i] = finish_reasons_[i];
  detail::finish_llm(*ins_, span_,
                     {.operation = operation_,
                      .provider = provider_,
                      .request_model = model_,
                      .response_model = response_model_,
                      .finish_reasons = {reasons.data(), finish_reason_count_},
                      .usage = usage_,
                      .agent_name = agent_name_,
                      .start_time = start_,
                      .end_time = detail::now(),
                      .failure = {error_type_, error_message_}});
}

void llm_call::on_chunk() noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  const timestamp_ns at = detail::now();
  detail::record_chunk(*ins_, span_,
                       {.operation = operation_,
                        .provider = provider_,
                        .request_model = model_,
                        .start_time = start_},
                       last_chunk_, at);
  last_chunk_ = at;
}

void llm_call::set_usage(const token_usage& usage) noexcept {
  usage_ = usage;
}

void llm_call::set_response(std::string_view response_model,
                            std::initializer_list<std::string_view> finish_reasons) noexcept {
  try {
    response_model_.assign(response_model);
    finish_reason_count_ = 0;
    for (std::string_view r : finish_reasons) {
      if (finish_reason_count_ == finish_reasons_.size()) break;
      finish_reasons_[finish_reason_count_++].assign(r);
    }
  } catch (...) {
  }
}

void llm_call::set_input_messages(std::string_view messages) noexcept {
  detail::capture_content(span_, semconv::attr::input_messages, messages);
}
void llm_call::set_output_messages(std::string_view messages) noexcept {
  detail::capture_content(span_, semconv::attr::output_messages, messages);
}

void track_llm_call(const llm_call_record& r) noexcept {
  const detail::instruments& ins = detail::current();
  llm_call_record rec = r;
  rec.start_time = detail::or_now(r.start_time);
  trace::span span = detail::start_llm(ins, rec);
  timestamp_ns previous = 0;
  for (timestamp_ns at : rec.chunk_times) {
    detail::record_chunk(ins, span, rec, previous, at);
    previous = at;
  }
  detail::finish_llm(ins, span, rec);
}

}  // namespace agtel::agent
