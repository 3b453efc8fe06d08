#!/usr/bin/env bash
# One-command set-up on a Debian/Ubuntu machine, doing only what is missing: the system packages the
# tests use, then the npm packages (whose `prepare` step builds the engine and the kam command line into dist/).
#   chromium          headless browser for the task-pane tests (driven by playwright-core)
#   libreoffice-calc  an independent spreadsheet client that reads back the workbooks we write
#   libxml2-utils     xmllint, the offline well-formedness check of manifest.xml
#   fonts-wqy-microhei a CJK font, so Chinese text renders in screenshots and LibreOffice
#   sqlite3           runs the query `kam sql` generates, to check it against the engine
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium libreoffice-calc libxml2-utils fonts-wqy-microhei sqlite3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Node range the project is tested on (package.json "engines"); say so plainly instead of failing later.
node_major=$(node -p 'process.versions.node.split(".").map(Number).slice(0, 2).join(" ")' 2>/dev/null || echo "0 0")
read -r major minor <<<"$node_major"
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; } || [ "$major" -ge 25 ]; then
  echo "Node $(node --version 2>/dev/null || echo 'is missing'): this project needs Node >=20.19 <25 (see .nvmrc)." >&2
  exit 1
fi

# npm packages: installed unless node_modules already matches package-lock.json (npm ci would
# delete and reinstall them); its `prepare` step builds the engine and kam into dist/.
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "npm packages are up to date"
  [ -f dist/src/cli/kam.js ] || npm run build:node
else
  npm ci --no-audit --no-fund
fi
