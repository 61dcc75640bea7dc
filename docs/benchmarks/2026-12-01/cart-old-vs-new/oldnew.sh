#!/usr/bin/env bash
# Old (6272120) against new (main) builds of the embedded host, in memory and durable, alternated.
set -uo pipefail
out=/tmp/bench-s11/old-vs-new; rm -rf "$out" /tmp/oldnew-run; mkdir -p "$out" /tmp/oldnew-run
source /work/main/loadtests/load-average.sh
declare -A dir=([old]=/work/wt-old [new]=/work/main)
declare -A port=([old-mem]=17280 [new-mem]=17281 [old-dur]=17282 [new-dur]=17283)
pids=()
i=0
for b in old new; do
  for m in mem dur; do
    i=$((i+1))
    storage=(--in-memory); [ $m = dur ] && storage=(--data /tmp/oldnew-run/$b-data)
    (cd ${dir[$b]}/api/FlashSale.Api && ASPNETCORE_ENVIRONMENT=Development exec dotnet bin/Release/net10.0/FlashSale.Api.dll --urls http://127.0.0.1:${port[$b-$m]} --no-demo "${storage[@]}" \
      --FlashSale:RateLimits:Enabled=false --Orleans:SiloPort=$((17400+i)) --Orleans:GatewayPort=$((17500+i)) --Logging:LogLevel:Default=Warning) > /tmp/oldnew-run/$b-$m.log 2>&1 &
    pids+=($!)
  done
done
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT
for p in "${port[@]}"; do for _ in $(seq 1 240); do curl -fs http://127.0.0.1:$p/health >/dev/null 2>&1 && break; sleep 0.5; done; done
echo "load average before: $(load_average)" | tee "$out/machine.txt"
for round in a b c; do
  for target in old-mem new-mem old-dur new-dur; do
    echo "round $round $target: load $(load_average)" | tee -a "$out/machine.txt"
    dotnet /work/main/loadtests/FlashSale.LoadTests/bin/Release/net10.0/FlashSale.LoadTests.dll hot-lot --url http://127.0.0.1:${port[$target]} --mode closed --shoppers 100 --concurrency 64 --duration 15 --warm-up 3 \
      --label "$target" --reports "$out/$target-$round" --quiet > "$out/$target-$round.txt" 2>&1
    grep -h "hold_requests_per_s" "$out/$target-$round/hot-lot.md" | tee -a "$out/summary.txt"
  done
done
echo "load average after: $(load_average)" | tee -a "$out/machine.txt"
