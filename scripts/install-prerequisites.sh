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
  "jq:jq"
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

scripts/ensure-node.sh

# The web client's packages (Vite, TypeScript, the SignalR client), from its lock file.
if [ ! -d client-web/node_modules ]; then
  echo "==> npm ci (client-web)"
  (cd client-web && npm ci --no-audit --no-fund)
fi
