#!/usr/bin/env bash
# examples/module-migration: the whole walkthrough with one command, at human speed (about 5 minutes).
#
# Starts the control plane (./cutover serve, its store in a fresh temp folder), the example app,
# and a steady stream of quotes from 400 customers (curl, 40 a second). Then it starts the three
# modules' plans, switches on the new shipping module's bug, rolls back the discounts module by
# hand once its 1% alert came, waits for pricing to reach the new module only, and at the end
# rolls every module back. Watch it in another terminal:
#
#   ./cutover status --group orders --watch --admin http://127.0.0.1:8091
#
# Everything listens on 127.0.0.1 (the control plane on 8090/8091, the app on 5090); Ctrl+C stops
# it all, and so does the end of the walkthrough.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
admin=http://127.0.0.1:8091
app=http://127.0.0.1:5090
modules=(orders-pricing orders-discounts orders-shipping)
# shellcheck source=../walkthrough.sh
source examples/walkthrough.sh
plan_is() { ctl status "$1" --json | grep -q "\"status\": \"$2\""; }
alerted() { curl -sf "$app/alerts" | grep -q "\"kind\":\"$1\",\"migration\":\"$2\""; }
quote() { curl -sf "$app/quotes/$1?sku=widget&quantity=3"; echo; }

ports_free 8090 8091 5090

say "Starting the control plane (store and log in $work)"
(cd "$work" && exec "$root/cutover" serve -c "$root/examples/module-migration/cutover.yaml") >"$work/cutover.log" 2>&1 &
pids+=($!)
wait_for 300 "the control plane" curl -sf "$admin/readyz"

say "Building and starting the app on $app"
dotnet run --project examples/module-migration -- --Cutover:CacheFile "$work/state.json" >"$work/app.log" 2>&1 &
pids+=($!)
wait_for 300 "the app" curl -sf "$app/quotes/1"
quote 7

say "Sending quotes from 400 customers, 40 a second"
(while :; do curl -s --rate 40/s "$app/quotes/[1-400]?sku=widget&quantity=3" >/dev/null || sleep 1; done) &
pids+=($!)

say "The pre-migration checklist of each module (both sides answer, a rollback path, calls flowing)"
for m in "${modules[@]}"; do wait_for 60 "$m's checks" ctl check "$m"; done
ctl check orders-pricing

say "Starting every module's plan: shadow (both, checked), then 10% and 50% of customers, then the new one only"
for m in "${modules[@]}"; do ctl promote "$m" -r "start the module migration"; done

say "The new shipping module gets a bug: it overcharges 20% of quotes (POST /faults/shipping)"
sleep 20
curl -sf -X POST "$app/faults/shipping?rate=0.2"; echo
say "Over 5% divergence for 20 s, the shipping plan rolls back by itself; users kept getting legacy's answers meanwhile"
wait_for 120 "shipping to roll back" plan_is orders-shipping rolled-back
ctl status orders-shipping

say "Discounts: the new rules differ on about 2.5% of quotes; over the 1% gate, Cutover alerts (gate-failed) and holds the module in shadow"
wait_for 180 "the discounts alert" alerted gate-failed orders-discounts
curl -sf "$app/alerts"; echo
say "Rolling back that one module by hand; pricing and the others go on"
ctl rollback orders-discounts -r "new discount rules give a welcome discount legacy never gave"

say "Pricing never diverges: 10%, then 50% of customers by a hash of their id, then the new module only (about 3 minutes)"
wait_for 600 "pricing to complete" plan_is orders-pricing completed
ctl status --group orders
quote 7

say "Rolling back all of them"
for m in "${modules[@]}"; do ctl rollback "$m" -r "roll the whole orders package back"; done
wait_for 30 "every module on legacy" bash -c "! curl -sf '$app/quotes/7?sku=widget&quantity=3' | grep -q '\"engine\":\"new\"'"
quote 7
ctl status --group orders
say "The audit of the shipping module: every move with its actor and reason"
ctl audit orders-shipping --limit 10
say "Done; this run's store and logs are removed on exit."
