#!/usr/bin/env bash
# Runs samples/load-balancer on loopback: HAProxy in front of serverA (live) and serverB (its full
# backup). A client calls GET /orders through HAProxy all along; serverA is killed (SIGKILL), then
# started again. HAProxy's health check, GET /hotbackup/active/serverA, sends the calls to whichever
# instance runs serverA's routes. Prints how many calls failed and for how long, and exits 0 only
# if the calls went to serverB after the kill and back to serverA after the restart.
source "$(dirname "$0")/../lib/loopback.sh"
if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  echo "This sample needs HAProxy; install it first (Debian/Ubuntu: sudo apt-get install haproxy)." >&2
  exit 2
fi
HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
HERE="$ROOT/samples/load-balancer"
WORK="$ROOT/target/samples/load-balancer"
build_jar
rm -rf "$WORK"; mkdir -p "$WORK"
LB=8110 A_HTTP=8111 B_HTTP=8112 LISTENER=7831
A=$(host_dir serverA "$HERE/live.properties" "$HERE/routes")
B=$(host_dir serverB "$HERE/backup.properties" "$HERE/routes")
# on loopback both hosts share the machine: each its own ports
cat >> "$A/application.properties" <<PROPS
hotbackup.backup-location=127.0.0.1:$LISTENER
hotbackup.http.port=$A_HTTP
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=9911
PROPS
cat >> "$B/application.properties" <<PROPS
hotbackup.listener.port=$LISTENER
hotbackup.listener.bind-address=127.0.0.1
hotbackup.http.port=$B_HTTP
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=9912
PROPS
start serverB "$B" -b
start serverA "$A"
(LB_BIND=127.0.0.1:$LB SERVER_A=127.0.0.1:$A_HTTP SERVER_B=127.0.0.1:$B_HTTP \
  exec "$HAPROXY" -db -f "$HERE/haproxy.cfg" >> "$WORK/haproxy.log" 2>&1) &
PIDS+=($!)
say "HAProxy on 127.0.0.1:$LB in front of serverA (:$A_HTTP) and serverB (:$B_HTTP)"
wait_status "http://127.0.0.1:$B_HTTP/hotbackup/status" '.monitors[] | select(.host=="serverA") | .state' LIVE
code_of() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }
answers() { [ "$(code_of "$1")" = "$2" ]; }
# active_is URL CODE: waits until the active-host check at URL answers CODE
active_is() {
  wait_for 30 answers "$1" "$2" || { say "FAILED: $1 answers $(code_of "$1"), expected $2"; exit 1; }
}
ACTIVE_A="http://127.0.0.1:$A_HTTP/hotbackup/active/serverA"
ACTIVE_B="http://127.0.0.1:$B_HTTP/hotbackup/active/serverA"
active_is "$ACTIVE_A" 200
say "serverA runs orders: /hotbackup/active/serverA answers $(code_of "$ACTIVE_A") on serverA, $(code_of "$ACTIVE_B") on serverB"

# HAProxy has seen serverA's check pass (it checks every 200 ms) once a call through it is served
lb_serves_a() { curl -s --max-time 2 "http://127.0.0.1:$LB/orders" 2>/dev/null | grep -q "by serverA"; }
wait_for 30 lb_serves_a || { say "FAILED: HAProxy does not send calls to serverA (see $WORK/haproxy.log)"; exit 1; }

# the client: one call every 50 ms; a line per call: when it started and when it ended (ms), the
# HTTP code, who served it
CALLS="$WORK/calls.txt"
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
client() {
  while [ ! -e "$WORK/stop-client" ]; do
    local t out code who
    t=$(now_ms)
    out=$(curl -s --max-time 2 -w ' %{http_code}' "http://127.0.0.1:$LB/orders" 2>/dev/null || true)
    code=${out##* }
    who=-
    [ "$code" = 200 ] && who=$(echo "$out" | sed -n 's/^order accepted by \([^ ]*\).*/\1/p' | head -1)
    echo "$t $(now_ms) ${code:-000} $who" >> "$CALLS"
    sleep 0.05
  done
}
: > "$CALLS"
client &
CLIENT=$!
PIDS+=($CLIENT)

# served_by NAME SINCE_MS [SECONDS]: waits until a call started after SINCE_MS was served by NAME
served() { awk -v s="$2" -v n="$1" '$1 >= s && $3 == 200 && $4 == n { found = 1 } END { exit !found }' "$CALLS"; }
served_by() {
  wait_for "${3:-30}" served "$1" "$2" && return 0
  say "FAILED: no call after $2 was served by $1 within ${3:-30} s"; tail -5 "$CALLS" >&2
  exit 1
}
served_by serverA "$(now_ms)"
sleep 2
KILLED=$(now_ms)
kill -KILL "$(pid_of serverA)"
wait "$(pid_of serverA)" 2>/dev/null || true
say "serverA killed (SIGKILL)"
served_by serverB "$KILLED"
say "serverB serves the calls: /hotbackup/active/serverA answers $(code_of "$ACTIVE_B") on serverB"
sleep 2
RESTARTED=$(now_ms)
start serverA "$A"
served_by serverA "$RESTARTED" 60
say "serverA is back and serves the calls again"
active_is "$ACTIVE_B" 503
sleep 2
touch "$WORK/stop-client"
wait "$CLIENT" 2>/dev/null || true
END=$(now_ms)

# phase FROM TO: calls that ended in [FROM, TO) (one still under way at the kill is the kill's),
# failed ones, and the time from the first failed call to the next one served
phase() {
  awk -v from="$1" -v to="$2" '
    $2 >= from && $2 < to {
      n++
      if ($3 != 200) { f++; if (first == "") first = $1 }
      else if (first != "" && back == "") back = $1
    }
    END {
      printf "%d calls, %d failed", n, f
      if (f > 0) printf ", none served for %d ms", (back == "" ? to : back) - first
      printf "\n"
    }' "$CALLS"
}
BEFORE=$(phase 0 "$KILLED")
AFTER_KILL=$(phase "$KILLED" "$RESTARTED")
AFTER_RESTART=$(phase "$RESTARTED" "$END")
say "before the kill: $BEFORE"
say "serverA killed: $AFTER_KILL"
say "serverA restarted: $AFTER_RESTART"
say "threshold 2 s, HAProxy checks every 200 ms; every call in $CALLS"
LAST=$(tail -1 "$CALLS")
case "$LAST" in
  *" 200 serverA") ;;
  *) say "FAILED: the last call was not served by serverA: $LAST"; exit 1 ;;
esac
say "Done."
