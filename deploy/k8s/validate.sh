#!/usr/bin/env bash
# Parses every manifest in deploy/k8s and checks what has a schema package in the npm registry: the core kinds
# against kubernetes-models, KEDA's against @kubernetes-models/keda. The operators' kinds are checked for the
# fields Marsad relies on (validate.mjs says which). Installs the packages once into a cache folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${MARSAD_CACHE:-$HOME/.cache/marsad}/k8s-validate"
if [ ! -d "$cache/node_modules/kubernetes-models" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    kubernetes-models@5.1.0 @kubernetes-models/keda@2.0.0 yaml@2.9.1 >/dev/null) \
    || { echo "validate.sh: npm could not install the schema packages" >&2; exit 1; }
fi
# Node resolves packages from the script's own folder: it runs from the cache, beside them.
cp "$here/validate.mjs" "$cache/validate.mjs"
node "$cache/validate.mjs" "$here"/*.yaml
