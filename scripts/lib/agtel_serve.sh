# Sourced by scripts/run-example.sh and the CLI tests (tests/cli/*.sh).
#
# start_agtel_serve <agtel> <db> <log>: starts `agtel serve` in the background on a free
# loopback port, with a store at <db>, its output in <log>; sets $server (the pid) and
# $port once it says where it listens. Returns 1, with the log on stderr, when it exits or
# says nothing within 10 s.
start_agtel_serve() {
  local agtel=$1 db=$2 log=$3
  env -u OTEL_TRACES_EXPORTER -u OTEL_EXPORTER_OTLP_ENDPOINT \
    "$agtel" serve --http 127.0.0.1:0 --db "$db" >"$log" 2>&1 &
  server=$!
  port=
  for _ in $(seq 200); do
    port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$log" | head -1 | cut -d: -f2) || true
    [[ -n $port ]] && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.05
  done
  echo "agtel serve did not start listening; its output:" >&2
  cat "$log" >&2
  return 1
}
