#!/usr/bin/env bash
# Instruction count (callgrind Ir) of kb-search-server answering bench/callgrind/requests.txt
# (GET /search, /suggest, POST /search and Meilisearch searches), for comparing two builds on a
# loaded machine: counts repeat where timings do not (bench/REDESIGN-callgrind.md).
#
# Usage: bench/callgrind/search.sh SERVER_BIN INDEX PORT OUT_PREFIX [SERVER_OPTION...]
# Starts SERVER_BIN under callgrind on INDEX, zeroes the counters once it answers /health (the
# start-up and its index check are left out), sends the requests one after the other with curl
# (the answers go to OUT_PREFIX.responses), stops the server with SIGTERM; the counts are in
# OUT_PREFIX.callgrind (its `totals:` line). Give --time-limit 0: under callgrind a request may
# otherwise run out of its time budget, and what it counts then depends on the clock.

# shellcheck source=../../scripts/script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/script_support.sh" "callgrind search"
[ $# -ge 4 ] || die "usage: bench/callgrind/search.sh SERVER_BIN INDEX PORT OUT_PREFIX [SERVER_OPTION...]"
BIN=$1 INDEX=$2 PORT=$3 OUT=$4
shift 4
need_command valgrind
need_command curl
valgrind --tool=callgrind --callgrind-out-file="$OUT.callgrind" "$BIN" --port "$PORT" \
  --index "$INDEX" --no-access-log "$@" >"$OUT.server.out" 2>"$OUT.server.err" &
PID=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
  sleep 0.5
done
callgrind_control -z "$PID" >/dev/null
: >"$OUT.responses"
while IFS= read -r line; do
  method=${line%% *} rest=${line#* }
  path=${rest%% *} body=""
  [ "$rest" != "$path" ] && body=${rest#* }
  if [ "$method" = POST ]; then
    curl -s -X POST -H 'Content-Type: application/json' --data-binary "$body" "http://127.0.0.1:$PORT$path"
  else
    curl -s "http://127.0.0.1:$PORT$path"
  fi >>"$OUT.responses"
  echo >>"$OUT.responses"
done <"$ROOT/bench/callgrind/requests.txt"
kill -TERM "$PID"
wait "$PID" || true
grep '^totals:' "$OUT.callgrind"
