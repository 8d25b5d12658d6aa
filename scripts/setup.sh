#!/usr/bin/env bash
# Installs the Debian 12 packages agtel needs to build, test and benchmark.
#
# Idempotent: it asks dpkg what is already installed and runs apt-get (update, then
# install) only for what is missing, so it prints nothing when everything is there.
# Runs apt-get directly as root, through sudo otherwise.
#
#   scripts/setup.sh           install what is missing
#   scripts/setup.sh --check   list what is missing; exit 1 if anything is
set -euo pipefail

# One package a line; add new dependencies here (see CONVENTIONS.md for the choices).
packages=(
  build-essential
  cmake
  ninja-build
  ccache
  pkg-config
  g++
  clang                # fuzz targets (libFuzzer)
  libclang-rt-14-dev   # clang's sanitizer and libFuzzer runtimes
  libyaml-cpp-dev      # configuration file
  libcli11-dev         # the agtel binary's command line
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  nlohmann-json3-dev
  libcpp-httplib-dev   # the Prometheus /metrics endpoint
  zlib1g-dev           # gzip of /metrics answers
  prometheus-cpp-dev   # the peer measured in bench/
  prometheus           # real peer in tests: promtool and a live Prometheus 2.42
)

missing=()
for package in "${packages[@]}"; do
  # db:Status-Status is "installed" only for a fully installed package (not for one that
  # was removed and left its configuration behind).
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$package")
done

if [[ ${1:-} == --check ]]; then
  if ((${#missing[@]})); then
    echo "missing: ${missing[*]}"
    exit 1
  fi
  exit 0
fi
((${#missing[@]})) || exit 0

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "setup.sh: these packages are missing: ${missing[*]}" >&2
    echo "setup.sh: run this script as root (sudo is not installed)." >&2
    exit 1
  fi
  as_root=(sudo)
fi

echo "setup.sh: installing ${missing[*]}"
# `env` because sudo does not pass the caller's environment through.
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup.sh: done"
