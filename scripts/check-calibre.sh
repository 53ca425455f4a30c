#!/usr/bin/env bash
# Convert an EPUB with calibre's ebook-convert to AZW3 (Kindle) and PDF, and fail on any error.
# Optional: CI does not install calibre. On Debian: sudo apt-get install -y calibre
#
#   scripts/check-calibre.sh                 # builds the story (npm run build), checks dist/*.epub
#   scripts/check-calibre.sh book.epub ...   # checks the given EPUBs
#
# Outputs and logs go to test-results/calibre/<name>.{azw3,pdf,*.log}. Exit codes: 0 all converted
# cleanly, 1 a conversion failed or logged an error, 2 ebook-convert is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v ebook-convert >/dev/null 2>&1; then
  echo "check-calibre: ebook-convert not found; install calibre (sudo apt-get install -y calibre) to run this check" >&2
  exit 2
fi

books=("$@")
if [ ${#books[@]} -eq 0 ]; then
  npm run --silent build >/dev/null
  books=(dist/*.epub)
fi

out=test-results/calibre
mkdir -p "$out"
# calibre's PDF output drives Qt WebEngine: no display, and no sandbox when run as root.
export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:-} --no-sandbox --disable-gpu"
export QTWEBENGINE_DISABLE_SANDBOX=1

status=0
for book in "${books[@]}"; do
  [ -f "$book" ] || { echo "check-calibre: no such file: $book" >&2; status=1; continue; }
  name=$(basename "$book" .epub)
  for format in azw3 pdf; do
    target="$out/$name.$format"
    log="$out/$name.$format.log"
    rm -f "$target"
    if ! ebook-convert "$book" "$target" >"$log" 2>&1; then
      echo "check-calibre: FAIL $book -> $format (exit code; see $log)" >&2
      tail -n 20 "$log" >&2
      status=1
      continue
    fi
    # calibre logs problems it recovers from; treat errors and tracebacks as failures.
    if grep -nE '^(ERROR|Traceback)|[Ee]rror: |Failed to (load|parse|convert|find)' "$log" >&2; then
      echo "check-calibre: FAIL $book -> $format logged errors (see $log)" >&2
      status=1
      continue
    fi
    if [ ! -s "$target" ]; then
      echo "check-calibre: FAIL $book -> $format wrote nothing" >&2
      status=1
      continue
    fi
    echo "check-calibre: ok $book -> $target ($(du -k "$target" | cut -f1) KB)"
  done
done
exit $status
