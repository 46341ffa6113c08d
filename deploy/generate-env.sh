#!/usr/bin/env bash
# Writes the secrets docker-compose.yml reads (a .env file, mode 0600), each made fresh from /dev/urandom:
#   RabbitMQ's user, password and (for the cluster) Erlang cookie, Elasticsearch's elastic and kibana_system passwords, Marsad's own least-privilege
#   Elasticsearch user, Kibana's encryption key, and the first Marsad admin API key, of which only the SHA-256 is
#   written; the key itself is printed once, here, and nowhere else.
# Usage: deploy/generate-env.sh [FILE]   (default: .env beside docker-compose.yml; an existing file is never replaced)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-.env}"
if [ -e "$out" ]; then
  echo "generate-env: $out exists; remove it first to make new secrets (the running stack keeps the old ones)" >&2
  exit 1
fi
hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
b64url() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
admin_key="mk_$(hex 4)_$(b64url 32)"
admin_sha256="$(printf '%s' "$admin_key" | sha256sum | cut -d' ' -f1)"
umask 077
cat >"$out" <<ENV
# Made by deploy/generate-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Secrets: keep this file 0600 and out of git.
RABBITMQ_USER=marsad
RABBITMQ_PASSWORD=$(hex 24)
ELASTIC_PASSWORD=$(hex 24)
KIBANA_SYSTEM_PASSWORD=$(hex 24)
MARSAD_ES_PASSWORD=$(hex 24)
KIBANA_ENCRYPTION_KEY=$(hex 32)
RABBITMQ_ERLANG_COOKIE=$(hex 32)
MARSAD_ADMIN_KEY_SHA256=$admin_sha256
ENV
chmod 600 "$out"
echo "generate-env: wrote $out (mode 0600)." >&2
echo "generate-env: the first admin's API key, shown this once (sign in to the page with it; make the team's own with 'marsad keys add'):" >&2
echo "$admin_key"
