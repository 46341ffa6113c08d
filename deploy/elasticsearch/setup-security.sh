#!/usr/bin/env bash
# Run once by docker-compose.yml's elasticsearch-setup service, as the elastic superuser: gives Kibana its system
# user's password, and makes Marsad's own user with only what Marsad needs (its indices and index templates).
set -euo pipefail
es="${ELASTICSEARCH_URL:-http://elasticsearch:9200}"
call() { curl -fsS -u "elastic:${ELASTIC_PASSWORD}" -H 'Content-Type: application/json' "$@"; }
until call "$es/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null; do sleep 2; done
call -X POST "$es/_security/user/kibana_system/_password" -d "{\"password\":\"${KIBANA_SYSTEM_PASSWORD}\"}" >/dev/null
call -X PUT "$es/_security/role/marsad_service" -d '{
  "cluster": ["monitor", "manage_index_templates"],
  "indices": [{ "names": ["marsad-*"], "privileges": ["create_index", "read", "write", "view_index_metadata", "manage"] }]
}' >/dev/null
call -X PUT "$es/_security/user/marsad" -d "{\"password\":\"${MARSAD_ES_PASSWORD}\",\"roles\":[\"marsad_service\"]}" >/dev/null
echo "elasticsearch-setup: kibana_system's password set; user marsad (role marsad_service) ready"
