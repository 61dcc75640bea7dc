#!/usr/bin/env bash
# A presale, start to finish, against a running host started with the README's run command
# (Development: the sandbox gateway is on). A seller creates a presale of 10 boxes whose harvest
# window opens 70 seconds later; three shoppers reserve 4, 4 and 2 boxes and pay their deposits
# (30 %) in the sandbox wallet; when the window opens the seller previews and then declares a short
# harvest of 7, shared pro rata (3, 3 and 1); every unallocated box's deposit comes back; two
# shoppers pay their balances; the third is left unpaid and forfeits when its balance window
# (1 hour) closes. The extra harvest a good year brings would go on sale with POST .../surplus.
#
# usage: scripts/presale-demo.sh [http://127.0.0.1:5080]
set -euo pipefail
api=${1:-http://127.0.0.1:5080}
command -v jq >/dev/null || { echo "jq is needed (scripts/install-prerequisites.sh installs it)" >&2; exit 1; }

json() { curl -sS --fail-with-body -H 'Content-Type: application/json' "$@"; }
step() { printf '\n==> %s\n' "$*"; }

# Waits (at most 20 s) until the order shows the status; the sandbox's webhook is asynchronous.
wait_for() {
  local token=$1 order=$2 want=$3 status=""
  for _ in $(seq 1 200); do
    status=$(json "$api/api/orders/$order" -H "Authorization: Bearer $token" | jq -r .status)
    [ "$status" = "$want" ] && return 0
    sleep 0.1
  done
  echo "order $order is $status, not $want" >&2
  exit 1
}

step "A seller creates a presale: 10 boxes forecast, 30 % deposit, harvest window from 70 s from now, pro rata"
seller=$(json -X POST "$api/api/sellers" -d '{"name":"Gannan orange co-op"}' | jq -r .token)
from=$(date -u -d '+70 seconds' +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
lot=$(json -X POST "$api/api/lots" -H "Authorization: Bearer $seller" -d "{
  \"name\":\"Gannan navel oranges, grade A\",\"unit\":\"box (10 kg)\",\"priceMinor\":9900,\"currency\":\"CNY\",
  \"quantity\":10,\"perShopperLimit\":4,\"kind\":\"presale\",\"depositPercent\":30,\"harvestFrom\":\"$from\",
  \"harvestTo\":\"$to\",\"balanceWindowHours\":1,\"allocation\":\"pro-rata\",\"grade\":\"A\"}" | jq -r .lotId)
echo "lot $lot"

declare -a tokens orders
for want in 4 4 2; do
  token=$(json -X POST "$api/api/shoppers" -d '{"name":"Shopper"}' | jq -r .token)
  json -X PUT "$api/api/cart/items/$lot" -H "Authorization: Bearer $token" -d "{\"quantity\":$want}" >/dev/null
  order=$(json -X POST "$api/api/checkout" -H "Authorization: Bearer $token" -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" \
    -d '{"paymentMethod":"wallet"}')
  id=$(jq -r .orderId <<<"$order")
  step "A shopper reserves $want boxes: order $id, deposit due $(jq -r .payment.amountMinor <<<"$order") of $(jq -r .totalMinor <<<"$order") (minor units)"
  json -X POST "$api/api/sandbox/payments/$(jq -r .payment.paymentId <<<"$order")/complete" -H "Authorization: Bearer $token" -d '{"outcome":"succeeded"}' >/dev/null
  wait_for "$token" "$id" deposit-paid
  echo "deposit paid"
  tokens+=("$token"); orders+=("$id")
done

json "$api/api/lots/$lot" | jq -c '{status, quantity, available, sold}'

step "Waiting for the harvest window to open at $from"
while [ "$(date -u +%s)" -le "$(date -u -d "$from" +%s)" ]; do
  printf '\r%3d s to go' $(( $(date -u -d "$from" +%s) - $(date -u +%s) )); sleep 1
done
printf '\n'

step "The seller previews a harvest of 7 (nothing changes), then declares it"
json "$api/api/lots/$lot/harvest/preview?quantity=7" -H "Authorization: Bearer $seller" | jq -c '.orders'
json -X POST "$api/api/lots/$lot/harvest" -H "Authorization: Bearer $seller" -d '{"quantity":7}' | jq -c '{declared, orders}'
json "$api/api/lots/$lot" | jq -c '{status, quantity, available, sold, harvest}'

for i in 0 1 2; do
  wait_for "${tokens[$i]}" "${orders[$i]}" awaiting-balance
  json "$api/api/orders/${orders[$i]}" -H "Authorization: Bearer ${tokens[$i]}" \
    | jq -c '{orderId, status, allocated: .presale.allocated, balanceDue: .payment.amountMinor, payBy: .payment.expiresAt, refunds}'
done

for i in 0 1; do
  step "Shopper $((i + 1)) pays the balance"
  balance=$(json "$api/api/orders/${orders[$i]}" -H "Authorization: Bearer ${tokens[$i]}" | jq -r .payment.paymentId)
  json -X POST "$api/api/sandbox/payments/$balance/complete" -H "Authorization: Bearer ${tokens[$i]}" -d '{"outcome":"succeeded"}' >/dev/null
  wait_for "${tokens[$i]}" "${orders[$i]}" paid
  echo "paid"
done

step "Shopper 3 leaves the balance unpaid: at its deadline the order is forfeited (the deposit stays with the seller, the box goes back to the lot)"
json "$api/api/orders/${orders[2]}" -H "Authorization: Bearer ${tokens[2]}" | jq -c '{orderId, status, payBy: .payment.expiresAt}'
echo "check it after that time: curl -s $api/api/orders/${orders[2]} -H 'Authorization: Bearer ${tokens[2]}' | jq .status"
