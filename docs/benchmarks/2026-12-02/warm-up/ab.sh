#!/bin/bash
# The opening surge on a freshly started host with its surge-path warm-up (FlashSale:WarmUp) on and
# off, alternated: as `run-benchmarks.sh cold` runs it (20,000 shoppers within 2 s at one lot of
# 1,000 units, in memory, rate limits off), then a 20 s closed hot-lot run, then the same surge warm.
# Each host starts once the machine is idle (1-minute load below 1.0), and its fresh surge starts
# once /health/warm-up is 200 and the machine is idle again, as a sale opens on a host started
# long before it.
# usage: ORDER="on off" ab.sh OUT ROUNDS
# Run from inside a checkout after `dotnet build -c Release`, on an idle machine.
set -u
repo=$(git rev-parse --show-toplevel)
out=$(realpath -m "$1"); rounds=$2
harness=$repo/loadtests/FlashSale.LoadTests/bin/Release/net10.0/FlashSale.LoadTests.dll
url=http://127.0.0.1:5098
idle() { while awk '{ exit !($1 > 1.0) }' /proc/loadavg; do sleep 5; done; }
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
 for warm in ${ORDER:-on off}; do
  d="$out/r$r-warm-up-$warm"; mkdir -p "$d"
  idle
  echo "== round $r warm-up $warm: host starts, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  enabled=$([ "$warm" = on ] && echo true || echo false)
  (cd $repo/api/FlashSale.Api && ASPNETCORE_ENVIRONMENT=Development exec dotnet bin/Release/net10.0/FlashSale.Api.dll --in-memory --urls $url --no-demo \
    --FlashSale:RateLimits:Enabled=false --FlashSale:WarmUp:Enabled=$enabled \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:FlashSale.Api.WarmUp=Information >"$d/host.log" 2>&1) &
  hp=$!
  began=$(date +%s.%N)
  for i in $(seq 1 240); do curl -sf -o /dev/null $url/health/warm-up && break; sleep 0.25; done
  echo "   start to /health/warm-up 200: $(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s" | tee -a "$out/log.txt"
  hpid=$(pgrep -f "FlashSale.Api.dll --in-memory --urls $url" | head -1)
  idle
  echo "   fresh surge starts, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  timeout 600 dotnet $harness opening-surge --url $url --shoppers ${SHOPPERS:-20000} --quantity 1000 --arrival 2 \
    --label "fresh process, warm-up $warm" --reports "$d/fresh" > "$d/fresh.log" 2>&1
  timeout 120 dotnet $harness hot-lot --url $url --mode closed --shoppers 200 --concurrency 64 --duration 20 --warm-up 3 \
    --label "warming the process, warm-up $warm" --reports "$d/warming" > "$d/warming.log" 2>&1
  timeout 600 dotnet $harness opening-surge --url $url --shoppers ${SHOPPERS:-20000} --quantity 1000 --arrival 2 \
    --label "warm process, warm-up $warm" --reports "$d/warm" > "$d/warm.log" 2>&1
  echo "round $r warm-up $warm exit $?" | tee -a "$out/log.txt"
  kill $hpid; wait $hp 2>/dev/null
 done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
