#!/usr/bin/env bash
# One corpus of bench/scale searched three ways: one database, N local shards, and the same N
# shards behind N xapian-tcpsrv on loopback (the aux database local, as the README's "Serving
# shards from other machines" says). In-process latency (search_bench) of each, the remote p99
# over the single database's, and whether every query's first page (ids and scores) is the same.
# bench/README.md ("Remote shards") has the figures.
#
# Usage: bench/scale/remote_shards.sh [--size 100k] [--shards 3] [--datasets DIR] [--work DIR]
#                                     [--build DIR] [--queries N]
#   --size      corpus size in passages (default 100k; 1M indexes twice for about an hour each)
#   --shards    number of shards (default 3)
#   --datasets  the shared datasets (default <repo>/../shared/datasets)
#   --work      corpora (shared with bench/scale/run.sh) and this run's indexes (default
#               $TMPDIR/kb-scale); the indexes are removed at the end
#   --build     where kb-indexer and search_bench are (default <repo>/build)
#   --queries   number of queries, half PIAF questions, half legal-code headings (default 500)
# Output: a table on stdout; rows appended to bench/scale/remote_shards.tsv.

# shellcheck source=../../scripts/script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/script_support.sh" "remote shards"
HERE="$ROOT/bench/scale"
SIZE=100k
SHARDS=3
DATASETS="$ROOT/../shared/datasets"
WORK="${TMPDIR:-/tmp}/kb-scale"
BUILD="$ROOT/build"
NQUERIES=500
while (($#)); do
  case "$1" in
    --size) SIZE="${2:?}"; shift 2 ;;
    --shards) SHARDS="${2:?}"; shift 2 ;;
    --datasets) DATASETS="${2:?}"; shift 2 ;;
    --work) WORK="${2:?}"; shift 2 ;;
    --build) BUILD="${2:?}"; shift 2 ;;
    --queries) NQUERIES="${2:?}"; shift 2 ;;
    --size=*|--shards=*|--datasets=*|--work=*|--build=*|--queries=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "remote shards: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
[[ "$SHARDS" =~ ^[1-9][0-9]?$ ]] || die "--shards takes 1 to 99, not '$SHARDS'"

PYTHON="${PYTHON:-/usr/bin/python3}"
# shellcheck source=../ingest_bench/engines.sh
. "$ROOT/bench/ingest_bench/engines.sh"
need_programs "$BUILD" kb-indexer search_bench
command -v xapian-tcpsrv >/dev/null || apt_install xapian-tools
[ -d "$DATASETS/legi-codes-fr/docs" ] || die "no legi-codes-fr under $DATASETS"

