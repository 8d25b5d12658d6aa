# What the end-to-end scripts of the agtel binary share (included by check_*.cmake).
#   agtel_launcher: commands put before ${AGTEL} (e.g. `cmake -E env ...`); empty by default.
#   agtel_dir: the working directory of the runs; the script's by default.

# Runs agtel with ARGN; fails unless the exit code is `expected_rc` ("nonzero": any but 0).
# Sets `out` and `err` in the caller.
function(run_agtel expected_rc)
  if(NOT agtel_dir)
    set(agtel_dir ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  execute_process(COMMAND ${agtel_launcher} ${AGTEL} ${ARGN} WORKING_DIRECTORY ${agtel_dir}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 60)
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
