#!/usr/bin/env bash
# `npm test`: lint, type-check, then every test (unit, fixtures, real Chromium, epubcheck).
# Installs the Debian packages the tests need when they are missing (as root),
# or stops with one line saying what to run.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# EPUBCHECK_JAR names an epubcheck jar to use instead of Debian's (/usr/bin/epubcheck is the jar itself).
if [ -n "${EPUBCHECK_JAR:-}" ]; then
  [ -f "$EPUBCHECK_JAR" ] || { echo "twofold: EPUBCHECK_JAR=$EPUBCHECK_JAR is not a file" >&2; exit 1; }
else
  [ -f /usr/bin/epubcheck ] || need+=(epubcheck)
fi
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "twofold: installing test dependencies: ${need[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "twofold: the tests need Debian packages; run: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

# Formatting and lint (Biome) first: the cheapest failure to report.
npm run --silent lint
npx tsc --noEmit -p .
# The command's bundle (bin/bundle.js), made once here rather than by the many CLI runs the tests start at once.
node bin/twofold.js --help >/dev/null
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
node -e '
  const r = require("./test-results/vitest.json")
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + (r.numTodoTests || 0)} skipped`)
' || true
exit $status
