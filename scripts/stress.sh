#!/usr/bin/env bash
# Stress test of kb-search-server: wrk at 64 connections for SECONDS on the corpus/ index, with
# real questions, facet filters, /suggest and malformed requests mixed. Counts statuses per kind
# in wrk's response() hook, samples the server's RSS and open descriptors, and fails if a valid
# request got a non-200, a malformed one a non-4xx, a connection failed, RSS grew over 10 %
# after the warm-up, or descriptors grew. Then a light load of normal clients runs alone and
# beside 1,000 idle connections, 200 slow-header clients and 4 expensive ones
# (scripts/stress_attack.py), and their p50/p99 are printed for each.
#
# Usage: scripts/stress.sh [SECONDS=60] [BUILD_DIR=build]

# shellcheck source=script_support.sh
. "$(dirname "${BASH_SOURCE[0]}")/script_support.sh" stress
DURATION="${1:-60}"
BUILD="${2:-${KB_BUILD_DIR:-$ROOT/build}}"
QUERIES="$ROOT/../shared/datasets/piaf-fr/queries.jsonl"
WARMUP=10
CONNECTIONS=64
need_command wrk
[ "$DURATION" -gt $((WARMUP + 5)) ] || { echo "stress: SECONDS must be over $((WARMUP + 5))" >&2; exit 64; }
need_programs "$BUILD" kb-indexer kb-search-server

