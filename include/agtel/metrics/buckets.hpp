// Named histogram bucket boundaries (upper bounds, inclusive, strictly increasing).
//
// `otel_default` is the OpenTelemetry SDK default. The others are the agent bucket sets
// of the agtel metric catalogue (shared/spec/metrics.md), which follow the GenAI semantic
// conventions where those name boundaries. Pass one as a histogram's advisory boundaries
// (instrument_options::buckets) or in a view's explicit_bucket_histogram aggregation.
#pragma once

#include <array>

namespace agtel::metrics::buckets {

// OpenTelemetry SDK default, for any histogram without advice or a view.
inline constexpr std::array<double, 15> otel_default = {0,   5,   10,   25,   50,   75,   100,  250,
                                                        500, 750, 1000, 2500, 5000, 7500, 10000};

// Seconds: LLM operation, tool call, time to first chunk / per output chunk.
inline constexpr std::array<double, 14> gen_ai_operation_seconds = {
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};

// Seconds: agent invocation (gen_ai.invoke_agent.duration).
inline constexpr std::array<double, 13> agent_invocation_seconds = {
    0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6};

// Seconds: workflow (gen_ai.workflow.duration).
inline constexpr std::array<double, 11> workflow_seconds = {1,   5,   10,   30,   60,  120,
                                                            300, 600, 1800, 3600, 7200};

// Tokens (gen_ai.client.token.usage): powers of four from 1 to 2^26.
inline constexpr std::array<double, 14> tokens = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};

// Seconds: agtel's task, session and invocation durations (5 ms to 5 min).
inline constexpr std::array<double, 15> agtel_duration_seconds = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

}  // namespace agtel::metrics::buckets
