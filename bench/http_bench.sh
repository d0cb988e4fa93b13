#!/usr/bin/env bash
# HTTP throughput and latency of kb-search-server under wrk, with real PIAF questions, on the
# CGCT + PIAF corpus: 1, 16 and 64 connections, with and without facet counts.
#
# Each configuration runs twice: on a server without the result cache (--cache-mb 0: every
# request computed, the cost of unique queries) and on one with it, warmed by a pass over the
# questions (the cost of repeated queries).
#
# Usage: bench/http_bench.sh [BUILD_DIR] [DATASETS_DIR] [SECONDS]

# shellcheck source=../scripts/script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/script_support.sh" http_bench
BUILD="${1:-$ROOT/build}"
DATASETS="${2:-$ROOT/../shared/datasets}"
SECONDS_EACH="${3:-10}"
need_command wrk
[ -f "$DATASETS/piaf-fr/queries.jsonl" ] || die "no PIAF dataset under $DATASETS"

WORK="$(mktemp -d)"
SERVER_PID=""
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "indexing CGCT + PIAF…"
"$BUILD/kb-indexer" --quiet --no-vectors --index "$WORK/index" \
  "$ROOT/corpus/cgct/code-general-des-collectivites-territoriales.jsonl" \
  "$DATASETS/piaf-fr/corpus.jsonl" | head -1

# Two servers on the same index: without the result cache (every request matched, counted
# and snippeted: what unique queries cost) and with it, warmed by one pass over the questions
# (what repeated queries cost: a widget's popular searches, search-as-you-type).
start_server() { # NAME EXTRA-OPTIONS...
  local name=$1; shift
  "$BUILD/kb-search-server" --index "$WORK/index" --port 0 --no-access-log --rate-limit 0 "$@" \
    > "$WORK/$name.out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 50); do grep -q "http://" "$WORK/$name.out" 2>/dev/null && break; sleep 0.1; done
  URL="$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/$name.out")"
}

# Lua scripts that cycle through the first 2,000 PIAF questions, URL-encoded.
python3 "$ROOT/bench/wrk_paths.py" "$DATASETS/piaf-fr/queries.jsonl" "$WORK/plain.lua" "&facets=false"
python3 "$ROOT/bench/wrk_paths.py" "$DATASETS/piaf-fr/queries.jsonl" "$WORK/facets.lua"

echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
printf "\n%-6s %-8s %-6s %10s %9s %9s %9s\n" cache facets conns "req/s" p50 p90 p99
for cache in off on; do
  if [ "$cache" = off ]; then start_server cold --cache-mb 0; else start_server warm; fi
  for name in plain facets; do
    # Warm-up: one pass over every question (fills the cache, the page cache and the
    # server's threads alike).
    wrk -t2 -c16 -d"$([ "$cache" = on ] && echo 8 || echo 2)s" -s "$WORK/$name.lua" "$URL" > /dev/null 2>&1
    for conns in 1 16 64; do
      threads=$(( conns < 2 ? 1 : 2 ))
      out="$(wrk -t"$threads" -c"$conns" -d"${SECONDS_EACH}s" --latency -s "$WORK/$name.lua" "$URL" 2>&1)"
      rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
      p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
      p90="$(awk '$1=="90%" {print $2}' <<<"$out")"
      p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
      errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
      printf "%-6s %-8s %-6s %10s %9s %9s %9s %s\n" "$cache" "$([ $name = facets ] && echo yes || echo no)" \
        "$conns" "$rps" "$p50" "$p90" "$p99" "$errors"
    done
  done
  [ "$cache" = on ] && curl -s "$URL/metrics" | awk '/^kb_search_cache_(requests_total|entries|bytes) / || /^kb_search_cache_requests_total/ {print "  " $0}'
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
