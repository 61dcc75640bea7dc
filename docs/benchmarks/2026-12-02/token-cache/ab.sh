#!/bin/bash
# Token-cache A/B on the in-memory embedded host: off (Entries=0) against on, alternated.
# usage: ORDER="on off" HOT_SECONDS=30 NO_SURGE=1 ab.sh OUT ROUNDS    (hot-lot pairs), or
#        ORDER="on off" HOT_SECONDS=20 SURGE_ARRIVAL=2 ab.sh OUT ROUNDS   (a warming hot-lot run, then 20,000 shoppers in 2 s)
# Run from inside a checkout after `dotnet build -c Release`.
set -u
repo=$(git rev-parse --show-toplevel)
out=$1; rounds=$2
harness=$repo/loadtests/FlashSale.LoadTests/bin/Release/net10.0/FlashSale.LoadTests.dll
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
 for v in ${ORDER:-off on}; do
  extra=""; [ $v = off ] && extra="--FlashSale:Identity:ValidatedTokenCache:Entries=0"
  d="$out/r$r-$v"; mkdir -p "$d"
  echo "== round $r $v load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  (cd $repo/api/FlashSale.Api && ASPNETCORE_ENVIRONMENT=Development exec dotnet bin/Release/net10.0/FlashSale.Api.dll --in-memory --urls http://127.0.0.1:5097 --no-demo --FlashSale:RateLimits:Enabled=false --Logging:LogLevel:Default=Warning $extra >"$d/host.log" 2>&1) &
  hp=$!
  for i in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:5097/api/lots && break; sleep 0.5; done
  hpid=$(pgrep -f 'FlashSale.Api.dll --in-memory --urls http://127.0.0.1:5097' | head -1)
  t0=$(awk '{print $14+$15}' /proc/$hpid/stat)
  timeout 120 dotnet $harness hot-lot --url http://127.0.0.1:5097 --mode closed --shoppers 100 --concurrency 64 --duration ${HOT_SECONDS:-15} --warm-up 5 --reports "$d/hot" > "$d/hot.log" 2>&1
  t1=$(awk '{print $14+$15}' /proc/$hpid/stat)
  [ -n "${NO_SURGE:-}" ] || timeout 180 dotnet $harness opening-surge --url http://127.0.0.1:5097 --shoppers 20000 --quantity 1000 --arrival ${SURGE_ARRIVAL:-3} --reports "$d/surge" > "$d/surge.log" 2>&1
  t2=$(awk '{print $14+$15}' /proc/$hpid/stat)
  curl -s http://127.0.0.1:5097/metrics | grep flashsale_tokens_validations > "$d/token-metrics.txt"
  echo "round $r $v hot-host-cpu=$((t1-t0))cs surge-host-cpu=$((t2-t1))cs" | tee -a "$out/log.txt"
  kill $hpid; wait $hp 2>/dev/null
 done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
