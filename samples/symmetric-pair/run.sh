#!/usr/bin/env bash
# Runs samples/symmetric-pair on loopback: hostA and hostB are each other's backup. hostB is
# killed, hostA takes over daily-report; hostB comes back and hostA releases it. Exits 0 only if
# every step happened.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/symmetric-pair"
WORK="$ROOT/target/samples/symmetric-pair"
build_jar
rm -rf "$WORK"; mkdir -p "$WORK/shared/inbox"
mkdir -p "$WORK"
A=$(host_dir hostA "$HERE/host-a/application.properties" "$HERE/routes" "$ROOT/samples/file-use-case/routes")
B=$(host_dir hostB "$HERE/host-b/application.properties" "$HERE/routes" "$ROOT/samples/file-use-case/routes")
# loopback addresses and ports: HOST_DIR OTHER_LISTENER HTTP_PORT OBSERVE_PORT
loopback() {
  cat >> "$1/application.properties" <<PROPS
hotbackup.backup-location=127.0.0.1:$2
hotbackup.listener.bind-address=127.0.0.1
hotbackup.http.enabled=true
hotbackup.http.port=$3
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=$4
files.dir=$WORK/shared
report.period=1s
PROPS
}
loopback "$A" 7802 8091 9891
loopback "$B" 7801 8092 9892
start hostA "$A"
start hostB "$B"
wait_status http://127.0.0.1:8091/hotbackup/status '.monitors[] | select(.host=="hostB") | .state' LIVE
wait_status http://127.0.0.1:8092/hotbackup/status '.monitors[] | select(.host=="hostA") | .state' LIVE
say "each host sees the other LIVE; roles: $(curl -fsS http://127.0.0.1:8091/hotbackup/status | jq -r .instance.role)"
kill -9 "$(pid_of hostB)"
say "hostB killed with SIGKILL"
wait_status http://127.0.0.1:8091/hotbackup/status '.monitors[] | select(.host=="hostB") | .routes[0].status' Started 30
say "hostA runs daily-report now (role $(curl -fsS http://127.0.0.1:8091/hotbackup/status | jq -r .instance.role))"
for i in $(seq 1 50); do grep -q "report by hostA" "$WORK/shared/reports/report.txt" 2>/dev/null && break; sleep 0.1; done
grep -q "report by hostA" "$WORK/shared/reports/report.txt" || { say "FAILED: no report by hostA"; exit 1; }
start hostB "$B"
wait_status http://127.0.0.1:8091/hotbackup/status '.monitors[] | select(.host=="hostB") | .routes[0].status' Stopped 60
say "hostB LIVE again: hostA released daily-report. Done."
