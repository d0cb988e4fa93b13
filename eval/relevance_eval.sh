#!/usr/bin/env bash
# Relevance evaluation (./kb eval runs it): indexes PIAF, the legi-codes articles and corpus/
# with kb-indexer, loads the same records into SQLite FTS5 and PostgreSQL 15, and prints one
# table (build/relevance_eval). See eval/README.md.
#
# Usage: eval/relevance_eval.sh [--quick] [--modes lexical[,hybrid…]] [--no-tune] [--dev]
#                               [--sets piaf,legi,concept] [--piaf DIR] [--legi DIR] [BUILD_DIR]
#   --quick     1,000 test queries per shared set and a smaller tuning grid (development)
#   --dev       report on the training halves, without the peers (which only ran test queries)
#   --try S     one more Passerelle row with RankingParams S ("k1=0.7;exact_boost=1"), repeatable
#   --list FILE per-question ranks of the concept set's training questions (with --dev)
#   --sets      which sets to run: piaf,legi,concept (default all three); concept alone is seconds
#   --modes     the search modes to evaluate (passed to SearchRequest; default lexical)
# Work dir: BUILD_DIR/eval-work (indexes keyed by dataset + kb-indexer binary, FTS5 databases,
# a private PostgreSQL cluster on a Unix socket, peer runs keyed by documents + queries), so a
# second run only re-runs the searches. Progress goes to stderr, the table to stdout.

# shellcheck source=../scripts/script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/script_support.sh" eval
PIAF="$ROOT/../shared/datasets/piaf-fr"
LEGI="$ROOT/../shared/datasets/legi-codes-fr"
BUILD="${KB_BUILD_DIR:-$ROOT/build}"
PASS=()
DEV=0
while (($#)); do
  case "$1" in
    --quick|--no-tune) PASS+=("$1"); shift ;;
    --dev) PASS+=("$1"); DEV=1; shift ;;
    --modes) PASS+=("$1" "${2:?--modes needs a value}"); shift 2 ;;
    --modes=*) PASS+=(--modes "${1#*=}"); shift ;;
    --try) PASS+=("$1" "${2:?--try needs a value}"); shift 2 ;;
    --list) PASS+=("$1" "${2:?--list needs a file}"); shift 2 ;;
    --sets) WANT="${2:?--sets needs a value}"; shift 2 ;;
    --sets=*) WANT="${1#*=}"; shift ;;
    --piaf) PIAF="${2:?}"; shift 2 ;;
    --legi) LEGI="${2:?}"; shift 2 ;;
    -*) echo "relevance_eval.sh: unknown option $1" >&2; exit 64 ;;
    *) BUILD="$1"; shift ;;
  esac
done
PYTHON=/usr/bin/python3
PGBIN=/usr/lib/postgresql/15/bin
PGPORT=54331
WORK="$BUILD/eval-work"
# shellcheck source=../bench/ingest_bench/engines.sh
. "$ROOT/bench/ingest_bench/engines.sh"   # pg_initdb; apt_install is redefined below
log() { echo "eval: $*" >&2; }
WANT="${WANT:-piaf,legi,concept}"
wants() { case ",$WANT," in *",$1,"*) return 0 ;; esac; return 1; }
! wants piaf || [ -d "$PIAF" ] || die "no PIAF dataset at $PIAF (--piaf DIR)"
! wants legi || [ -d "$LEGI" ] || die "no legi-codes dataset at $LEGI (--legi DIR)"
need_programs "$BUILD" kb-indexer relevance_eval

