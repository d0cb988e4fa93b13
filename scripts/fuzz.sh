#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan) into build-fuzz/ and runs each
# for a while on a working copy of its seed corpus. See fuzz/README.md.
#
#   scripts/fuzz.sh [--minutes N | --seconds N] [TARGET...]
#
# TARGET is a name such as query_fuzz (default: all of them). Per target it prints the number
# of executions and the findings (crash-*, timeout-*, oom-*, leak-* files, kept in
# build-fuzz/findings/TARGET/). Exit status: 0 nothing found, 1 a finding, 64 bad usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${KB_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="$(nproc 2>/dev/null || echo 2)"
ALL_TARGETS=(analysis_fuzz query_fuzz front_matter_fuzz jsonl_fuzz html_fuzz request_fuzz http_wire_fuzz
  meili_fuzz meili_filter_fuzz)

seconds=60
targets=()
while (($#)); do
  case "$1" in
    --minutes) seconds=$(( ${2:?--minutes needs a value} * 60 )); shift 2 ;;
    --minutes=*) seconds=$(( ${1#*=} * 60 )); shift ;;
    --seconds) seconds="${2:?--seconds needs a value}"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 64 ;;
    *)
      if [[ " ${ALL_TARGETS[*]} " != *" $1 "* ]]; then
        echo "fuzz: unknown target $1 (known: ${ALL_TARGETS[*]})" >&2; exit 64
      fi
      targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")

# libFuzzer ships with clang; its runtime is in libclang-rt-14-dev (Debian 12). They are not
# in scripts/install-deps.sh because only fuzzing needs them.
"$ROOT/scripts/install-deps.sh"
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# RelWithDebInfo: optimised like the real thing, with line numbers in the stacks.
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKB_FUZZ=ON -DKB_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target "${targets[@]}" -j "$JOBS"

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
summary=()
found=0
for t in "${targets[@]}"; do
  corpus="$BUILD/corpus/$t"      # grows from run to run; the seeds in fuzz/ stay untouched
  findings="$BUILD/findings/$t"
  log="$BUILD/logs/$t.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  cp -n "$ROOT/fuzz/corpus/$t/"* "$corpus/"
  dict=()
  [ -f "$ROOT/fuzz/dict/$t.dict" ] && dict=(-dict="$ROOT/fuzz/dict/$t.dict")
  before=$(find "$findings" -type f | wc -l)
  echo "== $t: ${seconds}s, corpus $(find "$corpus" -type f | wc -l) inputs, log $log"
  status=0
  "$BUILD/fuzz/$t" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" \
    >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  after=$(find "$findings" -type f | wc -l)
  new=$((after - before))
  if [ "$status" -ne 0 ] || [ "$new" -gt 0 ]; then
    found=1
    summary+=("$t: ${execs:-?} executions, FINDING (exit $status), see $findings/ and $log")
    grep -E '^==[0-9]+==ERROR|SUMMARY:|fuzz invariant broken|runtime error|deadly signal|Test unit written' \
      "$log" | head -8 | sed 's/^/   /'
  else
    summary+=("$t: ${execs:-?} executions, no finding, corpus $(find "$corpus" -type f | wc -l) inputs")
  fi
done

echo "== summary"
printf '%s\n' "${summary[@]}"
if ((found)); then
  echo "fuzz: reproduce with $BUILD/fuzz/TARGET FILE; minimise with -minimize_crash=1 -runs=10000" >&2
fi
exit "$found"
