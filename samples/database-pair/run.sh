#!/usr/bin/env bash
# Runs samples/database-pair on loopback: an H2 server stands in for the shared database (the
# heartbeat table and the leases), hostA the live host, hostB its backup; the two never open a
# connection to each other. hostA is killed: hostB sees its counter stand still, takes orders over
# under hostA's lease and tells its own route before and after (PRE, POST). hostA comes back:
# its counter moves, hostB hands orders back. Exits 0 only if every step happened.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/database-pair"
WORK="$ROOT/target/samples/database-pair"
build_jar
rm -rf "$WORK"
DB_PORT=9094
h2_server "$DB_PORT"
say "H2 server on 127.0.0.1:$DB_PORT: the heartbeat table and the leases"
A=$(host_dir hostA "$HERE/live.properties" "$HERE/routes")
B=$(host_dir hostB "$HERE/backup.properties" "$HERE/routes")
# loopback: HOST_DIR HTTP_PORT OBSERVE_PORT
loopback() {
  cat >> "$1/application.properties" <<PROPS
hotbackup.arbiter.jdbc.url=jdbc:h2:tcp://127.0.0.1:$DB_PORT/./pair
hotbackup.arbiter.jdbc.username=sa
hotbackup.http.enabled=true
hotbackup.http.port=$2
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=$3
PROPS
}
loopback "$A" 8097 9897
loopback "$B" 8098 9898
SA=http://127.0.0.1:8097/hotbackup/status
SB=http://127.0.0.1:8098/hotbackup/status
start hostB "$B"
start hostA "$A"
wait_status "$SA" '.instance.arbiter.leases[] | select(.lease=="hostA/base") | .state' HELD
wait_status "$SB" '.monitors[] | select(.host=="hostA") | .state' LIVE
sleep 1
say "hostA runs orders; hostB reads its counter: $(curl -fsS "$SB" | jq -c '.instance.link.rows[] | select(.host=="hostA") | {lastcount, updatedMillisAgo}')"

kill -9 "$(pid_of hostA)"
wait "$(pid_of hostA)" 2>/dev/null || true
say "hostA killed (SIGKILL)"
wait_status "$SB" '.instance.arbiterRole' active 30
say "hostB: $(grep '"state":"DEAD"' "$B/logs/hotbackup-activity.log" | head -1 | jq -r .detail)"
wait_status "$SB" '.monitors[] | select(.host=="hostA") | .state' DEAD
for i in $(seq 1 50); do [ "$(wc -l < "$B/logs/failover.log" 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.2; done
say "hostB's failover notices: $(tr '\n' ';' < "$B/logs/failover.log")"
grep -q '^PRE hostA/base' "$B/logs/failover.log" && grep -q '^POST hostA/base .*complete=true' "$B/logs/failover.log" \
  || { say "FAILED: no PRE and complete POST notice"; exit 1; }
sleep 1
say "orders on hostB: $(tail -1 "$B/logs/orders.log")"

start hostA "$A"
say "hostA restarted"
wait_status "$SA" '.instance.arbiter.leases[] | select(.lease=="hostA/base") | .state' HELD 60
wait_status "$SB" '.instance.arbiterRole' standby 30
sleep 1
LAST=$(tail -1 "$A/logs/orders.log")
say "orders back on hostA: $LAST"
echo "$LAST" | grep -q "hostA epoch 3$" || { say "FAILED: hostA does not run orders under epoch 3"; exit 1; }
say "Done."
