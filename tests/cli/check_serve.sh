#!/usr/bin/env bash
# agtel serve end to end, as a user runs it: `agtel demo` (two processes) exports over
# OTLP/HTTP to a running `agtel serve`; while it still runs, the read commands find
# every session, tool call, log record and metric in the store; SIGTERM stops it cleanly;
# the file passes SQLite's own integrity check.
#   check_serve.sh <path to agtel> <scratch directory>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/agtel_serve.sh"
agtel=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"
db=$work/store/agtel.db

fail() {
  echo "check_serve: $*" >&2
  [[ -s serve.log ]] && { echo "--- serve.log" >&2; cat serve.log >&2; }
  exit 1
}
# expect_exit <code> <command...>: runs it, stdout to out.txt, stderr to err.txt.
expect_exit() {
  local want=$1 got=0
  shift
  "$@" >out.txt 2>err.txt || got=$?
  [[ $got == "$want" ]] || fail "$* exited $got, expected $want; stderr: $(cat err.txt)"
}

start_agtel_serve "$agtel" "$db" serve.log || fail "agtel serve did not start"
trap 'kill -9 $server 2>/dev/null || true' EXIT

# The demo, both processes, sending traces, metrics and logs over OTLP/HTTP protobuf.
sessions=4
OTEL_TRACES_EXPORTER=otlp OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp \
  OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$port \
  "$agtel" demo --sessions $sessions --seed 11 --speed max >demo.out 2>demo.err ||
  fail "demo failed: $(cat demo.err)"
grep -q "look further: agtel traces" demo.out || fail "the demo does not point at agtel traces: $(cat demo.out)"
tool_calls=$(sed -nE 's/^  tool calls: +([0-9]+),.*/\1/p' demo.out)
[[ -n $tool_calls ]] || fail "no tool call count in the demo's summary: $(cat demo.out)"

# Read while the server runs (a WAL reader beside the writer).
expect_exit 0 "$agtel" status --db "$db" --json
spans=$(jq -r .spans out.txt)
traces=$(jq -r .traces out.txt)
[[ $traces == "$sessions" ]] || fail "status: $traces traces, expected one per session ($sessions)"
((spans > tool_calls)) || fail "status: only $spans spans for $tool_calls tool calls"

expect_exit 0 "$agtel" traces --db "$db" --json --limit 100
[[ $(jq length out.txt) == "$sessions" ]] || fail "traces: $(cat out.txt)"
trace_id=$(jq -r '.[0].traceId' out.txt)
jq -e 'all(.[]; .spans > 1 and .inputTokens > 0)' out.txt >/dev/null ||
  fail "every session trace has spans and tokens: $(cat out.txt)"

# Every tool call of both processes is stored (and lifted into the typed column).
stored_tools=$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM spans WHERE operation = 'execute_tool'")
[[ $stored_tools == "$tool_calls" ]] || fail "$stored_tools execute_tool spans stored, the demo made $tool_calls"

expect_exit 0 "$agtel" trace "$trace_id" --db "$db"
grep -q "invoke_agent coordinator" out.txt || fail "trace tree: $(cat out.txt)"
grep -q "execute_tool" out.txt || fail "trace tree without tool calls: $(cat out.txt)"
expect_exit 0 "$agtel" trace "$trace_id" --db "$db" --json
[[ $(jq '[.resourceSpans[].scopeSpans[].spans[]] | length' out.txt) -gt 1 ]] ||
  fail "trace --json is not OTLP/JSON with spans"

expect_exit 0 "$agtel" traces --db "$db" --status error --json
expect_exit 0 "$agtel" logs --db "$db" --json
[[ $(jq '[.resourceLogs[].scopeLogs[].logRecords[]] | length' out.txt) -gt 0 ]] ||
  fail "logs --json: $(cat out.txt)"

# Metrics: the catalogue, and the tool-call histogram counts every tool call of both
# processes (the demo's simulated clock may run ahead of now: the range reaches far ahead).
range=(--db "$db" --since 7d --until 2100-01-01T00:00:00Z)
expect_exit 0 "$agtel" metrics --db "$db" --json
jq -e '.[] | select(.name == "gen_ai.execute_tool.duration" and .kind == "histogram" and .series > 0)' \
  out.txt >/dev/null || fail "metrics: no tool duration histogram: $(cat out.txt)"
expect_exit 0 "$agtel" query gen_ai.execute_tool.duration "${range[@]}" --agg count --json
counted=$(jq '[.series[].points[].value] | add' out.txt)
[[ $counted == "$tool_calls" ]] || fail "query --agg count: $counted tool calls, the demo made $tool_calls: $(cat out.txt)"
expect_exit 0 "$agtel" query gen_ai.execute_tool.duration "${range[@]}" --agg count --by gen_ai.tool.name --json
[[ $(jq '[.series[].points[].value] | add' out.txt) == "$tool_calls" ]] || fail "query --by tool: $(cat out.txt)"
jq -e 'all(.series[]; .labels["gen_ai.tool.name"] != null)' out.txt >/dev/null || fail "query --by: $(cat out.txt)"
expect_exit 0 "$agtel" query gen_ai.execute_tool.duration "${range[@]}" --agg p95 \
  --labels 'gen_ai.tool.name=~"search|read_file"'
