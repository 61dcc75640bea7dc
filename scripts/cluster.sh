#!/usr/bin/env bash
# Runs FlashSale as a durable cluster on 127.0.0.1: redis-server with AOF, 3 silos and 2 API
# nodes (override with SILOS=, APIS=, REDIS_PORT=). Prints where everything is, and stops all it
# started on Ctrl-C. State survives in .run/cluster/ (delete it for a fresh start).
set -euo pipefail
cd "$(dirname "$0")/.."

silos=${SILOS:-3}
apis=${APIS:-2}
redis_port=${REDIS_PORT:-6390}
run_dir=$PWD/.run/cluster
mkdir -p "$run_dir"

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
  dotnet silo/FlashSale.Silo/bin/Release/net10.0/FlashSale.Silo.dll \
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
  (cd api/FlashSale.Api && exec dotnet bin/Release/net10.0/FlashSale.Api.dll \
    --FlashSale:Redis="$redis" --urls "http://127.0.0.1:$((5080 + i))" "${demo[@]}") >"$run_dir/api-$i.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 1 "$apis"); do
  until curl -fs "http://127.0.0.1:$((5080 + i))/health" >/dev/null 2>&1; do sleep 0.5; done
done

echo
echo "FlashSale cluster is up:"
echo "  redis  $redis (AOF, appendfsync always, data in $run_dir)"
for i in $(seq 1 "$silos"); do echo "  silo   $i  silo port $((11120 + i)), gateway $((30020 + i)), health http://127.0.0.1:$((5180 + i))/health"; done
for i in $(seq 1 "$apis"); do echo "  api    $i  http://127.0.0.1:$((5080 + i))"; done
echo "Logs in $run_dir. Ctrl-C stops everything."
wait