# ---- the peers' Debian packages (as bench/ingest_bench.sh installs them) --------------------
apt_install() {
  [ "$(id -u)" = 0 ] || die "missing packages ($*) and not root: apt-get install $*"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
"$PYTHON" -c "import sqlite3; sqlite3.connect(':memory:').execute('CREATE VIRTUAL TABLE t USING fts5(a)')" 2>/dev/null \
  || apt_install python3
[ -x "$PGBIN/initdb" ] || apt_install postgresql-15
[ -f /usr/share/postgresql/15/extension/unaccent.control ] || apt_install postgresql-contrib-15 || apt_install postgresql-contrib

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"

# ---- indexes, cached by dataset files + kb-indexer binary -----------------------------------
INDEXER_HASH="$(sha1sum "$BUILD/kb-indexer" | cut -c1-10)"
# index KEY SOURCE... : prints the index path, building it when the cache has none.
index() {
  local key=$1; shift
  local digest
  digest="$( (echo "$INDEXER_HASH"; find "$@" -type f -printf '%P %s %T@\n' | LC_ALL=C sort) | sha1sum | cut -c1-10)"
  local dir="$WORK/$key-$digest"
  if [ ! -f "$dir/done" ]; then
    rm -rf "$dir" "$WORK/$key".*.jsonl
    find "$WORK" -maxdepth 1 -name "$key-*" -type d -exec rm -rf {} +   # stale versions
    log "indexing $key ($*)…"
    local t0=$SECONDS status=0
    "$BUILD/kb-indexer" --quiet --index "$dir/index" "$@" >&2 || status=$?
    [ "$status" = 0 ] || [ "$status" = 2 ] || die "kb-indexer failed on $key ($status)"
    log "indexed $key in $((SECONDS - t0)) s"
    touch "$dir/done"
  fi
  echo "$dir/index"
}
SETS=()
if wants piaf; then PIAF_INDEX="$(index piaf "$PIAF/corpus.jsonl")"; SETS+=(--piaf "$PIAF" --piaf-index "$PIAF_INDEX"); fi
if wants legi; then LEGI_INDEX="$(index legi "$LEGI/docs")"; SETS+=(--legi "$LEGI" --legi-index "$LEGI_INDEX"); fi
if wants concept; then
  CONCEPTS_INDEX="$(index concepts "$ROOT/corpus")"
  SETS+=(--concepts "$ROOT/eval/data/concept_questions.jsonl" --concepts-index "$CONCEPTS_INDEX")
fi
[ ${#SETS[@]} -gt 0 ] || die "--sets: none of piaf, legi, concept in '$WANT'"

# Exploring on the training halves needs neither the export nor the peers.
if [ "$DEV" = 1 ]; then
  exec "$BUILD/relevance_eval" --work "$WORK" "${SETS[@]}" "${PASS[@]}"
fi

# ---- the peers, on the records and test queries the harness exports --------------------------
"$BUILD/relevance_eval" --export --work "$WORK" "${SETS[@]}" "${PASS[@]}"
KEYS=()
wants piaf && KEYS+=(piaf)
wants legi && KEYS+=(legi)
wants concept && KEYS+=(concepts)
# fresh KEY SYSTEM: true when the run file matches the current documents and queries.
fresh() {
  local d; d="$(cat "$WORK/$1.docs.jsonl" "$WORK/$1.queries.tsv" | sha1sum | cut -c1-16)"
  DIGEST=$d
  [ -f "$WORK/$1.$2.run" ] && [ "$(cat "$WORK/$1.$2.digest" 2>/dev/null)" = "$d" ]
}
for key in "${KEYS[@]}"; do
  if ! fresh "$key" sqlite; then
    log "SQLite FTS5: $key…"
    "$PYTHON" "$ROOT/eval/peers.py" sqlite "$WORK" "$key" "$ROOT/stopwords-fr/snowball-french.txt"
    echo "$DIGEST" > "$WORK/$key.sqlite.digest"
  fi
done

# PostgreSQL refuses to run as root: the postgres system user owns the private cluster.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin postgres
  as_pg() { runuser -u postgres -- "$@"; }
  PGOWNER=postgres
else
  as_pg() { "$@"; }
  PGOWNER="$(id -un)"
fi
PGDIR="$WORK/pg"
PG_STARTED=0
stop_pg() {
  if [ "$PG_STARTED" = 1 ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true; fi
}
trap stop_pg EXIT
need_pg=0
for key in "${KEYS[@]}"; do fresh "$key" pg || need_pg=1; done
if [ "$need_pg" = 1 ]; then
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    rm -rf "$PGDIR"
    chmod 755 "$WORK"
    pg_initdb "$PGDIR" "$PGPORT" "$PGOWNER"
  fi
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$PGDIR/sock" -p "$PGPORT" -U postgres -d postgres)
  if ! "${PSQL[@]}" -c 'SELECT 1' >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w start >/dev/null \
      || { cat "$PGDIR/server.log" >&2; die "PostgreSQL did not start"; }
    PG_STARTED=1
  fi
  # French stemming + unaccent, as bench/ingest_bench/pg_setup.sql sets it up.
  "${PSQL[@]}" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
SQL
  for key in "${KEYS[@]}"; do
    fresh "$key" pg && continue
    log "PostgreSQL: $key…"
    table="$("$PYTHON" "$ROOT/eval/peers.py" pg-table "$WORK" "$key")"
    load=1
    [ "$("${PSQL[@]}" -At -c "SELECT to_regclass('$table') IS NOT NULL")" = t ] && load=0
    "$PYTHON" "$ROOT/eval/peers.py" pg-script "$WORK" "$key" "$load" | "${PSQL[@]}" -At -f - > "$WORK/$key.pg.run.tmp"
    mv "$WORK/$key.pg.run.tmp" "$WORK/$key.pg.run"
    echo "$DIGEST" > "$WORK/$key.pg.digest"
  done
  stop_pg; PG_STARTED=0
fi

# ---- Passerelle, tuning, the table ---------------------------------------------------------
"$BUILD/relevance_eval" --work "$WORK" "${SETS[@]}" "${PASS[@]}"