mkdir -p "$WORK"
RUN="$WORK/remote-shards.$$"
SERVERS=()
cleanup() {
  local rc=$?
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$PYTHON" "$HERE/build_corpus.py" --datasets "$DATASETS" --out "$WORK" --sizes "$SIZE" --queries "$NQUERIES"
NAME="$("$PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import build_corpus as b; print(b.size_name(b.parse_size(sys.argv[2])))' "$HERE" "$SIZE")"
CORPUS="$WORK/passages-$NAME"
QUERIES="$WORK/queries.jsonl"
mkdir -p "$RUN"
echo "remote shards: $NAME, $SHARDS shards, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -Is)"
echo "  repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)'); $(xapian-tcpsrv --version | head -n 1)"

echo "  kb-indexer, one database…"
load_kb "$BUILD/kb-indexer" "$RUN/single" "$RUN/single-index" --no-vectors "$CORPUS"
echo "    ${LOAD_SECS} s, peak RSS $(awk -v k="$LOAD_RSS" 'BEGIN{printf "%.1f", k / 1024}') MiB"
echo "  kb-indexer, --shards $SHARDS…"
load_kb "$BUILD/kb-indexer" "$RUN/sharded" "$RUN/sharded-index" --no-vectors --shards "$SHARDS" "$CORPUS"
echo "    ${LOAD_SECS} s, peak RSS $(awk -v k="$LOAD_RSS" 'BEGIN{printf "%.1f", k / 1024}') MiB"

# A free loopback port per shard, asked of the kernel (bind to port 0), then one xapian-tcpsrv each.
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
REMOTE=""
for ((k = 0; k < SHARDS; k++)); do
  port="$(free_port)"
  # A session of its own: xapian-tcpsrv signals its process group when it is stopped.
  setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet "$RUN/sharded/shard-$k" \
    > "$RUN/tcpsrv-$k.log" 2>&1 &
  SERVERS+=($!)
  for _ in $(seq 100); do
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "${SERVERS[-1]}" 2>/dev/null || { cat "$RUN/tcpsrv-$k.log" >&2; die "xapian-tcpsrv for shard-$k exited"; }
    sleep 0.1
  done
  REMOTE+="tcp:127.0.0.1:$port,"
done
REMOTE+="$RUN/sharded/aux"

# bench LAYOUT INDEX_SPEC: search_bench's faceted and unfaceted runs; sets P50 P99 PLAIN99.
bench() {
  local name=$1 spec=$2
  "$BUILD/search_bench" --index "$spec" --queries "$QUERIES" --max "$NQUERIES" --tsv \
    --ids "$RUN/$name.ids" > "$RUN/$name.tsv" 2> "$RUN/$name.err" \
    || { cat "$RUN/$name.err" >&2; die "search_bench failed on $name ($spec)"; }
  IFS=$'\t' read -r _ P50 _ P99 _ < <(grep '^lexical + facet counts' "$RUN/$name.tsv")
  IFS=$'\t' read -r _ _ _ PLAIN99 _ < <(grep '^lexical, no facets' "$RUN/$name.tsv")
}

ROWS="$HERE/remote_shards.tsv"
[ -s "$ROWS" ] || printf 'size\tlayout\tfaceted p50 ms\tfaceted p99 ms\tno-facets p99 ms\tp99 / single\tsame first page\tload avg\twhen\n' > "$ROWS"
printf '\n%-24s %14s %14s %16s %12s %16s\n' layout "faceted p50" "faceted p99" "no-facets p99" "p99/single" "same first page"
SINGLE99=
for layout in single local remote; do
  case "$layout" in
    single) spec="$RUN/single" ;;
    local) spec="$RUN/sharded" ;;
    remote) spec="$REMOTE" ;;
  esac
  load="$(cut -d' ' -f1 /proc/loadavg)"
  bench "$layout" "$spec"
  [ -n "$SINGLE99" ] || SINGLE99=$P99
  ratio="$(awk -v a="$P99" -v b="$SINGLE99" 'BEGIN{printf "%.2f", a / b}')"
  # The first page of every query, ids and scores, against the single database's.
  same="$("$PYTHON" - "$RUN/single.ids" "$RUN/$layout.ids" <<'EOF'
import sys
# The faceted run's lines: run, query, total, then the first page's "id score" fields.
a = [l for l in open(sys.argv[1], encoding="utf-8").read().splitlines() if l.startswith("facets\t")]
b = [l for l in open(sys.argv[2], encoding="utf-8").read().splitlines() if l.startswith("facets\t")]
ids = lambda line: [f.split(" ")[0] for f in line.split("\t")[3:]]
same_ids = sum(ids(x) == ids(y) for x, y in zip(a, b))
same_all = sum(x.split("\t")[3:] == y.split("\t")[3:] for x, y in zip(a, b))
print(f"{same_ids}/{len(a)} ids, {same_all}/{len(a)} scores")
for x, y in [(x, y) for x, y in zip(a, b) if ids(x) != ids(y)][:5]:  # what differs, to stderr
    print(x.split("\t")[1], file=sys.stderr)
    for k, (u, v) in enumerate(zip(x.split("\t")[3:], y.split("\t")[3:])):
        if u.split(" ")[0] != v.split(" ")[0]:
            print(f"  {k + 1}: {u}  |  {v}", file=sys.stderr)
EOF
)"
  label="$layout"
  [ "$layout" = single ] || label="$layout ($SHARDS shards)"
  printf '%-24s %11s ms %11s ms %13s ms %12s %16s\n' "$label" "$P50" "$P99" "$PLAIN99" "$ratio" "$same"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$NAME" "$label" "$P50" "$P99" "$PLAIN99" "$ratio" \
    "$same" "$load" "$(date -Is)" >> "$ROWS"
done
echo
echo "rows appended to $ROWS; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
