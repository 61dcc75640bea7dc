#!/bin/bash
# usage: run.sh OUT ROUNDS variant...   variant = name:tree[:extra host args]
set -u
out=$1; rounds=$2; shift 2
harness=/work/main/loadtests/FlashSale.LoadTests/bin/Release/net10.0/FlashSale.LoadTests.dll
mkdir -p "$out"
for r in $(seq 1 "$rounds"); do
 for v in "$@"; do
  IFS=: read -r name tree extra <<<"$v"
  d="$out/r$r-$name"; mkdir -p "$d"; rm -rf /tmp/ab-data
  echo "== round $r $name load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
  (cd $tree/api/FlashSale.Api && ASPNETCORE_ENVIRONMENT=Development exec dotnet bin/Release/net10.0/FlashSale.Api.dll --data /tmp/ab-data --urls http://127.0.0.1:5096 --no-demo --FlashSale:RateLimits:Enabled=false --Logging:LogLevel:Default=Warning $extra >"$d/host.log" 2>&1) &
  hp=$!
  for i in $(seq 1 60); do curl -sf -o /dev/null http://127.0.0.1:5096/api/lots && break; sleep 0.5; done
  hpid=$(pgrep -f 'FlashSale.Api.dll --data /tmp/ab-data' | head -1)
  for k in $(seq 1 ${RUNS:-3}); do
    t0=$(awk '{print $14+$15}' /proc/$hpid/stat)
    timeout 300 dotnet $harness ussd --url http://127.0.0.1:5096 --handsets ${HANDSETS:-5000} --quantity ${QUANTITY:-500} --arrival ${ARRIVAL:-5} --reports "$d/run$k" > "$d/run$k.log" 2>&1
    t1=$(awk '{print $14+$15}' /proc/$hpid/stat)
    p99=$(grep -E '^\| [a-z-]+ \| [0-9]' "$d/run$k/ussd.md" | awk -F'|' '{gsub(/ /,"",$2); gsub(/ /,"",$10); printf "%s=%s ", $2, $10}')
    audit=$(grep -c 'Audit passed' "$d/run$k.log")
    echo "round $r $name run$k hostcpu=$(( (t1-t0) ))cs audit=$audit p99: $p99" | tee -a "$out/log.txt"
  done
  kill $hpid; wait $hp 2>/dev/null
 done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log.txt"
