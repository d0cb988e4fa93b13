#!/usr/bin/env bash
# Indexing benchmark: kb-indexer (Xapian + ICU French chain) vs SQLite FTS5 vs PostgreSQL 15
# full-text search, side by side on the same JSONL corpus, in one run.
#
# Usage: bench/ingest_bench.sh [DATASET_DIR] [BUILD_DIR]
#   DATASET_DIR  folder of .jsonl files (id, title, text), default
#                <repo>/../shared/datasets/legi-codes-fr/docs (60 files, 45,627 articles, 47.6 MB)
#                kb-indexer is given the folder itself, so it should hold only .jsonl files.
#   BUILD_DIR    where kb-indexer is, default <repo>/build
#                (cmake --build build --target kb-indexer -j2)
# Environment: PYTHON (default python3; must have sqlite3 with FTS5), KEEP=1 keeps the temp dir,
#              TMPDIR (where the indexes and the throwaway PostgreSQL cluster go; needs ~0.5 GB).
#
# What is timed (wall clock, each engine's whole pipeline, JSON parsing included):
#   kb-indexer  `kb-indexer --quiet --index=<fresh dir> DATASET_DIR` (one run, one transaction)
#   SQLite      python3 (json + sqlite3): CREATE VIRTUAL TABLE fts5(id UNINDEXED, title, text,
#               tokenize='unicode61 remove_diacritics 2'), all rows in one transaction, on disk
#   PostgreSQL  python3 turns the JSONL into a COPY text stream piped into psql: BEGIN; COPY;
#               CREATE INDEX ... USING GIN (tsv); COMMIT. The table (generated stored tsvector
#               column with a french+unaccent configuration) is created untimed beforehand.
#               Server settings are the initdb defaults (shared_buffers 128MB,
#               maintenance_work_mem 64MB, fsync on).
# Peak RSS: GNU time (max RSS of the process tree) for kb-indexer and SQLite (in-process);
#   for PostgreSQL, the server backend's VmHWM read from /proc/self/status by the loading
#   session itself (it counts the shared_buffers pages that backend touched).
# CPU s: user + system seconds (PostgreSQL: client + backend /proc/self/stat).
# Index size: du -sb of the index dir / database file; for PostgreSQL
#   pg_total_relation_size('docs') (heap + TOAST + primary key + GIN, after CHECKPOINT), and
#   du -sb of the whole cluster (catalogs + WAL) on a separate line.
# Note: SQLite FTS5 and PostgreSQL also store the full text (FTS5 content table / heap);
#   compare sizes knowing what each engine keeps.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="$ROOT/bench/ingest_bench"
DATASET="${1:-$ROOT/../shared/datasets/legi-codes-fr/docs}"
BUILD="${2:-$ROOT/build}"
PYTHON="${PYTHON:-python3}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGPORT=54329

die() { echo "ingest_bench: $*" >&2; exit 1; }
[ -d "$DATASET" ] || die "no dataset folder $DATASET"
DATASET="$(cd "$DATASET" && pwd)"
KB="$BUILD/kb-indexer"
[ -x "$KB" ] || die "no $KB (cmake --build $BUILD --target kb-indexer -j2)"

# ---------------------------------------------------------------- dependencies (apt-get, idempotent)
APT_UPDATED=0
apt_install() {
  [ "$(id -u)" = 0 ] || die "missing packages ($*) and not root: install them with apt-get"
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/time ] || apt_install time
command -v sqlite3 >/dev/null || apt_install sqlite3
if [ ! -x "$PGBIN/initdb" ]; then
  apt_install postgresql-15 || die "could not install postgresql-15"
fi
if [ ! -f /usr/share/postgresql/15/extension/unaccent.control ]; then
  apt_install postgresql-contrib-15 2>/dev/null || apt_install postgresql-contrib
fi
has_fts5() { "$1" -c "import sqlite3; sqlite3.connect(':memory:').execute('CREATE VIRTUAL TABLE t USING fts5(a)')" 2>/dev/null; }
if ! has_fts5 "$PYTHON"; then
  if has_fts5 /usr/bin/python3; then PYTHON=/usr/bin/python3
  else apt_install python3; has_fts5 /usr/bin/python3 || die "no python3 with SQLite FTS5"; PYTHON=/usr/bin/python3; fi
fi

# PostgreSQL refuses to run as root: use the postgres system user, or create kbbench.
if [ "$(id -u)" = 0 ]; then
  if id postgres >/dev/null 2>&1; then PGUSER_OS=postgres
  else id kbbench >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin kbbench; PGUSER_OS=kbbench; fi
  as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
else
  PGUSER_OS="$(id -un)"
  as_pg() { "$@"; }
fi

