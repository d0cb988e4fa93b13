#!/usr/bin/env bash
# Indexing benchmark: kb-indexer (Xapian + ICU French chain) vs a bare Xapian loop vs SQLite FTS5
# vs PostgreSQL 15 full-text search vs Sphinx 2.2.11, side by side on the same JSONL corpus, in
# one run.
#
# Usage: bench/ingest_bench.sh [DATASET_DIR] [BUILD_DIR]
#   DATASET_DIR  folder of .jsonl files (id, title, text), default
#                <repo>/../shared/datasets/legi-codes-fr/docs (60 files, 45,627 articles, 47.6 MB)
#                kb-indexer is given the folder itself, so it should hold only .jsonl files.
#   BUILD_DIR    where kb-indexer and xapian_bare_index are, default <repo>/build
#                (cmake --build build --target kb-indexer xapian_bare_index -j2)
# Environment: PYTHON (default python3; must have sqlite3 with FTS5), KEEP=1 keeps the temp dir,
#              VECTORS=1 lets kb-indexer build its vectors too,
#              TMPDIR (where the indexes and the throwaway PostgreSQL cluster go; needs ~0.5 GB).
# Needs root for apt-get the first time (time, sqlite3, postgresql-15, sphinxsearch).
#
# What is timed (wall clock, each engine's whole pipeline, JSON parsing included):
#   kb-indexer  `kb-indexer --quiet --no-vectors --index=<fresh dir> DATASET_DIR` (one run, one
#               transaction; both cores: analysis threads and two writer threads whose
#               databases are merged at the end). The peers index text only, so vectors are
#               off; VECTORS=1 includes kb-indexer's fastText training and embedding (on 47 MB
#               that is most of the run: ~150 s).
#   Xapian bare loop  `xapian_bare_index <fresh dir> FILE...` (bench/xapian_bare_index.cpp), the
#               issue's reference: RapidJSON + Xapian::TermGenerator with Xapian::Stem("french")
#               (STEM_SOME), title with prefix S and unprefixed, text, Q<id>, text as document
#               data; one thread, one transaction, no ICU, no kb_core. What Xapian alone costs.
#   SQLite      python3 (json + sqlite3): CREATE VIRTUAL TABLE fts5(id UNINDEXED, title, text,
#               tokenize='unicode61 remove_diacritics 2'), all rows in one transaction, on disk
#   PostgreSQL  python3 turns the JSONL into a COPY text stream piped into psql: BEGIN; COPY;
#               CREATE INDEX ... USING GIN (tsv); COMMIT. The table (generated stored tsvector
#               column with a french+unaccent configuration) is created untimed beforehand.
#               Server settings are the initdb defaults (shared_buffers 128MB,
#               maintenance_work_mem 64MB, fsync on).
#   Sphinx      `indexer --all` on a generated config (bench/ingest_bench/sphinx_source.py): a
#               tsvpipe source whose command, a python3 script run by indexer, turns the JSONL
#               into TSV (records numbered, the string id kept as attribute doc_id); plain index,
#               fields title and text, accents folded by charset_table, libstemmer_french,
#               Snowball stop words, min_word_len 1; other settings default (mem_limit 128M).
# Peak RSS: GNU time (max RSS of the process tree) for kb-indexer, the bare loop, SQLite and
#   Sphinx (indexer, or its python3 converter if larger);
#   for PostgreSQL, the server backend's VmHWM read from /proc/self/status by the loading
#   session itself (it counts the shared_buffers pages that backend touched).
# CPU s: user + system seconds (PostgreSQL: client + backend /proc/self/stat).
# Index size: du -sb of the index dir / database file (Sphinx: the index files); for PostgreSQL
#   pg_total_relation_size('docs') (heap + TOAST + primary key + GIN, after CHECKPOINT), and
#   du -sb of the whole cluster (catalogs + WAL) on a separate line.
# Note: SQLite FTS5 and PostgreSQL also store the full text (FTS5 content table / heap), and so
#   does the bare loop (document data); Sphinx 2.2 keeps only the inverted index and the id
#   attribute. Compare sizes knowing what each engine keeps.

# shellcheck source=../scripts/script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/script_support.sh" ingest_bench
HERE="$ROOT/bench/ingest_bench"
DATASET="${1:-$ROOT/../shared/datasets/legi-codes-fr/docs}"
BUILD="${2:-$ROOT/build}"
PGPORT=54329
# shellcheck source=ingest_bench/engines.sh
. "$HERE/engines.sh"

[ -d "$DATASET" ] || die "no dataset folder $DATASET"
DATASET="$(cd "$DATASET" && pwd)"
need_programs "$BUILD" kb-indexer xapian_bare_index
KB="$BUILD/kb-indexer"
XBARE="$BUILD/xapian_bare_index"

ingest_deps
sphinx_deps
KB_VECTORS_OPT=(--no-vectors)
[ "${VECTORS:-0}" = 1 ] && KB_VECTORS_OPT=()

