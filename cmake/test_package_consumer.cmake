# Proves that an installed agtel is usable by another project, both ways a user links it:
#   1. `cmake --install BUILD_DIR --prefix WORK_DIR/prefix`
#   2. examples/consumer with find_package(agtel CONFIG) (CMAKE_PREFIX_PATH=prefix), built
#      with the tree's compiler and strict warnings, then run: it must print "ok"
#   3. the same main.cpp compiled with `pkg-config --cflags --libs agtel`, then run
# Run by ctest `package_consumer` (tests/CMakeLists.txt):
#   cmake -DSOURCE_DIR=<repo> -DBUILD_DIR=<build tree> -DWORK_DIR=<scratch> -P <this file>
# Any failing step stops the test with that step's output.
cmake_minimum_required(VERSION 3.25)

foreach(var SOURCE_DIR BUILD_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "package_consumer: pass -D${var}=...")
  endif()
endforeach()

# fail(<summary> <details>): prints the details verbatim (FATAL_ERROR would re-wrap them),
# then stops the test.
function(fail summary details)
  message("${details}")
  message(FATAL_ERROR "package_consumer: ${summary}")
endfunction()

# run_step(<what> <output variable> COMMAND...): runs the command, stdout and stderr
# merged into <output variable>; fails the test with that output if it exits non-zero.
function(run_step what out_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc STREQUAL "0")
    string(JOIN " " command ${ARGN})
    fail("${what} failed (${rc})" "command: ${command}\n${out}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# expect_ok(<what> <program>): the consumer prints "ok" when the span came through.
function(expect_ok what program)
  run_step("running the ${what} consumer" out ${program})
  if(NOT out MATCHES "^ok\n$")
    fail("the ${what} consumer did not print \"ok\"" "${out}")
  endif()
  message(STATUS "package_consumer: ${what} consumer: ok")
endfunction()

# Build with what the tree was built with.
load_cache(${BUILD_DIR} READ_WITH_PREFIX tree_ CMAKE_CXX_COMPILER CMAKE_GENERATOR
           CMAKE_MAKE_PROGRAM CMAKE_BUILD_TYPE)
set(prefix ${WORK_DIR}/prefix)
set(strict_flags -Wall -Wextra -Wpedantic -Werror)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install.
run_step("cmake --install" out ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# 2. find_package.
string(JOIN " " strict_flags_string ${strict_flags})
run_step("configuring examples/consumer" out
         ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/consumer -B ${WORK_DIR}/cmake-build
         -G ${tree_CMAKE_GENERATOR} -DCMAKE_MAKE_PROGRAM=${tree_CMAKE_MAKE_PROGRAM}
         -DCMAKE_CXX_COMPILER=${tree_CMAKE_CXX_COMPILER}
         -DCMAKE_BUILD_TYPE=${tree_CMAKE_BUILD_TYPE}
         -DCMAKE_CXX_FLAGS=${strict_flags_string}
         -DCMAKE_PREFIX_PATH=${prefix})
# It must have found the package just installed, not one installed elsewhere on the system.
load_cache(${WORK_DIR}/cmake-build READ_WITH_PREFIX consumer_ agtel_DIR)
cmake_path(IS_PREFIX prefix "${consumer_agtel_DIR}" NORMALIZE found_ours)
if(NOT found_ours)
  message(FATAL_ERROR "package_consumer: find_package found agtel in ${consumer_agtel_DIR}, "
                      "not under ${prefix}")
endif()
run_step("building examples/consumer" out ${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
expect_ok("find_package" ${WORK_DIR}/cmake-build/agtel_consumer)

# 3. pkg-config.
file(GLOB_RECURSE pc_file ${prefix}/*/agtel.pc)
if(NOT pc_file)
  message(FATAL_ERROR "package_consumer: the install has no agtel.pc")
endif()
get_filename_component(pc_dir "${pc_file}" DIRECTORY)
run_step("pkg-config --cflags --libs agtel" pc_flags
         ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir} pkg-config --cflags --libs agtel)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
file(READ ${pc_file} pc_text)
execute_process(
  COMMAND ${tree_CMAKE_CXX_COMPILER} ${strict_flags} ${SOURCE_DIR}/examples/consumer/main.cpp
          ${pc_flags} -o ${WORK_DIR}/pkg-config-consumer
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc STREQUAL "0")
  string(JOIN " " flags_string ${pc_flags})
  fail("compiling with pkg-config's flags failed (${rc})"
       "flags: ${flags_string}\n${out}\n${pc_file}:\n${pc_text}")
endif()
expect_ok("pkg-config" ${WORK_DIR}/pkg-config-consumer)
