#!/usr/bin/env bash
# Installs what the tests need and runs every test. The README's second command; .ci/run calls exactly this.
#   - Debian's rabbitmq-server, started on 127.0.0.1 when no broker answers (scripts/rabbitmq.sh)
#   - Elasticsearch, installed once (checksum verified, cached) and started on 127.0.0.1 (scripts/elasticsearch.sh)
#   - Debian's python3-aiosmtpd, the SMTP server the e-mail alert tests start on 127.0.0.1
#   - Debian's chromium, the headless browser the web page's tests drive
#   - the .NET build of the whole solution, then every test project
# Tests never skip: a missing broker or missing ../shared data fails them with a message that says so.
#
#   ./test.sh --fast   the unit tier only: every test that needs no RabbitMQ, Elasticsearch, browser or marsad
#                      process, nor trains a model (test classes carry a "Needs" trait; docs/testing.md). Nothing is
#                      installed or started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ "${1:-}" = "--fast" ]; then
  dotnet build Marsad.slnx -c Release --nologo -v quiet
  exec dotnet test Marsad.slnx -c Release --no-build --nologo \
    --filter "Needs!=rabbitmq&Needs!=elasticsearch&Needs!=browser&Needs!=processes&Needs!=training"
fi

started_broker=false
started_search=false
cleanup() {
  if $started_search; then scripts/elasticsearch.sh stop; fi
  if $started_broker; then scripts/rabbitmq.sh stop; fi
}
trap cleanup EXIT
if ! scripts/rabbitmq.sh status >/dev/null 2>&1; then
  scripts/rabbitmq.sh start
  started_broker=true
fi
if ! scripts/elasticsearch.sh status >/dev/null 2>&1; then
  scripts/elasticsearch.sh start
  started_search=true
fi
export MARSAD_TEST_ELASTICSEARCH_URL="$(scripts/elasticsearch.sh url)"

[ -d ../shared/seed ] || echo "test.sh: warning: ../shared (the reference data beside the repo) is missing; tests that need it will fail and say so" >&2

# docker-compose.yml cannot run here (no container engine), but it is checked: Debian's docker-compose validates it.
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq docker-compose >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null); fi
fi
if command -v docker-compose >/dev/null 2>&1; then
  # Against secrets made the way an operator makes them: the file names no password of its own, and refuses to
  # start without them.
  compose_env="$(mktemp -d)/.env"
  deploy/generate-env.sh "$compose_env" >/dev/null 2>&1
  [ "$(stat -c %a "$compose_env")" = 600 ] || { echo "test.sh: deploy/generate-env.sh wrote $compose_env readable by others" >&2; exit 1; }
  docker-compose --env-file "$compose_env" -f docker-compose.yml config -q
  MARSAD_PUBLIC_HOST=news.example docker-compose --env-file "$compose_env" --profile tls -f docker-compose.yml config -q
  docker-compose --env-file "$compose_env" -f deploy/cluster/docker-compose.yml config -q
  if docker-compose --env-file /dev/null -f docker-compose.yml config -q >/dev/null 2>&1; then
    echo "test.sh: docker-compose.yml starts without the secrets of .env; it must refuse" >&2; exit 1
  fi
  rm -rf "$(dirname "$compose_env")"
  echo "test.sh: docker-compose.yml and deploy/cluster/docker-compose.yml are valid"
else
  echo "test.sh: docker-compose is not installed (needs root to install); docker-compose.yml not validated" >&2
  [ "${CI:-}" != "true" ] || exit 1
fi

# No Kubernetes here either: the manifests are parsed and checked against the API schemas that npm has.
deploy/k8s/validate.sh

# The e-mail alert tests send to a real SMTP server: Debian's aiosmtpd, which they start themselves.
if ! /usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  apt-get install -y -qq python3-aiosmtpd >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq python3-aiosmtpd >/dev/null)
fi

# The web page's tests drive Debian's Chromium (through Playwright, whose own browser download is never used).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ]; then
  apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
fi

dotnet build Marsad.slnx -c Release --nologo -v minimal
# The ./marsad script keeps its own build; make it now so no test waits for it.
./marsad --help >/dev/null

log="$(mktemp)"
status=0
dotnet test Marsad.slnx -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies, in the form CI and people read.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
       gsub(",", ""); failed += $4; passed += $6; skipped += $8 }
     END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"

# The benchmark suite at its small sizes, so it cannot rot: it prints figures and fails only if it cannot run.
if [ "$status" -eq 0 ]; then
  bench/run.sh --quick >"${TMPDIR:-/tmp}/marsad-bench-quick.log" 2>&1 || { tail -40 "${TMPDIR:-/tmp}/marsad-bench-quick.log"; echo "test.sh: bench/run.sh --quick failed" >&2; status=1; }
  [ "$status" -ne 0 ] || echo "test.sh: bench/run.sh --quick ran; its tables are in artifacts/bench/results.md"
  # Search latency over the same 10,000 articles in Lucene, Elasticsearch and a stock-arabic index (docs/benchmarks.md).
  if [ "$status" -eq 0 ]; then
    bench/run.sh search --quick >"${TMPDIR:-/tmp}/marsad-bench-search.log" 2>&1 || { tail -40 "${TMPDIR:-/tmp}/marsad-bench-search.log"; echo "test.sh: bench/run.sh search --quick failed" >&2; status=1; }
    [ "$status" -ne 0 ] || { sed -n '/^### /,$p' "${TMPDIR:-/tmp}/marsad-bench-search.log"; echo "test.sh: bench/run.sh search --quick ran"; }
  fi
fi
exit "$status"
