#!/usr/bin/env bash
# Growth curve: kb (Xapian) vs SQLite FTS5 vs PostgreSQL 15 vs Sphinx 2.2.11 at 10k, 100k and
# 1M passages.
# bench/README.md says what is measured and how; ./kb bench scale runs this after building.
#
# Usage: bench/scale/run.sh [--sizes 10k,100k,1M] [--datasets DIR] [--work DIR] [--build DIR]
#                           [--seconds S] [--queries N] [--engines kb,sqlite,pg,sphinx]
#                           [--no-queries] [--keep]
#   --sizes     corpus sizes in passages (default 10k,100k,1M)
#   --datasets  the shared datasets (default <repo>/../shared/datasets)
#   --work      corpora, indexes, the throwaway PostgreSQL cluster, Sphinx's config and searchd
#               files (default $TMPDIR/kb-scale); corpora are cached there between runs,
#               indexes removed after each size
#   --build     where kb-indexer, kb-search-server and search_bench are (default <repo>/build)
#   --seconds   wrk duration per run (default 10)
#   --queries   number of queries, half PIAF questions, half legal-code headings (default 500)
#   --engines   which engines to measure (default kb,sqlite,pg,sphinx)
#   --no-queries  indexing only (the query columns are "-")
#   --keep      keep each size's indexes in the work dir
#   --no-vectors  index without vectors (kb-indexer --no-vectors): training fastText on a large
#               corpus dominates the indexing time; the hybrid column is then "n/a"
# Environment: PYTHON (default /usr/bin/python3), PGBIN, TMPDIR.
# Output: a table on stdout; bench/scale/results.tsv (rows of the sizes and engines measured replace
# those rows, others are kept), bench/scale/results.md and bench/scale/growth.png.

# shellcheck source=../../scripts/script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/script_support.sh" "bench scale"
HERE="$ROOT/bench/scale"
SIZES=10k,100k,1M
DATASETS="$ROOT/../shared/datasets"
WORK="${TMPDIR:-/tmp}/kb-scale"
BUILD="$ROOT/build"
SECONDS_EACH=10
NQUERIES=500
KEEP_INDEXES=0
KB_EXTRA=()
ENGINES=kb,sqlite,pg,sphinx
QUERY=1
PGPORT=54331
while (($#)); do
  case "$1" in
    --sizes) SIZES="${2:?}"; shift 2 ;;
    --datasets) DATASETS="${2:?}"; shift 2 ;;
    --work) WORK="${2:?}"; shift 2 ;;
    --build) BUILD="${2:?}"; shift 2 ;;
    --seconds) SECONDS_EACH="${2:?}"; shift 2 ;;
    --queries) NQUERIES="${2:?}"; shift 2 ;;
    --engines) ENGINES="${2:?}"; shift 2 ;;
    --no-queries) QUERY=0; shift ;;
    --keep) KEEP_INDEXES=1; shift ;;
    --no-vectors) KB_EXTRA=(--no-vectors); shift ;;
    --sizes=*|--datasets=*|--work=*|--build=*|--seconds=*|--queries=*|--engines=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench scale: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done

# Debian's python3: psycopg2, pymysql and matplotlib come from apt (python3-psycopg2,
# python3-pymysql, python3-matplotlib), which a pyenv or venv python3 first on PATH would not see.
PYTHON="${PYTHON:-/usr/bin/python3}"
# shellcheck source=../ingest_bench/engines.sh
. "$ROOT/bench/ingest_bench/engines.sh"
need_programs "$BUILD" kb-indexer kb-search-server search_bench
[ -d "$DATASETS/legi-codes-fr/docs" ] || die "no legi-codes-fr under $DATASETS"

ingest_deps
command -v wrk >/dev/null || apt_install wrk
"$PYTHON" -c 'import psycopg2' 2>/dev/null || apt_install python3-psycopg2
"$PYTHON" -c 'import matplotlib' 2>/dev/null || apt_install python3-matplotlib
engine_on() { [[ ",$ENGINES," == *",$1,"* ]]; }
if engine_on sphinx; then
  sphinx_deps
  "$PYTHON" -c 'import pymysql' 2>/dev/null || apt_install python3-pymysql
fi

