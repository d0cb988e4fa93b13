#!/usr/bin/env bash
# Installs the browser tests' npm dependencies (tests/browser: playwright-core, which drives
# Debian's chromium; no browser is downloaded) from the committed package-lock.json.
# Idempotent: npm ci runs only when node_modules is missing or older than the lock file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/tests/browser"
LOCK="$DIR/package-lock.json"
STAMP="$DIR/node_modules/.kb-lock.sha256"

if ! command -v npm >/dev/null 2>&1; then
  echo "kb: npm is missing (scripts/install-deps.sh installs nodejs and npm)" >&2
  exit 1
fi

want="$(sha256sum "$LOCK" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] &&
   [ -f "$DIR/node_modules/playwright-core/package.json" ]; then
  echo "kb: browser test dependencies already installed"
  exit 0
fi

echo "kb: installing the browser tests' npm dependencies (npm ci)"
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing anyway; belt and braces.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$DIR" --no-audit --no-fund --loglevel=error
echo "$want" > "$STAMP"
