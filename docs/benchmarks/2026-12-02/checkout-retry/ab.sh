#!/bin/bash
# The 100,000-shopper surge with the harness's checkout retry (the contract's: a 503 or a timeout
# retried with the same Idempotency-Key after Retry-After) against none, alternated, each on a
# fresh in-memory host warmed by a 20 s hot-lot run as profile-surge warms it.
# usage: ORDER="4 1" SHOPPERS=100000 ab.sh OUT ROUNDS     (values are --checkout-attempts)
# Run from inside a checkout after `dotnet build -c Release`, on an idle machine.
set -u
repo=$(git rev-parse --show-toplevel)
out=$(realpath -m "$1"); rounds=$2
harness=$repo/loadtests/FlashSale.LoadTests/bin/Release/net10.0/FlashSale.LoadTests.dll
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
 for attempts in ${ORDER:-4 1}; do
  d="$out/r$r-attempts-$attempts"; mkdir -p "$d"
  # Each run starts on an idle machine: the 1-minute load below 1.0 (the last run's own load included).
  while awk '{ exit !($1 > 1.0) }' /proc/loadavg; do sleep 5; done
  echo "== round $r attempts $attempts load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  (cd $repo/api/FlashSale.Api && ASPNETCORE_ENVIRONMENT=Development exec dotnet bin/Release/net10.0/FlashSale.Api.dll --in-memory --urls http://127.0.0.1:5097 --no-demo --FlashSale:RateLimits:Enabled=false --Logging:LogLevel:Default=Warning >"$d/host.log" 2>&1) &
  hp=$!
  for i in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:5097/api/lots && break; sleep 0.5; done
  hpid=$(pgrep -f 'FlashSale.Api.dll --in-memory --urls http://127.0.0.1:5097' | head -1)
  timeout 120 dotnet $harness hot-lot --url http://127.0.0.1:5097 --mode closed --shoppers 200 --concurrency 64 --duration 20 --warm-up 3 --reports "$d/warming" > "$d/warming.log" 2>&1
  timeout 900 dotnet $harness opening-surge --url http://127.0.0.1:5097 --shoppers ${SHOPPERS:-100000} --quantity 1000 --arrival 2 \
    --connections 1024 --request-timeout 30 --max-run 1800 --checkout-attempts $attempts --reports "$d/surge" > "$d/surge.log" 2>&1
  echo "round $r attempts $attempts exit $?" | tee -a "$out/log.txt"
  kill $hpid; wait $hp 2>/dev/null
 done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
