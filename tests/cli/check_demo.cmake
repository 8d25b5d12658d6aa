# End-to-end checks of `agtel demo`: exit codes, the summary, seed determinism, and the
# JSON-lines files of both processes (the parent and the reviewer's child process) holding
# one trace. A script, because ctest's PASS_REGULAR_EXPRESSION ignores exit codes.
#   cmake -DAGTEL=<path to agtel> -DWORK_DIR=<scratch directory> -P check_demo.cmake

# Runs agtel with ARGN in WORK_DIR with no OTEL_* exporter variables; fails unless the exit
# code is `expected_rc` ("nonzero": any but 0).
function(run_demo expected_rc)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env
                          --unset=OTEL_TRACES_EXPORTER --unset=OTEL_METRICS_EXPORTER
                          --unset=OTEL_LOGS_EXPORTER --unset=OTEL_EXPORTER_OTLP_ENDPOINT
                          --unset=OTEL_EXPORTER_OTLP_TRACES_ENDPOINT --unset=AGTEL_CONFIG_FILE
                          --unset=OTEL_SDK_DISABLED "AGTEL_JSONL_DIRECTORY=${data}"
                          ${AGTEL} ${ARGN}
                  WORKING_DIRECTORY ${WORK_DIR} OUTPUT_VARIABLE out ERROR_VARIABLE err
                  RESULT_VARIABLE rc TIMEOUT 60)
  if((expected_rc STREQUAL "nonzero" AND rc EQUAL 0) OR
     (NOT expected_rc STREQUAL "nonzero" AND NOT rc EQUAL expected_rc))
    message(FATAL_ERROR "agtel ${ARGN}: exit code ${rc}, expected ${expected_rc}\n"
                        "stdout:\n${out}\nstderr:\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

function(expect_match what text regex)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: expected a match for\n${regex}\ngot:\n${text}")
  endif()
endfunction()

# The summary's count lines (sessions .. cost), without the wall time and the child's pid.
function(summary_counts text outvar)
  string(REGEX MATCH "  sessions:.*  cost:[^\n]*" counts "${text}")
  string(REGEX REPLACE "child process [0-9]+" "child process N" counts "${counts}")
  set(${outvar} "${counts}" PARENT_SCOPE)
endfunction()

# Every span in a JSON-lines traces file, as "traceId spanId parentSpanId|name" items.
function(read_spans file outvar)
  file(STRINGS ${file} lines)
  set(spans)
  foreach(line IN LISTS lines)
    string(JSON nrs LENGTH "${line}" resourceSpans)
    math(EXPR nrs "${nrs} - 1")
    foreach(r RANGE ${nrs})
      string(JSON nss LENGTH "${line}" resourceSpans ${r} scopeSpans)
      math(EXPR nss "${nss} - 1")
      foreach(s RANGE ${nss})
        string(JSON n LENGTH "${line}" resourceSpans ${r} scopeSpans ${s} spans)
        math(EXPR n "${n} - 1")
        foreach(i RANGE ${n})
          string(JSON span GET "${line}" resourceSpans ${r} scopeSpans ${s} spans ${i})
          string(JSON trace GET "${span}" traceId)
          string(JSON id GET "${span}" spanId)
          string(JSON parent ERROR_VARIABLE no_parent GET "${span}" parentSpanId)
          string(JSON name GET "${span}" name)
          list(APPEND spans "${trace} ${id} ${parent}|${name}")
        endforeach()
      endforeach()
    endforeach()
  endforeach()
  set(${outvar} "${spans}" PARENT_SCOPE)
endfunction()

set(data ${WORK_DIR}/data)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# A run with no exporter variables: JSON lines into AGTEL_JSONL_DIRECTORY, said so.
run_demo(0 demo --sessions 3 --seed 7 --speed max)
expect_match("demo" "${out}" "no exporter configured, so writing JSON lines [^\n]* to ${data}/")
expect_match("demo" "${out}" "embedded store[^\n]*does not exist yet")
expect_match("demo" "${out}" "\n  sessions:    3\n")
expect_match("demo" "${out}" "\n  agent runs:  16 \\(the reviewer of session 1 ran in child process [0-9]+\\)\n")
expect_match("demo" "${out}" "\n  tool calls:  [1-9][0-9]*, [0-9]+ failed \\([0-9.]+%\\): ")
expect_match("demo" "${out}" "\n  LLM calls:   [1-9][0-9]*, [0-9]+ failed")
expect_match("demo" "${out}" "\n  latency:     LLM p50 [0-9.]+ m?s p95 [0-9.]+ m?s; tools p50 ")
expect_match("demo" "${out}" "\n    llama-3.1-70b [^\n]* unpriced \\(3 calls\\)\n")
expect_match("demo" "${out}" "\n  cost:        \\$[0-9.]+ over [1-9][0-9]* priced calls; 3 calls to unpriced models\n")
expect_match("demo" "${out}" "JSON lines in ${data}/")
expect_match("demo stderr" "${err}" "^$")
summary_counts("${out}" first)

# The same seed gives the same counts; another seed other counts.
file(REMOVE_RECURSE ${data})
run_demo(0 demo --sessions 3 --seed 7)
summary_counts("${out}" second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "seed 7 gave different counts:\n${first}\n---\n${second}")
endif()
run_demo(0 demo --sessions 3 --seed 8)
summary_counts("${out}" third)
if(first STREQUAL third)
  message(FATAL_ERROR "seeds 7 and 8 gave the same counts:\n${first}")
endif()

# Both processes wrote spans, and the child's continue the parent's trace: the child's
# reviewer run is a child of the parent's (remote) reviewer run.
file(REMOVE_RECURSE ${data})
run_demo(0 demo --sessions 2 --seed 7)
file(GLOB parent_files ${data}/agtel-traces-*.jsonl)
file(GLOB child_files ${data}/agtel-child-traces-*.jsonl)
file(GLOB metric_files ${data}/agtel-metrics-*.jsonl)
file(GLOB log_files ${data}/agtel-logs-*.jsonl)
if(NOT parent_files OR NOT child_files OR NOT metric_files OR NOT log_files)
  file(GLOB all ${data}/*)
  message(FATAL_ERROR "expected traces (parent and child), metrics and logs files, got: ${all}")
endif()
set(parent_spans)
foreach(f IN LISTS parent_files)
  read_spans(${f} s)
  list(APPEND parent_spans ${s})
endforeach()
set(child_spans)
foreach(f IN LISTS child_files)
  read_spans(${f} s)
  list(APPEND child_spans ${s})
endforeach()
list(FILTER child_spans INCLUDE REGEX "\\|invoke_agent reviewer$")
list(LENGTH child_spans n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one reviewer run in the child's files, got: ${child_spans}")
endif()
string(REGEX MATCH "^([0-9a-f]+) [0-9a-f]+ ([0-9a-f]+)\\|" _ "${child_spans}")
set(trace ${CMAKE_MATCH_1})
set(parent ${CMAKE_MATCH_2})
if(trace STREQUAL "" OR parent STREQUAL "")
  message(FATAL_ERROR "child reviewer span without trace or parent: ${child_spans}")
endif()
list(FILTER parent_spans INCLUDE REGEX "^${trace} ${parent} [0-9a-f]+\\|invoke_agent reviewer$")
list(LENGTH parent_spans n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "the parent's files hold no reviewer span ${parent} in trace ${trace}")
endif()

# Bad arguments: a non-zero exit and a message naming the problem.
run_demo(nonzero demo --sessions 0)
expect_match("--sessions 0" "${err}" "--sessions")
run_demo(nonzero demo --sessions -3)
expect_match("--sessions -3" "${err}" "expected a whole number")
run_demo(nonzero demo --speed fast)
expect_match("--speed fast" "${err}" "expected max or a positive factor, got 'fast'")
run_demo(nonzero demo --speed 0)
expect_match("--speed 0" "${err}" "expected max or a positive factor")
run_demo(nonzero demo --duration 30)
expect_match("--duration 30" "${err}" "expected a duration such as 30s")
run_demo(nonzero demo --duration 1s --sessions 2)
expect_match("--duration with --sessions" "${err}" "excludes")
run_demo(nonzero demo --seed x)
expect_match("--seed x" "${err}" "expected a whole number")
