#!/usr/bin/env bash
# One-command set-up on a fresh Debian/Ubuntu machine: the system packages the tests use, then the
# npm packages (whose `prepare` step builds the engine and the kam command line into dist/).
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

npm ci --no-audit --no-fund
