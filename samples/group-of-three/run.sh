#!/usr/bin/env bash
# Runs samples/group-of-three on loopback: an H2 server as the arbiter, and hostA, hostB, hostC as
# an active-active group, each with the same group file and routes. Shows, checking each step:
# each member runs its own orders and hostA (the master) the importer; hostA is killed and hostB
# takes over its orders and the master role; an operator moves hostC's orders to hostA and back;
# hostA returns and gets its orders back while hostB stays master. Exits 0 only if all happened.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/group-of-three"
WORK="$ROOT/target/samples/group-of-three"
build_jar
rm -rf "$WORK"; mkdir -p "$WORK/db" "$WORK/shared/import" "$WORK/shared/imported"
DB_PORT=9094
TOKEN=change-me-operator-token
h2_server "$DB_PORT"
say "H2 server on 127.0.0.1:$DB_PORT: the group's leases and its processing map"

# every member: the group file, then its name and what loopback needs (ports of its own)
declare -A HTTP=([hostA]=8111 [hostB]=8112 [hostC]=8113)
member() {
  local name="$1" dir
  dir=$(host_dir "$name" "$HERE/group.properties" "$HERE/routes")
  cat >> "$dir/application.properties" <<PROPS
hotbackup.host=$name
hotbackup.group.hub.members=hostA@127.0.0.1:7111,hostB@127.0.0.1:7112,hostC@127.0.0.1:7113
hotbackup.listener.bind-address=127.0.0.1
hotbackup.arbiter.jdbc.url=jdbc:h2:tcp://127.0.0.1:$DB_PORT/./arbiter
hotbackup.arbiter.jdbc.username=sa
hotbackup.http.enabled=true
hotbackup.http.port=${HTTP[$name]}
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=$(( ${HTTP[$name]} + 1000 ))
shared.dir=$WORK/shared
PROPS
  echo "$dir"
}
A=$(member hostA); B=$(member hostB); C=$(member hostC)
status() { echo "http://127.0.0.1:${HTTP[$1]}/hotbackup/status"; }
runs_on() { echo ".group.processingMap[] | select(.unit==\"$1\") | .runsOn"; }
show_map() {
  say "processing map seen by $1: $(curl -fsS "$(status "$1")" \
    | jq -r '[.group.processingMap[] | "\(.unit) on \(.runsOn) (epoch \(.epoch))"] | join(", ")')"
}

# hostA first: members started at once on a busy machine may see a slow one as DEAD, and the
# master role then stays with whoever was up (no preemption)
start hostA "$A"
wait_status "$(status hostA)" '.group.master' hostA
start hostB "$B"
start hostC "$C"
for m in hostA hostB hostC; do wait_status "$(status hostB)" "$(runs_on "work/$m")" "$m"; done
wait_status "$(status hostB)" '.group.master' hostA
show_map hostB

for i in 1 2 3; do echo "order $i" > "$WORK/shared/import/batch-$i.txt"; done
for i in 1 2 3; do
  for s in $(seq 1 100); do [ -f "$WORK/shared/imported/batch-$i.txt.by-hostA" ] && break; sleep 0.1; done
  [ -f "$WORK/shared/imported/batch-$i.txt.by-hostA" ] || { say "FAILED: batch-$i not imported by hostA"; exit 1; }
done
say "the master hostA imported 3 files: $(ls "$WORK/shared/imported" | tr '\n' ' ')"

kill -9 "$(pid_of hostA)"
say "hostA killed (SIGKILL)"
wait_status "$(status hostB)" "$(runs_on work/hostA)" hostB 30
wait_status "$(status hostB)" '.group.master' hostB 30
say "hostB runs hostA's orders and is the master now"
show_map hostC
echo "order 4" > "$WORK/shared/import/batch-4.txt"
for s in $(seq 1 100); do [ -f "$WORK/shared/imported/batch-4.txt.by-hostB" ] && break; sleep 0.1; done
[ -f "$WORK/shared/imported/batch-4.txt.by-hostB" ] || { say "FAILED: batch-4 not imported by hostB"; exit 1; }
say "the new master hostB imported batch-4"

OUT=$(curl -sS -X POST -H "Authorization: Bearer $TOKEN" -H "X-Operator: alice" \
  "http://127.0.0.1:${HTTP[hostC]}/hotbackup/groups/hub/move?work=hostC&to=hostA" 2>&1 || true)
echo "$OUT" | grep -q "not alive" || { say "FAILED: a move to the dead hostA was not refused: $OUT"; exit 1; }
say "moving hostC's orders to the dead hostA is refused: $(echo "$OUT" | jq -r .error 2>/dev/null || echo "$OUT")"

start hostA "$A"
wait_status "$(status hostB)" "$(runs_on work/hostA)" hostA 60
wait_status "$(status hostB)" '.group.master' hostB
say "hostA is back: its orders returned to it after the failback delay; hostB stays master"

curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H "X-Operator: alice" \
  "http://127.0.0.1:${HTTP[hostC]}/hotbackup/groups/hub/move?work=hostC&to=hostA" >/dev/null
wait_status "$(status hostC)" "$(runs_on work/hostC)" hostA 30
say "alice moved hostC's orders to hostA"
curl -fsS -X POST -H "Authorization: Bearer $TOKEN" -H "X-Operator: alice" \
  "http://127.0.0.1:${HTTP[hostB]}/hotbackup/groups/hub/move?work=hostC&to=hostC" >/dev/null
wait_status "$(status hostC)" "$(runs_on work/hostC)" hostC 30
say "and back to hostC"
show_map hostA
grep -h '"event":"group-move"' "$C/logs/hotbackup-activity.log" "$B/logs/hotbackup-activity.log" \
  | jq -r '"activity log: \(.detail)"'
say "hostC's alerts (its XPath route on /signal/@group):"
sed 's/^/    /' "$C/alerts/yaml.txt"
grep -q "group hub: hostA is DEAD" "$C/alerts/yaml.txt" || { say "FAILED: no alert for hostA"; exit 1; }
say "Done."
