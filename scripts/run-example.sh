#!/usr/bin/env bash
# The README's first command: installs what is missing, builds the agtel binary (Release)
# and shows the whole loop on this machine:
#
#   1. `agtel serve` starts on a free loopback port with a scratch store
#      (build/release/example-store/agtel.db, emptied each run);
#   2. `agtel demo` simulates agent sessions (one sub-agent in a child process) and
#      exports their traces, metrics and logs to it over OTLP/HTTP, as any OpenTelemetry
#      SDK would;
#   3. `agtel status`, `agtel traces`, `agtel trace <id>`, `agtel metrics`, `agtel query`
#      and `agtel stats` read the store;
#   4. the server is stopped with SIGTERM.
#
# With arguments, runs `agtel <arguments>` instead (e.g. `example`, `demo --sessions 50`).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/scripts/setup.sh"
"$repo/scripts/build.sh" release agtel_cli >&2
build=${AGTEL_BUILD_ROOT:-$repo/build}/release
agtel=$build/src/cli/agtel
if (($# > 0)); then
  exec "$agtel" "$@"
fi

work=$build/example-store
rm -rf "$work"
mkdir -p "$work"
db=$work/agtel.db
source "$repo/scripts/lib/agtel_serve.sh"
start_agtel_serve "$agtel" "$db" "$work/serve.log"
trap 'kill $server 2>/dev/null || true' EXIT
head -1 "$work/serve.log"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step agtel demo --sessions 5 --seed 7
OTEL_TRACES_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp \
  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$port \
  "$agtel" demo --sessions 5 --seed 7 --speed max

step agtel status
"$agtel" status --db "$db"

step agtel traces --limit 5
"$agtel" traces --db "$db" --limit 5

trace=$("$agtel" traces --db "$db" --status error --limit 1 --json | sed -nE 's/.*"traceId":"([0-9a-f]{32})".*/\1/p')
[[ -n $trace ]] || trace=$("$agtel" traces --db "$db" --limit 1 --json | sed -nE 's/.*"traceId":"([0-9a-f]{32})".*/\1/p')
step agtel trace "$trace"
"$agtel" trace "$trace" --db "$db"

range=(--range 15m)
step agtel metrics
"$agtel" metrics --db "$db"

step agtel query gen_ai.client.operation.duration --agg p95 --by gen_ai.request.model
"$agtel" query gen_ai.client.operation.duration --db "$db" "${range[@]}" --agg p95 \
  --by gen_ai.request.model

step agtel query llm.cost --agg last --by gen_ai.request.model
"$agtel" query llm.cost --db "$db" "${range[@]}" --agg last --by gen_ai.request.model

step agtel stats gen_ai.execute_tool.duration
"$agtel" stats gen_ai.execute_tool.duration --db "$db" "${range[@]}"

kill -TERM $server
wait $server
trap - EXIT
printf '\nThe store is %s: try `%s traces --db %s --help`, or sqlite3 on it.\n' "$db" "$agtel" "$db"
