#!/usr/bin/env bash
# HTTP throughput and latency of kb-search-server under wrk, with real PIAF questions, on the
# CGCT + PIAF corpus: 1, 16 and 64 connections, with and without facet counts.
#
# Usage: bench/http_bench.sh [BUILD_DIR] [DATASETS_DIR] [SECONDS]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
DATASETS="${2:-$ROOT/../shared/datasets}"
SECONDS_EACH="${3:-10}"
command -v wrk >/dev/null || { echo "http_bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$DATASETS/piaf-fr/queries.jsonl" ] || { echo "http_bench: no PIAF dataset under $DATASETS" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "indexing CGCT + PIAF…"
"$BUILD/kb-indexer" --quiet --index "$WORK/index" \
  "$ROOT/corpus/cgct/code-general-des-collectivites-territoriales.jsonl" \
  "$DATASETS/piaf-fr/corpus.jsonl" | head -1

"$BUILD/kb-search-server" --index "$WORK/index" --port 0 --no-access-log --rate-limit 0 \
  > "$WORK/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do grep -q "http://" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
URL="$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/server.out")"
echo "server: $URL"

# Lua scripts that cycle through the first 2,000 PIAF questions, URL-encoded.
python3 "$ROOT/bench/wrk_paths.py" "$DATASETS/piaf-fr/queries.jsonl" "$WORK/plain.lua" "&facets=false"
python3 "$ROOT/bench/wrk_paths.py" "$DATASETS/piaf-fr/queries.jsonl" "$WORK/facets.lua"

printf "\n%-8s %-6s %10s %9s %9s %9s\n" facets conns "req/s" p50 p90 p99
for name in plain facets; do
  for conns in 1 16 64; do
    threads=$(( conns < 2 ? 1 : 2 ))
    out="$(wrk -t"$threads" -c"$conns" -d"${SECONDS_EACH}s" --latency -s "$WORK/$name.lua" "$URL" 2>&1)"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
    p90="$(awk '$1=="90%" {print $2}' <<<"$out")"
    p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
    printf "%-8s %-6s %10s %9s %9s %9s %s\n" "$([ $name = facets ] && echo yes || echo no)" \
      "$conns" "$rps" "$p50" "$p90" "$p99" "$errors"
  done
done
