#!/usr/bin/env bash
# Screenshot every rendered HTML page in headless Chromium, to check by eye that Chinese text and charts render.
# A development tool, not a dependency of `make report`:  apt-get install -y chromium  (Debian).
# Usage: scripts/screenshots.sh [HTML_DIR=reports/html] [OUT_DIR=reports/screenshots] [WIDTH=1200] [HEIGHT=2400]
set -euo pipefail
html_dir=${1:-reports/html}
out_dir=${2:-reports/screenshots}
width=${3:-1200}
height=${4:-2400}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
  echo "screenshots: no chromium found (Debian: apt-get install -y chromium)" >&2
  exit 2
fi
if [[ ! -d "$html_dir" ]]; then
  echo "screenshots: $html_dir does not exist; run 'make report' first" >&2
  exit 2
fi
mkdir -p "$out_dir"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
n=0
while IFS= read -r -d '' page; do
  rel=${page#"$html_dir"/}
  name=${rel%.html}
  shot="$out_dir/${name//\//__}.png"
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --virtual-time-budget=3000 --user-data-dir="$profile" \
    --screenshot="$(realpath -m "$shot")" --window-size="$width,$height" "file://$(realpath "$page")" \
    >/dev/null 2>&1 || { echo "screenshots: failed on $page" >&2; exit 1; }
  echo "screenshots: $shot"
  n=$((n + 1))
done < <(find "$html_dir" -name '*.html' -print0 | sort -z)
echo "screenshots: $n pages → $out_dir"
