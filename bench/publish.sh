#!/usr/bin/env bash
# docs/benchmarks.md is generated, never edited by hand: bench/method.md (how the suite measures), then every run
# recorded in bench/results/, newest first, each with its machine, date and command.
#   bench/publish.sh            regenerate docs/benchmarks.md
#   bench/publish.sh --record [FILE]  record the last bench/run.sh (artifacts/bench/results.md, or FILE: e.g.
#                               artifacts/bench/search/results.md) as bench/results/, then regenerate
#   bench/publish.sh --check    exit 1 when docs/benchmarks.md is not what bench/ makes (a test runs this)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

render() {
  cat bench/method.md
  printf '\n## Recorded runs\n'
  # Newest first; each run's own title becomes its section, its tables one level below.
  for run in $(ls bench/results/*.md | sort -r); do
    printf '\n'
    sed -e 's/^### /#### /' -e 's/^# /### /' "$run"
  done
}

case "${1:-}" in
  --record)
    results="${2:-artifacts/bench/results.md}"
    [ -f "$results" ] || { echo "bench/publish.sh: no $results; run bench/run.sh first" >&2; exit 1; }
    stamp="$(sed -n 's/.*; \([0-9-]*\) \([0-9]*\):\([0-9]*\) UTC.*/\1-\2\3/p' "$results" | head -1)"
    [ -n "$stamp" ] || stamp="$(date -u +%Y-%m-%d-%H%M)"
    # The part of the suite it is, when it is not the whole: results/2026-12-07-0227-search.md.
    part="$(basename "$(dirname "$results")")"
    [ "$part" = bench ] || stamp="$stamp-$part"
    cp "$results" "bench/results/$stamp.md"
    echo "bench/publish.sh: recorded bench/results/$stamp.md"
    render > docs/benchmarks.md
    ;;
  --check)
    if ! diff -q <(render) docs/benchmarks.md >/dev/null; then
      echo "bench/publish.sh: docs/benchmarks.md differs from what bench/method.md and bench/results/ make; run bench/publish.sh (edit those, not the page)" >&2
      exit 1
    fi
    ;;
  "") render > docs/benchmarks.md ;;
  *) echo "usage: bench/publish.sh [--record|--check]" >&2; exit 2 ;;
esac
