# shellcheck shell=bash
# Shared by the shell scripts of scripts/, bench/ and eval/ (source it, do not run it):
# `. scripts/script_support.sh NAME` turns on strict mode (set -euo pipefail), sets ROOT (the
# repository) and gives the checks the scripts make before starting, each failing with the way
# out; NAME prefixes their messages.

set -euo pipefail
SCRIPT_NAME="${1:?script_support.sh: name the script that sources it}"
# shellcheck disable=SC2034 # read by the scripts that source this one
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() { echo "$SCRIPT_NAME: $*" >&2; exit 1; }

# need_command COMMAND [PACKAGE]: fails, naming the Debian package, unless COMMAND is on PATH.
need_command() { command -v "$1" >/dev/null || die "$1 is missing (apt-get install ${2:-$1})"; }

# need_programs BUILD PROGRAM...: fails, with the command that builds them, unless every
# PROGRAM has been built in BUILD.
need_programs() {
  local build=$1 program
  shift
  for program in "$@"; do
    [ -x "$build/$program" ] || die "no $build/$program (cmake --build $build --target $* -j2)"
  done
}
