#!/usr/bin/env bash
# A RabbitMQ broker on 127.0.0.1:5672 for tests and local runs (Debian's rabbitmq-server; no Docker needed).
#   scripts/rabbitmq.sh start   install if missing, start if not running, wait until it answers
#   scripts/rabbitmq.sh stop    stop the broker this script started (and only that one)
#   scripts/rabbitmq.sh status  say whether a broker answers
set -euo pipefail

PID_FILE="${MARSAD_RABBITMQ_PID_FILE:-/tmp/marsad-rabbitmq.pid}"
LOG_FILE="${MARSAD_RABBITMQ_LOG:-/tmp/marsad-rabbitmq.log}"

answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

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
    echo "rabbitmq.sh: a broker already answers on 127.0.0.1:5672" >&2
    return
  fi
  install_if_missing
  rm -f "$PID_FILE"
  # AMQP on loopback only; the node writes its PID so that stop ends exactly this broker.
  # Erlang's distribution port and epmd stay on loopback too.
  as_root env RABBITMQ_PID_FILE="$PID_FILE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    rabbitmq-server >"$LOG_FILE" 2>&1 &
  for _ in $(seq 1 120); do
    if answers && as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
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
  as_root rabbitmqctl stop "$PID_FILE" >/dev/null 2>&1 || true
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "running"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