expect_exit 0 "$agtel" stats gen_ai.execute_tool.duration "${range[@]}" --json
[[ $(jq .count out.txt) == "$tool_calls" ]] || fail "stats count: $(cat out.txt)"
jq -e '.p50 <= .p95 and .p95 <= .p99 and .min <= .p50' out.txt >/dev/null || fail "stats order: $(cat out.txt)"
expect_exit 1 "$agtel" query gen_ai.execute_tool.duration --db "$db" --since 2099-01-01T00:00:00Z --until 2100-01-01T00:00:00Z
expect_exit 1 "$agtel" query gen_ai.execute_tool.duration "${range[@]}" --labels gen_ai.tool.name=no-such-tool
expect_exit 2 "$agtel" query gen_ai.execute_tool.duraton --db "$db"
grep -q "did you mean gen_ai.execute_tool.duration" err.txt || fail "unknown metric: $(cat err.txt)"
expect_exit 2 "$agtel" query gen_ai.execute_tool.duration --db "$db" --labels 'a=~('
grep -q "bad regex" err.txt || fail "bad regex: $(cat err.txt)"
expect_exit 2 "$agtel" query gen_ai.execute_tool.duration --db "$db" --agg p101
expect_exit 2 "$agtel" query gen_ai.execute_tool.duration --db "$db" --interval 5x
expect_exit 2 "$agtel" query gen_ai.execute_tool.duration --db "$db" --range forever
expect_exit 0 "$agtel" status --db "$db" --json
(($(jq .metricPoints out.txt) > 0)) || fail "status: no metric points: $(cat out.txt)"

# Found, none, error.
expect_exit 1 "$agtel" traces --db "$db" --service no-such-service
expect_exit 1 "$agtel" trace 0123456789abcdef0123456789abcdef --db "$db"
expect_exit 2 "$agtel" trace not-an-id --db "$db"
expect_exit 2 "$agtel" status --db "$work/missing.db"
grep -q "missing.db" err.txt || fail "a missing store is named: $(cat err.txt)"
[[ ! -e $work/missing.db ]] || fail "a read command created a store"
expect_exit 2 "$agtel" serve --http "127.0.0.1:$port" --db "$work/other.db"

# SIGTERM: a clean stop, exit code 0, and a sound file.
kill -TERM $server
code=0
wait $server || code=$?
trap - EXIT
[[ $code == 0 ]] || fail "agtel serve exited $code on SIGTERM"
[[ $(sqlite3 "$db" "PRAGMA integrity_check") == ok ]] || fail "integrity_check"
expect_exit 0 "$agtel" status --db "$db" --json
[[ $(jq -r .spans out.txt) == "$spans" ]] || fail "spans changed after the stop"
logs=$(jq -r .logs out.txt)
((logs > 0)) || fail "no log records stored"
points=$(jq -r .metricPoints out.txt)

# agtel clear, the server stopped. Without --yes and without a terminal: refused, nothing gone.
expect_exit 2 "$agtel" clear --db "$db" </dev/null
grep -q -- "would delete $spans spans, $logs log records and $points metric points.*--yes" err.txt ||
  fail "clear without --yes: $(cat err.txt)"
expect_exit 0 "$agtel" status --db "$db" --json
[[ $(jq -r .spans out.txt) == "$spans" && $(jq -r .logs out.txt) == "$logs" ]] ||
  fail "clear without --yes deleted something: $(cat out.txt)"
expect_exit 2 "$agtel" clear --db "$work/missing.db" --yes
[[ ! -e $work/missing.db ]] || fail "clear created a store"
# Nothing is older than 1970-01-02.
expect_exit 0 "$agtel" clear --db "$db" --before 1970-01-02T00:00:00Z --yes </dev/null
grep -q "nothing to delete" out.txt || fail "clear --before 1970: $(cat out.txt)"
# Logs only.
expect_exit 0 "$agtel" clear --db "$db" --logs --yes </dev/null
grep -q "deleted $logs log records" out.txt || fail "clear --logs: $(cat out.txt)"
expect_exit 0 "$agtel" status --db "$db" --json
[[ $(jq -r .logs out.txt) == 0 ]] || fail "logs left after clear --logs: $(cat out.txt)"
[[ $(jq -r .spans out.txt) == "$spans" ]] || fail "clear --logs deleted spans: $(cat out.txt)"
# Everything.
expect_exit 0 "$agtel" clear --db "$db" --yes </dev/null
grep -q "deleted $spans spans, 0 log records and $points metric points" out.txt || fail "clear: $(cat out.txt)"
expect_exit 0 "$agtel" status --db "$db" --json
[[ $(jq -r .spans out.txt) == 0 ]] || fail "spans left after clear: $(cat out.txt)"
[[ $(jq -r .metricPoints out.txt) == 0 && $(jq -r .metricSeries out.txt) == 0 ]] ||
  fail "metrics left after clear: $(cat out.txt)"
expect_exit 1 "$agtel" traces --db "$db"
expect_exit 1 "$agtel" metrics --db "$db"
[[ $(sqlite3 "$db" "PRAGMA integrity_check") == ok ]] || fail "integrity_check after clear"
echo "check_serve: $sessions sessions, $spans spans, $tool_calls tool calls stored and found; clear ok"
