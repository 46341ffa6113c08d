#!/usr/bin/env bash
# Where the one-process pipeline spends its time: runs `bench/run.sh pipeline` (in-memory, N articles) under
# dotnet-trace's thread-stack sampling (about 100 a second; stacks in Marsad's and its libraries' code) and prints the methods with the most samples, on their own and with what they call.
# Usage: bench/profile.sh [--articles N] [--seconds S]   (defaults 20000 articles, 40 s sampled once the stream runs)
# The trace stays in artifacts/bench/profile/ (open pipeline.speedscope.json in https://www.speedscope.app).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
articles=20000 seconds=40
while [ $# -gt 0 ]; do
  case "$1" in
    --articles) articles="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "usage: bench/profile.sh [--articles N] [--seconds S]" >&2; exit 2 ;;
  esac
done
out=artifacts/bench/profile
mkdir -p "$out"
dotnet tool restore >/dev/null
dotnet build bench/Marsad.Bench -c Release --nologo -v q >/dev/null
bench/Marsad.Bench/bin/Release/net10.0/marsad-bench pipeline --articles "$articles" --feeds 200 --transport inmemory >"$out/pipeline.md" 2>&1 &
bench_pid=$!
# Past the corpus's loading and the host's start: sample the stream itself.
sleep 25
dotnet tool run dotnet-trace collect -p "$bench_pid" --profile dotnet-sampled-thread-time --duration "00:00:00:$seconds" \
  --format speedscope -o "$out/pipeline.nettrace" >/dev/null
wait "$bench_pid" || true
python3 bench/profile-top.py "$out/pipeline.speedscope.json"
