// The agent layer: one line per agent operation, and the spans and metrics that answer an
// agent operator's questions (which agent or tool is slow or failing, where the tokens and
// the money went, how full the context window got). Names: semconv.hpp; catalogue:
// docs/agent.md.
//
// It records through the global providers (agtel::trace::get_tracer, agtel::metrics::
// get_meter, agtel::logs::get_logger for failures), so it works with whatever agtel's init
// (or your code) installed, and notices a newly installed provider at once. With no provider
// installed every operation is a cheap no-op that still propagates context. Nothing here throws
// into the caller or changes what the wrapped code returns or throws.
#pragma once

#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/events.hpp"
#include "agtel/agent/invocation.hpp"
#include "agtel/agent/llm_call.hpp"
#include "agtel/agent/operation.hpp"
#include "agtel/agent/propagation.hpp"
#include "agtel/agent/recorder.hpp"
#include "agtel/agent/semconv.hpp"
#include "agtel/agent/settings.hpp"
#include "agtel/agent/task.hpp"
#include "agtel/agent/tool_call.hpp"
#include "agtel/agent/workflow.hpp"
