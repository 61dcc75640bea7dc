#!/usr/bin/env bash
# Runs FlashSale as a durable cluster on 127.0.0.1: redis-server with AOF, 3 silos and 2 API
# nodes (override with SILOS=, APIS=, REDIS_PORT=). Prints where everything is, and stops all it
# started on Ctrl-C. State survives in .run/cluster/ (delete it for a fresh start).
# Development by default (open demo sign-up, sandbox gateway); --production runs the Production
# profile. The cluster's signing key and webhook secrets are generated once, kept in
# .run/cluster/secrets.env (mode 0600) and given to every node through its environment, never
# on a command line that ps would show.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=Development
for arg in "$@"; do
  case "$arg" in
    --production) profile=Production ;;
    *) echo "usage: scripts/cluster.sh [--production]" >&2; exit 2 ;;
  esac
done

silos=${SILOS:-3}
apis=${APIS:-2}
redis_port=${REDIS_PORT:-6390}
run_dir=$PWD/.run/cluster
mkdir -p "$run_dir"

secrets="$run_dir/secrets.env"
if [ ! -f "$secrets" ]; then
  random() { head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'; }
  ( umask 077
    { echo "FlashSale__Identity__SigningKeys__0__Id=cluster-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      echo "FlashSale__Identity__SigningKeys__0__Key=$(random)"
      for method in wallet bank-transfer mobile-money; do echo "FlashSale__Payments__Webhooks__Secrets__${method}__0=whsec_$(random)"; done
    } >"$secrets.tmp" && mv "$secrets.tmp" "$secrets" )
fi
chmod 600 "$secrets"
# Node environment: the profile and the secrets (env -S reads no file, so the names are built here).
node_env=(env "ASPNETCORE_ENVIRONMENT=$profile" "DOTNET_ENVIRONMENT=$profile")
while IFS= read -r line; do node_env+=("$line"); done <"$secrets"

scripts/install-prerequisites.sh
echo "==> building (Release)"
dotnet build -c Release --nologo -v q silo/FlashSale.Silo/FlashSale.Silo.csproj
dotnet build -c Release --nologo -v q api/FlashSale.Api/FlashSale.Api.csproj

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "==> stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  redis-cli -p "$redis_port" shutdown 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# appendfsync always: a hold, order or payment is acknowledged only after Redis has written it
# and fsynced it, so it survives the loss of the Redis process too; group commit keeps the cost
# to one write per batch (see docs/benchmarks.md for the measured price against everysec).
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$run_dir" --appendonly yes --appendfsync always \
  --save "" --daemonize yes --pidfile "$run_dir/redis.pid" --logfile "$run_dir/redis.log"
redis="127.0.0.1:$redis_port"

for i in $(seq 1 "$silos"); do
  "${node_env[@]}" dotnet silo/FlashSale.Silo/bin/Release/net10.0/FlashSale.Silo.dll \
    --FlashSale:Redis="$redis" --FlashSale:Cluster:SiloPort=$((11120 + i)) --FlashSale:Cluster:GatewayPort=$((30020 + i)) \
    --urls "http://127.0.0.1:$((5180 + i))" >"$run_dir/silo-$i.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 1 "$silos"); do
  until curl -fs "http://127.0.0.1:$((5180 + i))/health" >/dev/null 2>&1; do sleep 0.5; done
done

for i in $(seq 1 "$apis"); do
  demo=()
  [ "$i" -eq 1 ] || demo=(--no-demo)
  (cd api/FlashSale.Api && exec "${node_env[@]}" dotnet bin/Release/net10.0/FlashSale.Api.dll \
    --FlashSale:Redis="$redis" --urls "http://127.0.0.1:$((5080 + i))" "${demo[@]}") >"$run_dir/api-$i.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 1 "$apis"); do
  until curl -fs "http://127.0.0.1:$((5080 + i))/health" >/dev/null 2>&1; do sleep 0.5; done
done

echo
echo "FlashSale cluster is up ($profile profile; secrets in $secrets):"
echo "  redis  $redis (AOF, appendfsync always, data in $run_dir)"
for i in $(seq 1 "$silos"); do echo "  silo   $i  silo port $((11120 + i)), gateway $((30020 + i)), health http://127.0.0.1:$((5180 + i))/health"; done
for i in $(seq 1 "$apis"); do echo "  api    $i  http://127.0.0.1:$((5080 + i))"; done
echo "Logs in $run_dir. Ctrl-C stops everything."
wait
