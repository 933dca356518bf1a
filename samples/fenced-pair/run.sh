#!/usr/bin/env bash
# Runs samples/fenced-pair on loopback: an H2 server as the arbiter and the business database,
# hostA (live, "orders" under its lease) and hostB (full backup). hostA hangs longer than its lease:
# hostB takes over under a new epoch; hostA resumes, fences itself, and gets its work back under a
# newer one; a write under an old epoch is refused. Exits 0 only if every step happened.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/fenced-pair"
WORK="$ROOT/target/samples/fenced-pair"
build_jar
rm -rf "$WORK"; mkdir -p "$WORK/db"
DB_PORT=9093
# the arbiter and the business database: an H2 server (the jar carries H2)
h2_server "$DB_PORT"
sql() { java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:tcp://127.0.0.1:$DB_PORT/./business" -user sa -password "" -sql "$1"; }
sql "CREATE TABLE IF NOT EXISTS orders_state(id INT PRIMARY KEY, epoch BIGINT, last_by VARCHAR(255), n BIGINT); MERGE INTO orders_state KEY(id) VALUES (1, 0, 'nobody', 0)" >/dev/null
say "H2 server on 127.0.0.1:$DB_PORT: the leases and the orders table"
A=$(host_dir hostA "$HERE/live.properties" "$HERE/routes")
B=$(host_dir hostB "$HERE/backup.properties" "$HERE/routes")
# loopback: HOST_DIR HTTP_PORT OBSERVE_PORT
loopback() {
  cat >> "$1/application.properties" <<PROPS
hotbackup.arbiter.jdbc.url=jdbc:h2:tcp://127.0.0.1:$DB_PORT/./arbiter
hotbackup.arbiter.jdbc.username=sa
orders.db=jdbc:h2:tcp://127.0.0.1:$DB_PORT/./business
hotbackup.http.enabled=true
hotbackup.http.port=$2
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=$3
PROPS
}
loopback "$A" 8095 9895
loopback "$B" 8096 9896
echo "hotbackup.backup-location=127.0.0.1:7811" >> "$A/application.properties"
echo "hotbackup.listener.bind-address=127.0.0.1" >> "$B/application.properties"
start hostB "$B" -b
start hostA "$A"
lease() { echo ".instance.arbiter.leases[] | select(.lease==\"hostA/base\") | .$1"; }
wait_status http://127.0.0.1:8095/hotbackup/status "$(lease state)" HELD
wait_status http://127.0.0.1:8096/hotbackup/status '.monitors[] | select(.host=="hostA") | .state' LIVE
say "hostA holds its lease, epoch $(curl -fsS http://127.0.0.1:8095/hotbackup/status | jq -r "$(lease epoch)"); hostB is $(curl -fsS http://127.0.0.1:8096/hotbackup/status | jq -r .instance.arbiterRole)"
sleep 1
say "orders: $(sql "SELECT epoch, last_by, n FROM orders_state" | sed -n 2p)"

kill -STOP "$(pid_of hostA)"
say "hostA hung (SIGSTOP); its lease lapses 4 s after its last renewal"
wait_status http://127.0.0.1:8096/hotbackup/status '.instance.arbiterRole' active 30
E2=$(curl -fsS http://127.0.0.1:8096/hotbackup/status | jq -r "$(lease epoch)")
say "hostB took orders over under epoch $E2"
sleep 1
ROW=$(sql "SELECT epoch, last_by FROM orders_state" | sed -n 2p)
say "orders: $ROW"
echo "$ROW" | grep -q hostB || { say "FAILED: hostB wrote no order"; exit 1; }

kill -CONT "$(pid_of hostA)"
say "hostA resumed (SIGCONT): it finds its lease gone and fences"
wait_status http://127.0.0.1:8095/hotbackup/status "$(lease state)" HELD 30
E3=$(curl -fsS http://127.0.0.1:8095/hotbackup/status | jq -r "$(lease epoch)")
[ "$E3" -gt "$E2" ] || { say "FAILED: hostA's new epoch $E3 is not above $E2"; exit 1; }
grep -q '"state":"FENCED"' "$A/logs/hotbackup-activity.log" || { say "FAILED: hostA did not fence"; exit 1; }
wait_status http://127.0.0.1:8096/hotbackup/status '.instance.arbiterRole' standby 30
say "hostA runs orders again under epoch $E3; hostB gave the lease back and stands by"

sleep 1
OUT=$(sql "UPDATE orders_state SET epoch = 1, last_by = 'stale', n = n + 1 WHERE id = 1 AND epoch <= 1")
echo "$OUT" | grep -q "Update count: 0," || { say "FAILED: a write under epoch 1 went through: $OUT"; exit 1; }
say "a write under epoch 1 is refused; orders: $(sql "SELECT epoch, last_by, n FROM orders_state" | sed -n 2p). Done."
