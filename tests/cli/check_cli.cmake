# End-to-end checks of the agtel binary: exit codes and output of --version, --help and
# `agtel example`. (A script, because ctest's PASS_REGULAR_EXPRESSION ignores exit codes.)
#   cmake -DAGTEL=<path to agtel> -DVERSION=<x.y.z> -P check_cli.cmake

include(${CMAKE_CURRENT_LIST_DIR}/run_agtel.cmake)

run_agtel(0 --version)
expect_match("--version" "${out}" "^agtel ${VERSION}\n$")

run_agtel(0 --help)
expect_match("--help" "${out}" "Usage: agtel \\[OPTIONS\\] \\[SUBCOMMAND\\]")
expect_match("--help" "${out}" "\n  example  ")

run_agtel(nonzero example --seed -1)
expect_match("bad seed" "${err}" "--seed: expected a whole number")
run_agtel(nonzero example --format xml)
run_agtel(nonzero no-such-command)

# The example's trace: one tree whose shape, names and token counts are fixed by the seed
# (ids and measured durations vary, so they are matched loosely).
run_agtel(0 example --seed 1)
expect_match("example stderr" "${err}" "^$")
set(any "[^\n]*")
expect_match("example" "${out}" "^trace [0-9a-f]+ · agtel-example · 14 spans\n")
expect_match("example" "${out}"
  "\ninvoke_agent coordinator \\[internal\\] ${any}gen_ai.conversation.id=session-1 gen_ai.usage.input_tokens=12015 gen_ai.usage.output_tokens=1890\n├─ chat claude-sonnet-4 \\[client\\] ")
expect_match("example" "${out}"
  "\n├─ invoke_agent planner ${any}\n│  └─ chat claude-sonnet-4 ${any}\n├─ invoke_agent researcher ${any}\n")
expect_match("example" "${out}"
  "\n│  ├─ execute_tool web_search ${any}gen_ai.tool.call.id=call_1\n│  ├─ execute_tool fetch_url ${any} ERROR: fetch_url: no response after 10 s ${any}error.type=timeout\n│  │     • exception: agtel::cli::tool_timeout: fetch_url: no response after 10 s\n│  ├─ execute_tool read_docs ${any}\n│  ├─ execute_tool fetch_url ${any}agtel.tool.attempt=2\n│  └─ chat gpt-4o-mini \\[client\\] ")
expect_match("example" "${out}"
  "\n└─ invoke_agent coder ${any}\n   ├─ chat claude-sonnet-4 ${any}\n   ├─ execute_tool run_tests ${any}\n   └─ chat claude-sonnet-4 ${any}\n\n$")

# JSON lines: one OTLP/JSON span per line, all in one trace.
run_agtel(0 example --seed 1 --format json)
string(REGEX MATCHALL "(^|\n){\"traceId\":\"[0-9a-f]+\"" lines "${out}")
list(LENGTH lines count)
if(NOT count EQUAL 14)
  message(FATAL_ERROR "--format json: expected 14 span lines, got ${count}:\n${out}")
endif()
expect_match("--format json" "${out}" "\"name\":\"execute_tool fetch_url\"")
expect_match("--format json" "${out}" "\"status\":{\"message\":\"fetch_url: no response after 10 s\",\"code\":2}")
