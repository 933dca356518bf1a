#!/usr/bin/env bash
# Runs samples/database-pair on loopback: an H2 server stands in for the shared database (the
# heartbeat table, the configuration copy and the leases); hostA and hostB run the very same
# application.properties and never open a connection to each other. hostA starts first and is the
# primary, hostB registers as its standby and receives its configuration, a third instance is
# refused. hostA is killed: hostB sees its counter stand still, takes orders over under the pair's
# lease, tells its own route before and after (PRE, POST) and is the primary. hostA comes back as
# the standby: orders stays on hostB. Exits 0 only if every step happened.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/database-pair"
WORK="$ROOT/target/samples/database-pair"
build_jar
rm -rf "$WORK"
DB_PORT=9094
h2_server "$DB_PORT"
say "H2 server on 127.0.0.1:$DB_PORT: the heartbeat table, the configuration copy and the leases"
SAMPLE_PROPS="$WORK/application.properties"
mkdir -p "$WORK"
# on loopback: the H2 server instead of PostgreSQL, the status page on
cat "$HERE/application.properties" - > "$SAMPLE_PROPS" <<PROPS
hotbackup.arbiter.jdbc.url=jdbc:h2:tcp://127.0.0.1:$DB_PORT/./pair
hotbackup.arbiter.jdbc.username=sa
hotbackup.http.enabled=true
hotbackup.http.bind-address=127.0.0.1
PROPS
A=$(host_dir hostA "$SAMPLE_PROPS" "$HERE/routes")
B=$(host_dir hostB "$SAMPLE_PROPS" "$HERE/routes")
C=$(host_dir hostC "$SAMPLE_PROPS" "$HERE/routes")
cmp -s "$A/application.properties" "$B/application.properties" || { say "FAILED: not the same file"; exit 1; }
SA=http://127.0.0.1:8097/hotbackup/status
SB=http://127.0.0.1:8098/hotbackup/status
# what differs between the hosts comes from the environment, as on real machines
HOTBACKUP_HOST=hostA HOTBACKUP_HTTP_PORT=8097 HOTBACKUP_HTTP_OBSERVE_PORT=9897 start hostA "$A"
wait_status "$SA" '.instance.role' primary
wait_status "$SA" '.instance.arbiter.leases[] | select(.lease=="pair/base") | .state' HELD
HOTBACKUP_HOST=hostB HOTBACKUP_HTTP_PORT=8098 HOTBACKUP_HTTP_OBSERVE_PORT=9898 start hostB "$B"
wait_status "$SB" '.instance.role' standby
wait_status "$SB" '.monitors[] | select(.host=="hostA") | .state' LIVE
say "hostA is the primary and runs orders; hostB registered as its standby"

wait_status "$SB" '.instance.configBackup.drift' false 30
say "hostB has hostA's configuration (generation $(curl -fsS "$SB" | jq -r .instance.configBackup.generation)) in data/config-backup/current/; same as its own"
grep -q '^# orders.api-token: not copied (a secret)$' "$B/data/config-backup/current/application.properties" \
  || { say "FAILED: the secret line is not left out of the copy"; exit 1; }
! grep -rq 'token-that-stays-on-this-host' "$B/data/config-backup/" \
  || { say "FAILED: the secret travelled"; exit 1; }
say "the secret orders.api-token stayed on hostA"

set +e
(cd "$C" && HOTBACKUP_HOST=hostC HOTBACKUP_HTTP_PORT=8099 HOTBACKUP_HTTP_OBSERVE_PORT=9899 \
  timeout 60 java -Xmx256m -jar "$JAR" > "$C/out.log" 2>&1)
RC=$?
set -e
[ "$RC" = 2 ] || { say "FAILED: hostC exited with $RC, expected 2"; cat "$C/out.log" >&2; exit 1; }
say "hostC refused (exit 2): $(grep -o 'hotbackup.role: .*' "$C/out.log")"

kill -9 "$(pid_of hostA)"
wait "$(pid_of hostA)" 2>/dev/null || true
say "hostA killed (SIGKILL)"
wait_status "$SB" '.instance.role' primary 30
say "hostB: $(grep '"state":"DEAD"' "$B/logs/hotbackup-activity.log" | head -1 | jq -r .detail)"
for i in $(seq 1 50); do [ "$(wc -l < "$B/logs/failover.log" 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.2; done
say "hostB's failover notices: $(tr '\n' ';' < "$B/logs/failover.log")"
grep -q '^PRE hostA/base' "$B/logs/failover.log" && grep -q '^POST hostA/base .*complete=true' "$B/logs/failover.log" \
  || { say "FAILED: no PRE and complete POST notice"; exit 1; }
sleep 1
say "orders on hostB, now the primary: $(tail -1 "$B/logs/orders.log")"

HOTBACKUP_HOST=hostA HOTBACKUP_HTTP_PORT=8097 HOTBACKUP_HTTP_OBSERVE_PORT=9897 start hostA "$A"
wait_status "$SA" '.instance.role' standby 60
say "hostA restarted and registered as the standby"
sleep 3
LAST=$(tail -1 "$B/logs/orders.log")
say "orders stays on hostB: $LAST"
echo "$LAST" | grep -q "hostB epoch" || { say "FAILED: hostB does not run orders any more"; exit 1; }
AFTER=$(awk -v t="$(date -d '-2 seconds' +%H:%M:%S)" '$1 > t' "$A/logs/orders.log" | wc -l)
[ "$AFTER" = 0 ] || { say "FAILED: hostA runs orders again"; exit 1; }
say "Done."
