#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run calls this script):
#
#   1. installs missing Debian packages        (scripts/setup.sh)
#   2. release build, every test                (build/release, ctest)
#   3. ASan+UBSan build, every test             (build/asan, ctest)
#   4. TSan build, the concurrency tests        (build/tsan, ctest)
#
# Every stage runs even when an earlier one failed; a summary follows and the exit status
# is non-zero if any stage failed.
#
#   scripts/test.sh           everything (what CI runs)
#   scripts/test.sh --quick   steps 1-2 only, for a fast check while developing
set -uo pipefail

quick=false
case ${1:-} in
  --quick) quick=true ;;
  "") ;;
  *)
    echo "usage: scripts/test.sh [--quick]" >&2
    exit 2
    ;;
esac

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_root=${AGTEL_BUILD_ROOT:-$repo/build}
jobs=$(nproc)

# Sanitizer reports fail the test that triggered them, with a stack trace.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_init_order=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

summary=()
failed=0
record() {  # record <stage> <status> <seconds>
  summary+=("$(printf '  %-8s %-6s %5ss' "$1" "$2" "$3")")
  [[ $2 == PASS ]] || failed=1
}

banner() {
  echo
  echo "=== $* ==="
}

# The TSan runtime of GCC 12 cannot map its shadow memory when the kernel randomizes
# addresses with more bits than it expects (vm.mmap_rnd_bits > 28 on recent kernels); the
# build runs TSan programs too (test discovery). Prints the command prefix that runs TSan
# programs here: nothing, or setarch with address randomization off.
tsan_prefix() {
  local probe
  probe=$(mktemp -d)
  echo 'int main() {}' >"$probe/probe.cpp"
  if c++ -fsanitize=thread "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null \
      && ! "$probe/probe" >/dev/null 2>&1 && setarch "$(uname -m)" -R "$probe/probe" 2>/dev/null; then
    echo "test.sh: TSan needs address randomization off on this kernel: using setarch -R" >&2
    echo setarch "$(uname -m)" -R
  fi
  rm -rf "$probe"
}

# run_stage <name> <variant> [ctest arguments...]
run_stage() {
  local name=$1 variant=$2
  shift 2
  local start=$SECONDS dir=$build_root/$variant wrapper=()
  [[ $variant == tsan ]] && read -ra wrapper < <(tsan_prefix)
  banner "$name: build ($variant)"
  if ! "${wrapper[@]}" "$repo/scripts/build.sh" "$variant"; then
    record "$name" FAIL $((SECONDS - start))
    echo "test.sh: $name: the build failed" >&2
    return
  fi
  banner "$name: ctest ($variant)"
  if "${wrapper[@]}" ctest --test-dir "$dir" --output-on-failure --no-tests=error -j"$jobs" "$@"; then
    record "$name" PASS $((SECONDS - start))
  else
    record "$name" FAIL $((SECONDS - start))
  fi
}

total_start=$SECONDS
banner "setup"
if "$repo/scripts/setup.sh"; then
  record setup PASS $((SECONDS - total_start))
else
  record setup FAIL $((SECONDS - total_start))
  echo "test.sh: installing the packages failed; not building" >&2
  quick=skip
fi

if [[ $quick != skip ]]; then
  run_stage release release
  if [[ $quick == false ]]; then
    run_stage asan asan
    run_stage tsan tsan
  fi
fi

banner "summary"
printf '%s\n' "${summary[@]}"
echo "  total           $((SECONDS - total_start))s"
if ((failed)); then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all passed"