mkdir -p "$WORK"
chmod 755 "$WORK"
SERVER_PID=
cleanup() {
  local rc=$?
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  pg_stop
  sphinx_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "bench scale: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(date -Is)"
echo "  repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)'); SQLite $("$PYTHON" -c 'import sqlite3; print(sqlite3.sqlite_version)'); $("$PGBIN/postgres" --version)$(engine_on sphinx && indexer 2>&1 | head -n 1 | sed 's/^/; /'); work dir $WORK"

"$PYTHON" "$HERE/build_corpus.py" --datasets "$DATASETS" --out "$WORK" --sizes "$SIZES" --queries "$NQUERIES"
QUERIES="$WORK/queries.jsonl"
STOPWORDS="$ROOT/stopwords-fr/snowball-french.txt"
ROWS="$WORK/rows.$$.tsv"   # per run: two runs may share a work dir (and its cached corpora)
: > "$ROWS"

# wrk_run LUA CONNS: sets W_P50 W_P99 (ms) and W_RPS; W_ERR is wrk's error line, if any.
wrk_run() {
  local out threads=$(( $2 < 2 ? 1 : 2 ))
  out="$(wrk -t"$threads" -c"$2" -d"${SECONDS_EACH}s" --latency -s "$1" "$URL" 2>&1)"
  read -r W_P50 W_P99 W_RPS < <("$PYTHON" "$HERE/wrk_latency.py" <<<"$out")
  W_ERR="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  [ -z "$W_ERR" ] || echo "  wrk -c$2: $W_ERR" >&2
}

row() { # engine, then the columns of results.tsv after it
  local IFS=$'\t'
  printf '%s\t%s\t%s\t%s\n' "$NAME" "$DOCS" "$IN_MB" "$*" >> "$ROWS"
}

mib() { awk -v k="$1" 'BEGIN{ if (k == "n/a") print "n/a"; else printf "%.1f", k / 1024 }'; }
mibb() { awk -v b="$1" 'BEGIN{printf "%.1f", b / 1048576}'; }
# peer_queries_and_row NAME ARGS...: a peer's OR query pass (peer_queries.py ARGS) when QUERY=1,
# then NAME's row with the figures of its last load (LOAD_*).
peer_queries_and_row() {
  local name=$1 q50=- q99=- hits; shift
  if [ "$QUERY" = 1 ]; then
    IFS=$'\t' read -r q50 _ q99 _ _ hits < <("$PYTHON" "$HERE/peer_queries.py" "$@")
    echo "    OR queries p50 $q50 ms, p99 $q99 ms ($hits with hits)"
  fi
  row "$name" "$LOAD_SECS" "$LOAD_CPU" "$(mib "$LOAD_RSS")" "$(mibb "$LOAD_SIZE")" "$q50" "$q99" \
    - - - - - - "$LOAD_AT_START" "$WHEN" -
}

IFS=, read -r -a SIZE_LIST <<<"$SIZES"
for size in "${SIZE_LIST[@]}"; do
  NAME="$("$PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import build_corpus as b; print(b.size_name(b.parse_size(sys.argv[2])))' "$HERE" "$size")"
  CORPUS="$WORK/passages-$NAME"
  mapfile -t FILES < <(find "$CORPUS" -maxdepth 1 -type f -name '*.jsonl' | LC_ALL=C sort)
  DOCS="$(cat "${FILES[@]}" | wc -l)"
  IN_MB="$(cat "${FILES[@]}" | wc -c | awk '{printf "%.1f", $1 / 1e6}')"   # also warms the page cache
  LOAD_AT_START="$(cut -d' ' -f1 /proc/loadavg)"
  WHEN="$(date -Is)"
  RUN="$WORK/run-$NAME"
  rm -rf "$RUN"; mkdir -p "$RUN"; chmod 755 "$RUN"
  echo
  echo "== $NAME: $DOCS passages, $IN_MB MB, load average $(cut -d' ' -f1-3 /proc/loadavg)"

  # ---- kb: indexing, in-process queries, HTTP
  if engine_on kb; then
    echo "  kb-indexer…"
    load_kb "$BUILD/kb-indexer" "$RUN/kb-index" "$RUN/kb" "${KB_EXTRA[@]}" "$CORPUS"
    [ "$KB_RC" = 2 ] && echo "  warning: kb-indexer skipped some records (exit 2): $(tail -n 3 "$RUN/kb.out")"
    kb_secs=$LOAD_SECS kb_cpu=$LOAD_CPU kb_rss=$LOAD_RSS kb_size=$LOAD_SIZE
    echo "    ${kb_secs} s, peak RSS $(mib "$kb_rss") MiB, $(mibb "$kb_size") MiB"
    q50=- q99=- q99_plain=- h1_50=- h1_99=- h16_50=- h16_99=- h16_rps=- hy99=-
    if [ "$QUERY" = 1 ]; then
      echo "  kb in-process queries (search_bench)…"
      "$BUILD/search_bench" --index "$RUN/kb-index" --queries "$QUERIES" --max "$NQUERIES" --tsv \
        > "$RUN/search_bench.tsv" 2> "$RUN/search_bench.err"
      IFS=$'\t' read -r _ q50 _ q99 _ < <(grep '^lexical + facet counts' "$RUN/search_bench.tsv")
      IFS=$'\t' read -r _ _ _ q99_plain _ < <(grep '^lexical, no facets' "$RUN/search_bench.tsv")
      echo "    lexical + facets p50 $q50 ms, p99 $q99 ms (no facets: p99 $q99_plain ms)"

      "$BUILD/kb-search-server" --index "$RUN/kb-index" --port 0 --no-access-log --rate-limit 0 \
        > "$RUN/server.out" 2>&1 &
      SERVER_PID=$!
      for _ in $(seq 600); do grep -q "http://" "$RUN/server.out" 2>/dev/null && break; sleep 0.1; done
      URL="$(grep -o 'http://[0-9.]*:[0-9]*' "$RUN/server.out")" || { cat "$RUN/server.out" >&2; die "server did not start"; }
      "$PYTHON" "$ROOT/bench/wrk_paths.py" "$QUERIES" "$RUN/facets.lua" "&facets=true" "$NQUERIES"
      echo "  kb over HTTP (wrk, facets on, ${SECONDS_EACH} s each)…"
      wrk_run "$RUN/facets.lua" 1;  h1_50=$W_P50 h1_99=$W_P99
      wrk_run "$RUN/facets.lua" 16; h16_50=$W_P50 h16_99=$W_P99 h16_rps=$W_RPS
      echo "    1 connection p50 $h1_50 ms, p99 $h1_99 ms; 16 connections p50 $h16_50 ms, p99 $h16_99 ms, $h16_rps req/s"
      hybrid_status="$(curl -s -o /dev/null -w '%{http_code}' "$URL/search?q=eau&mode=hybrid")"
      if [ "$hybrid_status" = 200 ]; then
        "$PYTHON" "$ROOT/bench/wrk_paths.py" "$QUERIES" "$RUN/hybrid.lua" "&facets=true&mode=hybrid" "$NQUERIES"
        wrk_run "$RUN/hybrid.lua" 1; hy99=$W_P99
        echo "    hybrid (HTTP, 1 connection) p50 $W_P50 ms, p99 $hy99 ms"
      else
        hy99="n/a"
        echo "    hybrid: n/a (no vectors yet: mode=hybrid answered $hybrid_status)"
      fi
      kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
    fi
    row kb "$kb_secs" "$kb_cpu" "$(mib "$kb_rss")" "$(mibb "$kb_size")" "$q50" "$q99" \
      "$h1_50" "$h1_99" "$h16_50" "$h16_99" "$h16_rps" "$hy99" "$LOAD_AT_START" "$WHEN" "$q99_plain"
    [ "$KEEP_INDEXES" = 1 ] || rm -rf "$RUN/kb-index"
  fi

  # ---- SQLite FTS5
  if engine_on sqlite; then
    echo "  SQLite FTS5…"
    load_sqlite "$RUN/fts5.db" "$RUN/sqlite" "${FILES[@]}"
    echo "    $SQLITE_ROWS rows, ${LOAD_SECS} s, peak RSS $(mib "$LOAD_RSS") MiB, $(mibb "$LOAD_SIZE") MiB"
    peer_queries_and_row "SQLite FTS5" sqlite "$RUN/fts5.db" "$QUERIES" "$STOPWORDS"
    [ "$KEEP_INDEXES" = 1 ] || rm -f "$RUN"/fts5.db*
  fi

  # ---- PostgreSQL 15
  if engine_on pg; then
    echo "  PostgreSQL 15…"
    pg_start "$RUN/pg" "$PGPORT"
    load_pg "$PGPORT" "$RUN/pgload" "${FILES[@]}"
    echo "    $PG_ROWS rows, ${LOAD_SECS} s, backend peak RSS $(mib "$LOAD_RSS") MiB, $(mibb "$LOAD_SIZE") MiB"
    peer_queries_and_row "PostgreSQL 15" pg "$RUN/pg/sock" "$PGPORT" "$QUERIES"
    pg_stop
    [ "$KEEP_INDEXES" = 1 ] || rm -rf "$RUN/pg"
  fi

  # ---- Sphinx 2.2.11: indexer, then searchd for the queries
  if engine_on sphinx; then
    echo "  Sphinx…"
    load_sphinx "$RUN/sphinx" "$RUN/sphinxload" "${FILES[@]}"
    echo "    $SPHINX_DOCS documents, ${LOAD_SECS} s, indexer peak RSS $(mib "$LOAD_RSS") MiB, $(mibb "$LOAD_SIZE") MiB"
    if [ "$QUERY" = 1 ]; then sphinx_start "$RUN/sphinx"; fi
    peer_queries_and_row "Sphinx 2.2.11" sphinx "$SPHINX_PORT" "$QUERIES"
    sphinx_stop
    [ "$KEEP_INDEXES" = 1 ] || rm -rf "$RUN/sphinx"
  fi

  # After each size, so a long run that is stopped keeps the sizes it finished.
  echo
  "$PYTHON" "$HERE/report.py" "$ROWS" "$HERE"
done

echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores: other jobs skew timings, read them as upper bounds."
