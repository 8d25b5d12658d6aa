#!/usr/bin/env bash
# Configures and builds one variant of agtel into build/<variant> with Ninja.
#
#   scripts/build.sh <variant> [ninja targets...]
#
#   release  Release (-O3), everything: library, agtel binary, tests, examples, fuzz
#            corpus replays, benchmarks
#   debug    Debug, everything
#   asan     Debug with AddressSanitizer + UndefinedBehaviorSanitizer: everything but the
#            benchmarks
#   tsan     Debug with ThreadSanitizer: the library and the concurrency tests only
#   fuzz     clang with libFuzzer: the library and the fuzz targets (see fuzz/CMakeLists.txt)
#
# Warnings are errors (AGTEL_WERROR=OFF in the environment turns that off). The build
# root is <repo>/build unless AGTEL_BUILD_ROOT says otherwise. It does not install
# packages: scripts/setup.sh does that.
set -euo pipefail

usage() {
  echo "usage: scripts/build.sh release|debug|asan|tsan|fuzz [ninja targets...]" >&2
  exit 2
}
(($# >= 1)) || usage
variant=$1
shift

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${AGTEL_BUILD_ROOT:-$repo/build}/$variant

# Every option is given, so a variant's cache never keeps a value from an earlier run.
# With g++, AGTEL_FUZZ=ON builds the fuzz targets as corpus-replay tests.
case $variant in
  release | debug)
    build_type=Release
    [[ $variant == debug ]] && build_type=Debug
    options=("-DCMAKE_BUILD_TYPE=$build_type" -DAGTEL_SANITIZE= -DAGTEL_TESTS=all
             -DAGTEL_BUILD_TESTS=ON -DAGTEL_BUILD_BENCH=ON -DAGTEL_BUILD_EXAMPLES=ON
             -DAGTEL_BUILD_CLI=ON -DAGTEL_FUZZ=ON) ;;
  asan)
    options=(-DCMAKE_BUILD_TYPE=Debug "-DAGTEL_SANITIZE=address,undefined" -DAGTEL_TESTS=all
             -DAGTEL_BUILD_TESTS=ON -DAGTEL_BUILD_BENCH=OFF -DAGTEL_BUILD_EXAMPLES=ON
             -DAGTEL_BUILD_CLI=ON -DAGTEL_FUZZ=ON) ;;
  tsan)
    options=(-DCMAKE_BUILD_TYPE=Debug -DAGTEL_SANITIZE=thread -DAGTEL_TESTS=concurrency
             -DAGTEL_BUILD_TESTS=ON -DAGTEL_BUILD_BENCH=OFF -DAGTEL_BUILD_EXAMPLES=OFF
             -DAGTEL_BUILD_CLI=OFF -DAGTEL_FUZZ=OFF) ;;
  fuzz)
    options=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAGTEL_SANITIZE=
             -DAGTEL_BUILD_TESTS=OFF -DAGTEL_BUILD_BENCH=OFF -DAGTEL_BUILD_EXAMPLES=OFF
             -DAGTEL_BUILD_CLI=OFF -DAGTEL_FUZZ=ON) ;;
  *) usage ;;
esac
options+=(-DAGTEL_WERROR="${AGTEL_WERROR:-ON}")

cmake -S "$repo" -B "$build_dir" -G Ninja --log-level=WARNING "${options[@]}"
# One compiler per core (Ninja's default, cores + 2, only adds memory pressure).
ninja -C "$build_dir" -j"$(nproc)" "$@"
