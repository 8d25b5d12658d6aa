#!/usr/bin/env bash
# Installs the Debian 12 packages agtel needs to build, test and benchmark.
#
# Idempotent: it asks dpkg what is already installed and runs apt-get (update, then
# install) only for what is missing, so it prints nothing when everything is there.
# Runs apt-get directly as root, through sudo otherwise.
#
# It also installs the npm packages of the JavaScript peers (tests/peers/otlp-js) from
# their lock file when they are missing or out of date.
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
  libprotobuf-dev      # OTLP messages (decoding; the generated library)
  protobuf-compiler
  libgrpc++-dev        # OTLP/gRPC exporter
  protobuf-compiler-grpc
  libcurl4-openssl-dev # OTLP/HTTP exporter
  libsimdjson-dev      # OTLP/JSON decoding
  libsqlite3-dev       # the store of agtel serve
  libre2-dev           # label regexes of the query engine
  sqlite3              # tests: the store must be readable by SQLite's own shell
  curl                 # tests: a plain HTTP client against agtel serve
  jq                   # tests: JSON-lines files must be readable by jq
  openssl              # tests: self-signed certificates for the TLS cases
  python3              # tests/deploy/check_deploy.py (standard library only)
)
# The JavaScript peers need Node.js and npm; a machine that has them (from anywhere) keeps
# them, one that does not gets Debian's.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
js_peers=$repo/tests/peers/otlp-js
# npm ci when node_modules is missing or older than the lock file.
js_peers_stale() {
  [[ ! -f $js_peers/node_modules/.package-lock.json ]] ||
    [[ $js_peers/package-lock.json -nt $js_peers/node_modules/.package-lock.json ]]
}
install_js_peers() {
  if js_peers_stale; then
    echo "setup.sh: npm ci in tests/peers/otlp-js"
    (cd "$js_peers" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

missing=()
for package in "${packages[@]}"; do
  # db:Status-Status is "installed" only for a fully installed package (not for one that
  # was removed and left its configuration behind).
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$package")
done

if [[ ${1:-} == --check ]]; then
  js_peers_stale && missing+=("npm packages of tests/peers/otlp-js")
  if ((${#missing[@]})); then
    echo "missing: ${missing[*]}"
    exit 1
  fi
  exit 0
fi

install_packages() {
  local as_root=()
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
}

((${#missing[@]} == 0)) || install_packages
install_js_peers
