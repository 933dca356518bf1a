#!/usr/bin/env bash
# Runs samples/three-hosts on loopback: liveA and liveB heartbeat to one backup; liveA is killed
# and only its routes start on the backup; it comes back and they stop. Exits 0 only if every
# step happened. Argument: "xpath" to route with the sample's own XPath route instead of the
# per-host keys.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/three-hosts"
VARIANT="${1:-keys}"
WORK="$ROOT/target/samples/three-hosts"
STATUS=http://127.0.0.1:8081/hotbackup/status
build_jar
rm -rf "$WORK"; mkdir -p "$WORK/orders/a/inbox" "$WORK/orders/b/inbox"
SHARED="orders.dir=$WORK/orders"

if [ "$VARIANT" = xpath ]; then
  B=$(host_dir backup "$HERE/backup-xpath.properties" "$HERE/routes" "$HERE/routes-xpath")
else
  B=$(host_dir backup "$HERE/backup.properties" "$HERE/routes")
fi
A=$(host_dir liveA "$HERE/live-a.properties" "$HERE/routes")
C=$(host_dir liveB "$HERE/live-b.properties" "$HERE/routes")
for d in "$A" "$B" "$C"; do echo "$SHARED" >> "$d/application.properties"; done

start backup "$B"
start liveA "$A"
start liveB "$C"
wait_status "$STATUS" '[.monitors[] | select(.state=="LIVE")] | length' 2
say "backup sees liveA and liveB LIVE (status page: http://127.0.0.1:8081/hotbackup/)"

kill -9 "$(pid_of liveA)"
say "liveA killed with SIGKILL"
wait_status "$STATUS" '.monitors[] | select(.host=="liveA") | .state' DEAD 30
if [ "$VARIANT" = xpath ]; then
  # the user's route starts the routes; the status shows the Camel status of the named routes
  wait_status "http://127.0.0.1:9877/observe/health?data=true" '.status' UP
  sleep 1
else
  wait_status "$STATUS" '.monitors[] | select(.host=="liveA") | .routes[0].status' Started 10
  wait_status "$STATUS" '.monitors[] | select(.host=="liveB") | .routes[0].status' Stopped 10
fi
say "backup: liveA DEAD, orders-a taken over, orders-b left to liveB"
echo "order-1" > "$WORK/orders/a/inbox/order-1.txt"
echo "order-2" > "$WORK/orders/b/inbox/order-2.txt"
for i in $(seq 1 100); do
  [ -f "$WORK/orders/a/outbox/order-1.txt" ] && [ -f "$WORK/orders/b/outbox/order-2.txt" ] && break
  sleep 0.1
done
grep -q "moved by backup" "$WORK/orders/a/outbox/order-1.txt" || { say "FAILED: order-1 not moved by backup"; exit 1; }
grep -q "moved by liveB" "$WORK/orders/b/outbox/order-2.txt" || { say "FAILED: order-2 not moved by liveB"; exit 1; }
say "order-1 moved by the backup, order-2 by liveB"

start liveA "$A"
wait_status "$STATUS" '.monitors[] | select(.host=="liveA") | .state' LIVE 60
if [ "$VARIANT" != xpath ]; then
  wait_status "$STATUS" '.monitors[] | select(.host=="liveA") | .routes[0].status' Stopped 10
fi
say "liveA LIVE again: the backup released orders-a. Done."
