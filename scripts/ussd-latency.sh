#!/bin/bash
# Sequential USSD sessions through the sandbox gateway: each is dial, live lots, a lot, hold prompt, hold 1, release.
# Prints each step's time_total in ms (curl), then p50/p99 per step kind.
URL=${1:-http://127.0.0.1:5091}; N=${2:-200}
for i in $(seq 1 $N); do
  phone=$(printf "+2547%08d" $((10000000 + i)))
  s="lat-$i-$RANDOM"
  for text in "" "1" "1*3" "1*3*1" "1*3*1*1" "1*3*1*1*2"; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -X POST "$URL/api/sandbox/phone/ussd" -H 'content-type: application/json' \
      -d "{\"sessionId\":\"$s\",\"phoneNumber\":\"$phone\",\"text\":\"$text\"}")
    echo "${text:-dial} $t"
  done
done