WORK="$(mktemp -d)"
SERVER_PID=""
ATTACK_PID=""
cleanup() { # errexit off: a process already gone must not turn the exit status into 1
  set +e
  [ -n "$ATTACK_PID" ] && kill "$ATTACK_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "stress: indexing corpus/…"
"$BUILD/kb-indexer" --quiet --index "$WORK/index" "$ROOT/corpus" | head -1

# A small result cache (4 MiB, a few hundred pages): full within the warm-up, so the run
# exercises hits, misses and evictions from 64 threads at once, and RSS stays comparable.
"$BUILD/kb-search-server" --index "$WORK/index" --port 0 --no-access-log --rate-limit 0 --cache-mb 4 \
  > "$WORK/server.out" 2> "$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do grep -q "http://" "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
URL="$(grep -o 'http://[0-9.]*:[0-9]*' "$WORK/server.out")" || { cat "$WORK/server.err" >&2; exit 1; }
echo "stress: server $URL (pid $SERVER_PID)"

# The request mix, as a Lua table of {kind, path}: "v" must get 200, "m" must get a 4xx.
python3 - "$QUERIES" "$URL" "$WORK/stress.lua" <<'PY'
import json, os, random, sys, urllib.parse, urllib.request
queries_file, url, out = sys.argv[1:4]
if os.path.exists(queries_file):
    queries = [json.loads(l)["text"] for l in open(queries_file, encoding="utf-8")][:2000]
else:
    queries = ["coopération décentralisée", "jumelage", "aide publique au développement",
               "attractivité du territoire", "Sénégal", "Cités Unies France", "eau et assainissement",
               "action extérieure des collectivités territoriales", "subventions", "APD"]
facets = json.load(urllib.request.urlopen(url + "/facets"))["facets"]
filters = []
for name in ("theme", "actor", "country", "region", "type"):
    for v in facets.get(name, [])[:5]:
        filters.append(name + "=" + urllib.parse.quote(str(v["id"])))
rng = random.Random(20261122)
q = lambda s: urllib.parse.quote(s)
reqs = []
for i, text in enumerate(queries):
    reqs.append(("v", "/search?q=" + q(text)))
    if i % 3 == 0:
        reqs.append(("v", "/search?q=" + q(text.split()[0] if text.split() else "eau") + "&" +
                     rng.choice(filters) + "&" + rng.choice(filters).replace("=", "!=", 1)))
    if i % 4 == 0:
        reqs.append(("v", "/suggest?q=" + q(text[:rng.randint(2, 6)])))
    if i % 5 == 0:
        reqs.append(("v", "/search?" + rng.choice(filters) + "&sort=date&size=20&page=2"))
    if i % 6 == 0:
        reqs.append(("m", rng.choice([
            "/search?q=eau&size=0", "/search?q=eau&size=abc", "/search?q=eau&size=1000",
            "/search?q=%C3%28", "/search?q=caf%E9", "/search?q=eau&bogus=1",
            "/search?q=eau&page=0", "/search?q=eau&q=feu", "/suggest", "/suggest?q=%FF",
            "/search?q=eau&country=Atlantide", "/search?q=eau&sort=random",
            "/documents/..%2Fetc%2Fpasswd", "/nowhere"])))
rng.shuffle(reqs)
with open(out, "w", encoding="utf-8") as f:
    f.write("reqs = {" + ",".join("{%s,%s}" % (json.dumps(k), json.dumps(p)) for k, p in reqs) + "}\n")
PY
cat >> "$WORK/stress.lua" <<'LUA'
-- One connection per thread (-t = -c): a thread's response answers the request it made last
-- (wrk calls request() once more at start-up, without sending it: no FIFO).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  i = math.random(#reqs); last = i
  v200 = 0; vbad = 0; m4xx = 0; mbad = 0; c2 = 0; c3 = 0; c4 = 0; c5 = 0; bad = ""
end
function request()
  i = i % #reqs + 1; last = i
  return wrk.format("GET", reqs[i][2])
end
function response(status, headers, body)
  local r = reqs[last]
  local class = math.floor(status / 100)
  if class == 2 then c2 = c2 + 1 elseif class == 3 then c3 = c3 + 1
  elseif class == 4 then c4 = c4 + 1 else c5 = c5 + 1 end
  if r[1] == "v" then
    if status == 200 then v200 = v200 + 1 else vbad = vbad + 1; bad = status .. " " .. r[2] end
  else
    if class == 4 then m4xx = m4xx + 1 else mbad = mbad + 1; bad = status .. " " .. r[2] end
  end
end
function done(summary, latency, requests)
  local t = {v200 = 0, vbad = 0, m4xx = 0, mbad = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0}
  local example = ""
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
    if thread:get("bad") ~= "" then example = thread:get("bad") end
  end
  for k, v in pairs(t) do io.write(string.format("STRESS %s %d\n", k, v)) end
  local e = summary.errors
  io.write(string.format("STRESS connect_errors %d\nSTRESS read_errors %d\nSTRESS write_errors %d\n"
    .. "STRESS timeouts %d\nSTRESS requests %d\nSTRESS p50_ms %.1f\nSTRESS p99_ms %.1f\n",
    e.connect, e.read, e.write, e.timeout, summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write("STRESS example_bad " .. (example == "" and "-" or example):gsub(" ", "_") .. "\n")
end
LUA

rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
fds() { ls "/proc/$SERVER_PID/fd" | wc -l; }
RSS_BASE=$(rss) FDS_BASE=$(fds)

echo "stress: wrk ${DURATION}s, $CONNECTIONS connections…"
wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "$WORK/stress.lua" "$URL" \
  > "$WORK/wrk.out" 2>&1 &
WRK_PID=$!
sleep "$WARMUP"
RSS_WARM=$(rss) FDS_WARM=$(fds)
sleep $((DURATION - WARMUP - 2))
RSS_END=$(rss) FDS_END=$(fds)
wait "$WRK_PID" || { cat "$WORK/wrk.out" >&2; exit 1; }
sleep 1
RSS_AFTER=$(rss) FDS_AFTER=$(fds)
CACHE="$(curl -s "$URL/metrics" | awk '/^kb_search_cache_requests_total/ {split($1, a, "\""); printf "%s %s ", a[2], $2} /^kb_search_cache_evictions_total/ {printf "evicted %s", $2}')"
kill -0 "$SERVER_PID" 2>/dev/null || { echo "stress: the server died" >&2; cat "$WORK/server.err" >&2; exit 1; }

val() { awk -v k="$1" '$1=="STRESS" && $2==k {print $3}' "$WORK/wrk.out"; }
RPS="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")"
printf "\n%-38s %12s\n" measure value
printf "%-38s %12s\n" "requests (req/s)" "$(val requests) ($RPS)" \
  "latency p50 / p99 (ms)" "$(val p50_ms) / $(val p99_ms)" \
  "2xx / 3xx / 4xx / 5xx" "$(val c2) / $(val c3) / $(val c4) / $(val c5)" \
  "valid: 200 / other" "$(val v200) / $(val vbad)" \
  "malformed: 4xx / other" "$(val m4xx) / $(val mbad)" \
  "socket errors connect/read/write/timeout" \
  "$(val connect_errors)/$(val read_errors)/$(val write_errors)/$(val timeouts)" \
  "RSS kB: start / warm / end / after" "$RSS_BASE / $RSS_WARM / $RSS_END / $RSS_AFTER" \
  "fds: start / warm / end / after" "$FDS_BASE / $FDS_WARM / $FDS_END / $FDS_AFTER" \
  "result cache (4 MiB)" "$CACHE"

fail=0
problem() { echo "stress: FAIL: $*" >&2; fail=1; }
[ "$(val vbad)" -eq 0 ] || problem "$(val vbad) valid requests got a non-200 (e.g. $(val example_bad))"
[ "$(val mbad)" -eq 0 ] || problem "$(val mbad) malformed requests got a non-4xx (e.g. $(val example_bad))"
[ "$(val c5)" -eq 0 ] || problem "$(val c5) responses were 5xx"
[ "$(val connect_errors)" -eq 0 ] || problem "$(val connect_errors) connections failed"
[ "$(val timeouts)" -eq 0 ] || problem "$(val timeouts) requests timed out (5 s)"
[ "$((RSS_END * 100))" -le "$((RSS_WARM * 110))" ] || problem "RSS grew from $RSS_WARM to $RSS_END kB"
# A leak grows with the requests (thousands here); a few come and go with connections in
# transit and a worker thread opening its Xapian database (7 tables) late.
[ "$FDS_END" -le "$((FDS_WARM + 10))" ] || problem "open descriptors grew under load: $FDS_WARM -> $FDS_END"
# After the load, descriptors stay above the start: each worker thread keeps its own Xapian
# database open (7 tables), and the pool grows under load (bounded by --threads).

# Normal clients beside hostile ones (issue 23 #5, #6): a light wrk load (4 connections) alone,
# then with 1,000 idle connections, 200 slow-header clients, and 4 clients looping over the
# costliest requests (a long question, a 100-query multi-search, a 20,000-value IN filter).
# Idle and slow connections must cost no worker: their p99 stays near the baseline.
normal() { # $1: label; runs wrk and prints one row
  wrk -t4 -c4 -d"${NORMAL_SECONDS:-12}s" --timeout 5s -s "$WORK/stress.lua" "$URL" > "$WORK/normal.out" 2>&1 \
    || { cat "$WORK/normal.out" >&2; problem "wrk failed under $1"; return; }
  local n="$WORK/normal.out"
  nv() { awk -v k="$1" '$1=="STRESS" && $2==k {print $3}' "$n"; }
  printf "%-34s %10s %9s %9s %8s\n" "$1" "$(awk '/Requests\/sec/ {print $2}' "$n")" \
    "$(nv p50_ms)" "$(nv p99_ms)" "$(( $(nv vbad) + $(nv mbad) + $(nv c5) ))"
  [ "$(nv vbad)" -eq 0 ] && [ "$(nv c5)" -eq 0 ] || problem "under $1: $(nv vbad) valid requests failed, $(nv c5) 5xx"
  [ "$(nv connect_errors)" -eq 0 ] && [ "$(nv timeouts)" -eq 0 ] \
    || problem "under $1: $(nv connect_errors) connect errors, $(nv timeouts) timeouts"
}
attack() { # $1 mode, $2 clients
  python3 "$ROOT/scripts/stress_attack.py" "$URL" "$1" "$2" > "$WORK/attack-$1.out" 2>&1 &
  ATTACK_PID=$!
  sleep 3
}
end_attack() {
  kill "$ATTACK_PID" 2>/dev/null; wait "$ATTACK_PID" 2>/dev/null || true
  grep '^ATTACK' "$WORK/attack-$1.out" | sed 's/^ATTACK /  attackers: /' || cat "$WORK/attack-$1.out"
}
echo
printf "%-34s %10s %9s %9s %8s\n" "normal clients (4 connections)" "req/s" "p50 ms" "p99 ms" "failed"
normal "alone"
attack idle 1000; normal "with 1,000 idle connections"; end_attack idle
attack slow 200; normal "with 200 slow-header clients"; end_attack slow
attack expensive 4; normal "with 4 expensive clients"; end_attack expensive
kill -0 "$SERVER_PID" 2>/dev/null || problem "the server died under the hostile clients"
curl -s -o /dev/null -w "%{http_code}" "$URL/health" | grep -q 200 || problem "/health failed after the hostile clients"

[ "$fail" -eq 0 ] && echo "stress: OK"
exit "$fail"