# ---------------------------------------------------------------- temp dir, cleanup
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ingest_bench.XXXXXX")"
chmod 755 "$WORK"
cleanup() {
  local rc=$?
  pg_stop
  sphinx_stop
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- input
mapfile -t FILES < <(find "$DATASET" -maxdepth 1 -type f -name '*.jsonl' | LC_ALL=C sort)
[ "${#FILES[@]}" -gt 0 ] || die "no .jsonl file in $DATASET"
IN_BYTES="$(cat "${FILES[@]}" | wc -c)"   # also warms the page cache for every engine
DOCS="$(cat "${FILES[@]}" | grep -c '[^[:space:]]' || true)"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

echo "ingest_bench: ${#FILES[@]} files, $DOCS documents, $IN_BYTES bytes ($(awk -v b="$IN_BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB) from $DATASET"
echo "  repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)'), kb-indexer built $(date -r "$KB" '+%F %T'), xapian_bare_index $(date -r "$XBARE" '+%F %T')"
echo "  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; SQLite $("$PYTHON" -c 'import sqlite3; print(sqlite3.sqlite_version)') via $PYTHON; $("$PGBIN/postgres" --version); $(indexer 2>&1 | head -n 1)"
echo "  timings cover each engine's whole pipeline, JSON parsing included; temp dir $WORK"
echo

# ---------------------------------------------------------------- 1. kb-indexer
echo "[1/5] kb-indexer…"
load_kb "$KB" "$WORK/kb-index" "$WORK/kb" "${KB_VECTORS_OPT[@]}" "$DATASET"
[ "$KB_RC" = 2 ] && echo "  warning: kb-indexer skipped some sources (exit 2)"
sed 's/^/  kb-indexer: /' "$WORK/kb.out" | tail -n 3
printf 'kb-indexer\t%s\t%s\t%s\t%s\t\n' "$LOAD_SECS" "$LOAD_CPU" "$LOAD_RSS" "$LOAD_SIZE" >> "$RESULTS"

# ---------------------------------------------------------------- 2. bare Xapian loop
echo "[2/5] bare Xapian loop…"
load_xapian_bare "$XBARE" "$WORK/xapian-bare" "$WORK/xbare" "${FILES[@]}"
echo "  Xapian bare loop: $XAPIAN_BARE_DOCS documents"
[ "$XAPIAN_BARE_DOCS" = "$DOCS" ] || echo "  warning: the bare loop indexed $XAPIAN_BARE_DOCS documents, the input has $DOCS"
printf 'Xapian bare loop (1 thread)\t%s\t%s\t%s\t%s\t\n' "$LOAD_SECS" "$LOAD_CPU" "$LOAD_RSS" "$LOAD_SIZE" >> "$RESULTS"

# ---------------------------------------------------------------- 3. SQLite FTS5
echo "[3/5] SQLite FTS5…"
load_sqlite "$WORK/fts5.db" "$WORK/sqlite" "${FILES[@]}"
echo "  SQLite: $SQLITE_ROWS rows"
printf 'SQLite FTS5\t%s\t%s\t%s\t%s\t\n' "$LOAD_SECS" "$LOAD_CPU" "$LOAD_RSS" "$LOAD_SIZE" >> "$RESULTS"

# ---------------------------------------------------------------- 4. PostgreSQL
echo "[4/5] PostgreSQL…"
pg_start "$WORK/pg" "$PGPORT"
load_pg "$PGPORT" "$WORK/pg" "${FILES[@]}"
pg_cluster="$PG_CLUSTER_BYTES"
echo "  PostgreSQL: $PG_ROWS rows; client side (python3 + psql): peak RSS $(( PG_CLIENT_RSS / 1024 )) MiB, CPU ${PG_CLIENT_CPU} s"
printf 'PostgreSQL 15 FTS+GIN\t%s\t%s\t%s\t%s\t (backend)\n' "$LOAD_SECS" "$LOAD_CPU" "$LOAD_RSS" "$LOAD_SIZE" >> "$RESULTS"
pg_stop

# ---------------------------------------------------------------- 5. Sphinx
echo "[5/5] Sphinx…"
load_sphinx "$WORK/sphinx" "$WORK/sphinxload" "${FILES[@]}"
echo "  Sphinx: $SPHINX_DOCS documents"
[ "$SPHINX_DOCS" = "$DOCS" ] || echo "  warning: Sphinx indexed $SPHINX_DOCS documents, the input has $DOCS"
printf 'Sphinx 2.2.11\t%s\t%s\t%s\t%s\t\n' "$LOAD_SECS" "$LOAD_CPU" "$LOAD_RSS" "$LOAD_SIZE" >> "$RESULTS"

# ---------------------------------------------------------------- report
echo
"$PYTHON" "$HERE/report.py" "$RESULTS" "$DOCS" "$IN_BYTES"
echo
echo "PostgreSQL index size = pg_total_relation_size('docs') (heap with title/body/tsvector, TOAST, pkey, GIN);"
echo "  the whole throwaway cluster (catalogs, WAL) was $(awk -v b="$pg_cluster" 'BEGIN{printf "%.1f", b/1048576}') MiB (du -sb)."
echo "MB/s = input JSONL bytes / 10^6 / wall seconds; docs/s = $DOCS input records / wall seconds."
echo "CPU s = user + system seconds (GNU time; for PostgreSQL python3 + psql + the backend, not the"
echo "  background writer/checkpointer): less sensitive than wall time to other jobs on the machine."
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs on this $(nproc)-core machine skew timings)."
