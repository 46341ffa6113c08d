#!/usr/bin/env bash
# Marsad's benchmarks: prints figures, never fails on a time. Usage: bench/run.sh [--articles N] [--feeds N] [--transport inmemory|rabbitmq|both]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet run -c Release --project bench/Marsad.Bench/Marsad.Bench.csproj -- "$@"