# ---------------------------------------------------------------- temp dir, cleanup
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ingest_bench.XXXXXX")"
chmod 755 "$WORK"
PG_STARTED=0
cleanup() {
  local rc=$?
  if [ "$PG_STARTED" = 1 ]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 \
      || as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
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

now() { date +%s.%N; }
elapsed() { "$PYTHON" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
maxrss() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
# user + system CPU seconds of the process tree, from a GNU time -v report
cpusecs() { awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$1"; }

echo "ingest_bench: ${#FILES[@]} files, $DOCS documents, $IN_BYTES bytes ($(awk -v b="$IN_BYTES" 'BEGIN{printf "%.1f", b/1e6}') MB) from $DATASET"
echo "  repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)'), kb-indexer built $(date -r "$KB" '+%F %T')"
echo "  $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; SQLite $("$PYTHON" -c 'import sqlite3; print(sqlite3.sqlite_version)') via $PYTHON; $("$PGBIN/postgres" --version)"
echo "  timings cover each engine's whole pipeline, JSON parsing included; temp dir $WORK"
echo

# ---------------------------------------------------------------- 1. kb-indexer
echo "[1/3] kb-indexer…"
sync
t0="$(now)"
set +e
/usr/bin/time -v -o "$WORK/kb.time" "$KB" --quiet --index="$WORK/kb-index" "$DATASET" > "$WORK/kb.out" 2>&1
kb_rc=$?
set -e
t1="$(now)"
if [ "$kb_rc" != 0 ] && [ "$kb_rc" != 2 ]; then cat "$WORK/kb.out" >&2; die "kb-indexer failed ($kb_rc)"; fi
[ "$kb_rc" = 2 ] && echo "  warning: kb-indexer skipped some sources (exit 2)"
sed 's/^/  kb-indexer: /' "$WORK/kb.out" | tail -n 3
printf 'kb-indexer\t%s\t%s\t%s\t%s\t\n' "$(elapsed "$t0" "$t1")" "$(cpusecs "$WORK/kb.time")" "$(maxrss "$WORK/kb.time")" \
  "$(du -sb "$WORK/kb-index" | cut -f1)" >> "$RESULTS"

# ---------------------------------------------------------------- 2. SQLite FTS5
echo "[2/3] SQLite FTS5…"
sync
t0="$(now)"
/usr/bin/time -v -o "$WORK/sqlite.time" "$PYTHON" "$HERE/sqlite_fts5_load.py" "$WORK/fts5.db" "${FILES[@]}" > "$WORK/sqlite.out"
t1="$(now)"
echo "  SQLite: $(cat "$WORK/sqlite.out") rows"
sqlite_size=0
for f in "$WORK"/fts5.db*; do sqlite_size=$((sqlite_size + $(du -sb "$f" | cut -f1))); done
printf 'SQLite FTS5\t%s\t%s\t%s\t%s\t\n' "$(elapsed "$t0" "$t1")" "$(cpusecs "$WORK/sqlite.time")" "$(maxrss "$WORK/sqlite.time")" \
  "$sqlite_size" >> "$RESULTS"

# ---------------------------------------------------------------- 3. PostgreSQL
echo "[3/3] PostgreSQL…"
mkdir -p "$WORK/pg/sock"
chown -R "$PGUSER_OS" "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$WORK/pg/initdb.log" 2>&1 \
  || { cat "$WORK/pg/initdb.log" >&2; die "initdb failed"; }
cat >> "$WORK/pg/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$WORK/pg/sock'
port = $PGPORT
EOF
PG_STARTED=1
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w start > /dev/null \
  || { cat "$WORK/pg/server.log" >&2; die "PostgreSQL did not start"; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$WORK/pg/sock" -p "$PGPORT" -U postgres -d postgres)
"${PSQL[@]}" -f "$HERE/pg_setup.sql"
sync
"${PSQL[@]}" -c CHECKPOINT
t0="$(now)"
/usr/bin/time -v -o "$WORK/pg.time" bash -c 'set -o pipefail; "$0" "$1/pg_copy_stream.py" "${@:3}" | psql -X -q -v ON_ERROR_STOP=1 -h "$2/pg/sock" -p '"$PGPORT"' -U postgres -d postgres -At -f -' \
  "$PYTHON" "$HERE" "$WORK" "${FILES[@]}" > "$WORK/pg.out"
t1="$(now)"
pg_rss="$(sed -n 's/^backend_VmHWM_kB //p' "$WORK/pg.out")"
[ -n "$pg_rss" ] || pg_rss=n/a
pg_ticks="$(sed -n 's/^backend_cpu_ticks //p' "$WORK/pg.out")"
pg_client_cpu="$(cpusecs "$WORK/pg.time")"
pg_cpu="$(awk -v c="$pg_client_cpu" -v t="${pg_ticks:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", c + t / hz}')"
"${PSQL[@]}" -c CHECKPOINT
read -r pg_rows pg_size < <("${PSQL[@]}" -At -F ' ' -c "SELECT count(*), pg_total_relation_size('docs') FROM docs")
pg_cluster="$(du -sb "$WORK/pg/data" | cut -f1)"
echo "  PostgreSQL: $pg_rows rows; client side (python3 + psql): peak RSS $(( $(maxrss "$WORK/pg.time") / 1024 )) MiB, CPU ${pg_client_cpu} s"
printf 'PostgreSQL 15 FTS+GIN\t%s\t%s\t%s\t%s\t (backend)\n' "$(elapsed "$t0" "$t1")" "$pg_cpu" "$pg_rss" "$pg_size" >> "$RESULTS"
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop > /dev/null && PG_STARTED=0

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
