#!/usr/bin/env bash
# A RabbitMQ broker on 127.0.0.1:5672 for tests and local runs (Debian's rabbitmq-server; no Docker needed).
#   scripts/rabbitmq.sh start   install if missing, start if not running, wait until it answers
#   scripts/rabbitmq.sh stop    stop the broker this script started (and only that one)
#   scripts/rabbitmq.sh status  say whether a broker answers
#   scripts/rabbitmq.sh reset   stop, and remove a private node's folders
# MARSAD_RABBITMQ_NODE=NAME MARSAD_RABBITMQ_PORT=PORT: a private node of that name on that port, with folders of its
# own under /tmp (a test that restarts its broker does it to its own, not to the one every other test uses).
#   scripts/rabbitmq.sh cluster start        three private nodes (marsad-cluster-1..3 on 127.0.0.1:5701..5703) in one cluster
#   scripts/rabbitmq.sh cluster stop         stop them and remove their folders
#   scripts/rabbitmq.sh cluster kill N       SIGKILL node N, as a crash would (its disk stays)
#   scripts/rabbitmq.sh cluster restart N    start node N again; it rejoins the cluster from its disk
#   scripts/rabbitmq.sh cluster urls         the three nodes' AMQP URLs, one a line
# MARSAD_RABBITMQ_CLUSTER_PORT=P: the first node's AMQP port (default 5701); the others follow.
set -euo pipefail

NODE="${MARSAD_RABBITMQ_NODE:-}"
PORT="${MARSAD_RABBITMQ_PORT:-5672}"
if [ -n "$NODE" ]; then
  BASE="/tmp/marsad-rabbitmq-$NODE"
  PID_FILE="$BASE/node.pid"
  LOG_FILE="$BASE/server.log"
else
  PID_FILE="${MARSAD_RABBITMQ_PID_FILE:-/tmp/marsad-rabbitmq.pid}"
  LOG_FILE="${MARSAD_RABBITMQ_LOG:-/tmp/marsad-rabbitmq.log}"
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# The settings a private node needs (shared/docs/rabbitmq-for-tests.md), in folders the rabbitmq user can write.
node_env() {
  if [ -z "$NODE" ]; then return; fi
  as_root mkdir -p "$BASE/mnesia" "$BASE/log"
  as_root chown -R rabbitmq:rabbitmq "$BASE"
  echo RABBITMQ_NODENAME="$NODE@localhost" RABBITMQ_NODE_PORT="$PORT" RABBITMQ_DIST_PORT="$((PORT + 20000))" \
    RABBITMQ_MNESIA_BASE="$BASE/mnesia" RABBITMQ_LOG_BASE="$BASE/log" RABBITMQ_FEATURE_FLAGS_FILE="$BASE/feature_flags"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "rabbitmq.sh: '$*' needs root (or sudo)" >&2; exit 1
  fi
}

install_if_missing() {
  if command -v rabbitmq-server >/dev/null 2>&1; then return; fi
  echo "rabbitmq.sh: installing Debian's rabbitmq-server" >&2
  as_root apt-get update -qq
  # The package's postinst tries to start a service; there is no init system here, and that is fine.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq rabbitmq-server >/dev/null
}

start() {
  if answers; then
    echo "rabbitmq.sh: a broker already answers on 127.0.0.1:$PORT" >&2
    return
  fi
  install_if_missing
  local settings
  settings=$(node_env)
  rm -f "$PID_FILE"
  # AMQP on loopback only; the node writes its PID so that stop ends exactly this broker.
  # Erlang's distribution port and epmd stay on loopback too.
  # shellcheck disable=SC2086
  as_root env $settings RABBITMQ_PID_FILE="$PID_FILE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    rabbitmq-server >"$LOG_FILE" 2>&1 &
  for _ in $(seq 1 120); do
    if answers && as_root rabbitmq-diagnostics ${NODE:+-n "$NODE@localhost"} -q ping >/dev/null 2>&1; then
      echo "rabbitmq.sh: broker started (log: $LOG_FILE)" >&2
      return
    fi
    sleep 1
  done
  echo "rabbitmq.sh: the broker did not start within 120 s; its log follows" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  exit 1
}

stop() {
  if [ ! -f "$PID_FILE" ]; then
    echo "rabbitmq.sh: no broker started by this script" >&2
    return
  fi
  as_root rabbitmqctl ${NODE:+-n "$NODE@localhost"} stop "$PID_FILE" >/dev/null 2>&1 || true
  rm -f "$PID_FILE"
}

# A private node's folders go with it (its queues too): the next start is a fresh broker.
reset() {
  stop
  if [ -n "$NODE" ]; then as_root rm -rf "$BASE"; fi
}

CLUSTER_PORT="${MARSAD_RABBITMQ_CLUSTER_PORT:-5701}"
SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"

cluster_node() { # N command: this script's command on the cluster's node N
  MARSAD_RABBITMQ_NODE="marsad-cluster-$1" MARSAD_RABBITMQ_PORT="$((CLUSTER_PORT + $1 - 1))" "$SCRIPT" "$2"
}

# The nodes share the rabbitmq user's Erlang cookie, so they may join; each keeps its own folders and ports.
cluster() {
  case "${1:-}" in
    start)
      for n in 1 2 3; do cluster_node "$n" start; done
      for n in 2 3; do
        local name="marsad-cluster-$n@localhost"
        if as_root rabbitmqctl -n marsad-cluster-1@localhost -q cluster_status 2>/dev/null | grep -q "$name"; then continue; fi
        as_root rabbitmqctl -n "$name" -q stop_app
        as_root rabbitmqctl -n "$name" -q join_cluster marsad-cluster-1@localhost
        as_root rabbitmqctl -n "$name" -q start_app
      done
      echo "rabbitmq.sh: cluster of 3 nodes on 127.0.0.1:$CLUSTER_PORT..$((CLUSTER_PORT + 2))" >&2 ;;
    stop) for n in 3 2 1; do cluster_node "$n" reset; done ;;
    kill)
      local pid_file="/tmp/marsad-rabbitmq-marsad-cluster-${2:?node number}/node.pid"
      as_root kill -9 "$(cat "$pid_file")"
      rm -f "$pid_file" ;;
    restart) cluster_node "${2:?node number}" start ;;
    urls) for n in 1 2 3; do echo "amqp://guest:guest@127.0.0.1:$((CLUSTER_PORT + n - 1))/"; done ;;
    *) echo "usage: $0 cluster start|stop|kill N|restart N|urls" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  cluster) shift; cluster "$@" ;;
  start) start ;;
  stop) stop ;;
  reset) reset ;;
  status) if answers; then echo "running"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|reset|status|cluster ..." >&2; exit 2 ;;
esac
