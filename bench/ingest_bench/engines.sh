# Shared by bench/ingest_bench.sh and bench/scale/run.sh (source it, do not run it, after
# scripts/script_support.sh; the relevance evaluation uses pg_initdb):
# dependencies, the throwaway PostgreSQL cluster and Sphinx searchd, and the timed loads, so
# both benchmarks measure the engines the same way. What each load times is described in
# ingest_bench.sh.
#
# Before sourcing: PYTHON (default python3), PGBIN (default /usr/lib/postgresql/15/bin).
# The load_* functions set LOAD_SECS (wall), LOAD_CPU (user + system s), LOAD_RSS (peak RSS
# in kB, or n/a) and LOAD_SIZE (bytes on disk).

INGEST_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

APT_UPDATED=0
apt_install() {
  [ "$(id -u)" = 0 ] || die "missing packages ($*) and not root: install them with apt-get"
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# GNU time, sqlite3, PostgreSQL 15 with unaccent, a python3 with FTS5 (apt-get, idempotent);
# sets PYTHON, PGUSER_OS and as_pg (PostgreSQL refuses to run as root: use the postgres
# system user, or create kbbench).
ingest_deps() {
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
  if [ "$(id -u)" = 0 ]; then
    if id postgres >/dev/null 2>&1; then PGUSER_OS=postgres
    else id kbbench >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin kbbench; PGUSER_OS=kbbench; fi
    as_pg() { runuser -u "$PGUSER_OS" -- "$@"; }
  else
    PGUSER_OS="$(id -un)"
    as_pg() { "$@"; }
  fi
}

now() { date +%s.%N; }
elapsed() { "$PYTHON" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
maxrss() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
# user + system CPU seconds of the process tree, from a GNU time -v report
cpusecs() { awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {printf "%.2f", s}' "$1"; }

# timed_load INDEX_DIR LOG_PREFIX COMMAND...: runs COMMAND under GNU time (output in
# LOG_PREFIX.out, report in LOG_PREFIX.time) and sets LOAD_SECS, LOAD_CPU, LOAD_RSS, LOAD_SIZE
# (du of INDEX_DIR) and LOAD_RC (the command's exit status; the caller decides what is a failure).
timed_load() {
  local index=$1 log=$2; shift 2
  local t0 t1
  sync
  t0="$(now)"
  set +e
  /usr/bin/time -v -o "$log.time" "$@" > "$log.out" 2>&1
  LOAD_RC=$?
  set -e
  t1="$(now)"
  LOAD_SECS="$(elapsed "$t0" "$t1")" LOAD_CPU="$(cpusecs "$log.time")" LOAD_RSS="$(maxrss "$log.time")"
  LOAD_SIZE="$(du -sb "$index" 2>/dev/null | cut -f1)"
}

# load_kb KB_INDEXER INDEX_DIR LOG_PREFIX SOURCE...: a fresh index, one run, one transaction.
# Sets KB_RC to kb-indexer's exit status (0, or 2 when some sources were skipped); dies otherwise.
load_kb() {
  local kb=$1 index=$2 log=$3; shift 3
  timed_load "$index" "$log" "$kb" --quiet --index="$index" "$@"
  if [ "$LOAD_RC" != 0 ] && [ "$LOAD_RC" != 2 ]; then cat "$log.out" >&2; die "kb-indexer failed ($LOAD_RC)"; fi
  KB_RC=$LOAD_RC
}

# load_xapian_bare BIN INDEX_DIR LOG_PREFIX FILE.jsonl...: bench/xapian_bare_index (TermGenerator +
# French stemmer, one thread, one transaction, no ICU) into a fresh glass database.
# Sets XAPIAN_BARE_DOCS (the document count it prints).
load_xapian_bare() {
  local bin=$1 index=$2 log=$3; shift 3
  timed_load "$index" "$log" "$bin" "$index" "$@"
  if [ "$LOAD_RC" != 0 ]; then cat "$log.out" >&2; die "xapian_bare_index failed ($LOAD_RC)"; fi
  XAPIAN_BARE_DOCS="$(tail -n 1 "$log.out")"
}

# load_sqlite DB LOG_PREFIX FILE.jsonl...: python3 json + sqlite3 FTS5, one transaction, on disk.
# Sets SQLITE_ROWS.
load_sqlite() {
  local db=$1 log=$2; shift 2
  local t0 t1 f
  sync
  t0="$(now)"
  /usr/bin/time -v -o "$log.time" "$PYTHON" "$INGEST_HERE/sqlite_fts5_load.py" "$db" "$@" > "$log.out"
  t1="$(now)"
  LOAD_SECS="$(elapsed "$t0" "$t1")" LOAD_CPU="$(cpusecs "$log.time")" LOAD_RSS="$(maxrss "$log.time")"
  LOAD_SIZE=0
  for f in "$db"*; do LOAD_SIZE=$((LOAD_SIZE + $(du -sb "$f" | cut -f1))); done
  SQLITE_ROWS="$(cat "$log.out")"
}

# pg_initdb DIR PORT OWNER: a new cluster in DIR/data owned by OWNER, listening on a Unix socket
# in DIR/sock only (also used by eval/relevance_eval.sh, whose cluster persists). Needs as_pg.
pg_initdb() {
  local dir=$1 port=$2 owner=$3
  mkdir -p "$dir/sock"
  chown -R "$owner" "$dir"
  as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
port = $port
EOF
}

# pg_start DIR PORT: initdb a throwaway cluster in DIR/data (socket in DIR/sock, no TCP), start
# it, create the table (pg_setup.sql, untimed). Sets PSQL (an array) and PG_RUNNING_DIR.
pg_start() {
  local dir=$1 port=$2
  pg_initdb "$dir" "$port" "$PGUSER_OS"
  PG_RUNNING_DIR="$dir"
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start > /dev/null \
    || { cat "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres -d postgres)
  "${PSQL[@]}" -f "$INGEST_HERE/pg_setup.sql"
}

# pg_stop: stops the cluster pg_start started, if any (fast, else immediate). Safe in traps.
pg_stop() {
  [ -n "${PG_RUNNING_DIR:-}" ] || return 0
  as_pg "$PGBIN/pg_ctl" -D "$PG_RUNNING_DIR/data" -m fast -w stop >/dev/null 2>&1 \
    || as_pg "$PGBIN/pg_ctl" -D "$PG_RUNNING_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  PG_RUNNING_DIR=
}

# load_pg PORT LOG_PREFIX FILE.jsonl...: python3 -> COPY stream -> psql, GIN built in the same
# transaction (cluster from pg_start). LOAD_RSS is the backend's VmHWM, LOAD_CPU client +
# backend; LOAD_SIZE pg_total_relation_size('docs') after CHECKPOINT. Sets PG_ROWS,
# PG_CLIENT_RSS (kB), PG_CLIENT_CPU and PG_CLUSTER_BYTES (du -sb of the data directory).
load_pg() {
  local port=$1 log=$2; shift 2
  local t0 t1 ticks
  sync
  "${PSQL[@]}" -c CHECKPOINT
  t0="$(now)"
  /usr/bin/time -v -o "$log.time" bash -c 'set -o pipefail; "$0" "$1/pg_copy_stream.py" "${@:4}" | psql -X -q -v ON_ERROR_STOP=1 -h "$2/sock" -p "$3" -U postgres -d postgres -At -f -' \
    "$PYTHON" "$INGEST_HERE" "$PG_RUNNING_DIR" "$port" "$@" > "$log.out"
  t1="$(now)"
  LOAD_SECS="$(elapsed "$t0" "$t1")"
  LOAD_RSS="$(sed -n 's/^backend_VmHWM_kB //p' "$log.out")"
  [ -n "$LOAD_RSS" ] || LOAD_RSS=n/a
  ticks="$(sed -n 's/^backend_cpu_ticks //p' "$log.out")"
  PG_CLIENT_CPU="$(cpusecs "$log.time")" PG_CLIENT_RSS="$(maxrss "$log.time")"
  LOAD_CPU="$(awk -v c="$PG_CLIENT_CPU" -v t="${ticks:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", c + t / hz}')"
  "${PSQL[@]}" -c CHECKPOINT
  read -r PG_ROWS LOAD_SIZE < <("${PSQL[@]}" -At -F ' ' -c "SELECT count(*), pg_total_relation_size('docs') FROM docs")
  PG_CLUSTER_BYTES="$(du -sb "$PG_RUNNING_DIR/data" | cut -f1)"
}

# sphinx_deps: Sphinx 2.2.11 (Debian sphinxsearch: indexer, searchd).
sphinx_deps() {
  if ! command -v indexer >/dev/null || ! command -v searchd >/dev/null; then apt_install sphinxsearch; fi
}

# load_sphinx DIR LOG_PREFIX FILE.jsonl...: a fresh plain index DIR/index/passages built by
# `indexer --all` from a tsvpipe source (sphinx_source.py writes the config into DIR, untimed;
# its JSONL to TSV conversion runs as indexer's child and is timed with it). indexer does not
# reap that child, so GNU time on indexer misses it: LOAD_CPU adds the converter's own report
# (DIR/convert.time) and LOAD_RSS is the larger of the two peaks. LOAD_SIZE: du -sb DIR/index.
# Sets SPHINX_DOCS (indexer's "total N docs") and SPHINX_PORT (a free loopback port, for sphinx_start).
load_sphinx() {
  local dir=$1 log=$2; shift 2
  mkdir -p "$dir/index"
  printf '%s\n' "$@" > "$dir/files.txt"
  SPHINX_PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$PYTHON" "$INGEST_HERE/sphinx_source.py" conf "$dir" "$ROOT/stopwords-fr/snowball-french.txt" \
    "$SPHINX_PORT" > "$dir/sphinx.conf"
  timed_load "$dir/index" "$log" indexer --config "$dir/sphinx.conf" --all
  # indexer reports some source errors (a failed tsvpipe_command) on stdout and still exits 0
  if [ "$LOAD_RC" != 0 ] || grep -q '^ERROR' "$log.out"; then cat "$log.out" >&2; die "Sphinx indexer failed ($LOAD_RC)"; fi
  [ -s "$dir/convert.time" ] || die "no $dir/convert.time: the tsvpipe converter did not run"
  LOAD_CPU="$(awk -v a="$LOAD_CPU" -v b="$(cpusecs "$dir/convert.time")" 'BEGIN{printf "%.2f", a + b}')"
  LOAD_RSS="$(awk -v a="$LOAD_RSS" -v b="$(maxrss "$dir/convert.time")" 'BEGIN{print (a > b ? a : b)}')"
  SPHINX_DOCS="$(sed -n 's/^total \([0-9]*\) docs,.*/\1/p' "$log.out")"
}

# sphinx_start DIR: starts searchd (it daemonizes) on load_sphinx's config and index, and waits
# until it has loaded the index and accepts connections. Sets SPHINX_RUNNING_DIR.
sphinx_start() {
  local dir=$1
  searchd --config "$dir/sphinx.conf" > "$dir/searchd.out" 2>&1 \
    || { cat "$dir/searchd.out" >&2; die "searchd did not start"; }
  SPHINX_RUNNING_DIR="$dir"
  for _ in $(seq 600); do grep -q 'accepting connections' "$dir/searchd.log" 2>/dev/null && return 0; sleep 0.1; done
  cat "$dir/searchd.log" >&2; die "searchd is not accepting connections after 60 s"
}

# sphinx_stop: stops the searchd sphinx_start started, if any (--stopwait, else SIGTERM to its
# pid file). Safe in traps.
sphinx_stop() {
  [ -n "${SPHINX_RUNNING_DIR:-}" ] || return 0
  searchd --config "$SPHINX_RUNNING_DIR/sphinx.conf" --stopwait >/dev/null 2>&1 \
    || kill "$(cat "$SPHINX_RUNNING_DIR/searchd.pid" 2>/dev/null)" 2>/dev/null || true
  SPHINX_RUNNING_DIR=
}
