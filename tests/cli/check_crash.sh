#!/usr/bin/env bash
# Crash test of agtel serve: a client sends traces one request after another and notes each
# one the server acknowledged (200); the server is killed with SIGKILL in the middle of the
# stream; every acknowledged trace must be in the store afterwards, the file must pass
# SQLite's integrity check, and a restarted server must take requests again.
#   check_crash.sh <path to agtel> <scratch directory>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/agtel_serve.sh"
agtel=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work"
db=$work/agtel.db

fail() {
  echo "check_crash: $*" >&2
  [[ -s serve.log ]] && { echo "--- serve.log" >&2; cat serve.log >&2; }
  exit 1
}

start_server() { start_agtel_serve "$agtel" "$db" serve.log || fail "agtel serve did not start"; }

# An OTLP/JSON request: trace number $1 with 20 spans.
request() {
  local trace spans="" i
  trace=$(printf '%032x' "$1")
  for i in $(seq 1 20); do
    spans+="${spans:+,}{\"traceId\":\"$trace\",\"spanId\":\"$(printf '%016x' "$i")\",\"name\":\"step $i\",\"kind\":1,\"startTimeUnixNano\":\"1795449901000000000\",\"endTimeUnixNano\":\"1795449902000000000\",\"attributes\":[{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":\"search\"}}]}"
  done
  echo "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"crash-test\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"t\"},\"spans\":[$spans]}]}]}"
}

start_server
trap 'kill -9 $server 2>/dev/null || true' EXIT
: >acked.txt
(
  n=1
  while :; do
    code=$(request $n | curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
      -H 'Content-Type: application/json' --data-binary @- "http://127.0.0.1:$port/v1/traces") || code=000
    [[ $code == 200 ]] && echo $n >>acked.txt
    [[ $code == 000 ]] && exit 0  # the server is gone
    n=$((n + 1))
  done
) &
client=$!
# Kill once a fair number of requests were acknowledged, while more are in flight.
for _ in $(seq 600); do
  (($(wc -l <acked.txt) >= 40)) && break
  sleep 0.05
done
kill -9 $server
wait $server 2>/dev/null || true
wait $client || true
acked=$(wc -l <acked.txt)
((acked >= 40)) || fail "only $acked requests were acknowledged before the kill"

[[ $(sqlite3 "$db" "PRAGMA integrity_check") == ok ]] || fail "integrity_check after SIGKILL"
missing=0
while read -r n; do
  got=$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM spans WHERE trace_id = x'$(printf '%032x' "$n")'")
  [[ $got == 20 ]] || { echo "trace $n: $got of 20 spans" >&2; missing=$((missing + 1)); }
done <acked.txt
((missing == 0)) || fail "$missing acknowledged traces were lost"

# The store opens again and takes more.
start_server
code=$(request 999999 | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @- "http://127.0.0.1:$port/v1/traces")
[[ $code == 200 ]] || fail "the restarted server answered $code"
kill -TERM $server
wait $server || fail "the restarted server did not stop cleanly"
trap - EXIT
echo "check_crash: $acked acknowledged requests survived SIGKILL"
