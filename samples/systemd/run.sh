#!/usr/bin/env bash
# Runs the two systemd units' commands on loopback, without systemd: a live host and a full
# backup (-b) laid out as /opt/hotbackup would be, the secret and token from an env file. The live
# host is killed as a crash would kill it; the backup takes over; the live host restarts
# (Restart=on-failure) and the backup releases. Exits 0 only if every step happened.
source "$(dirname "$0")/../lib/loopback.sh"
HERE="$ROOT/samples/systemd"
WORK="$ROOT/target/samples/systemd"
STATUS=http://127.0.0.1:8093/hotbackup/status
build_jar
rm -rf "$WORK"; mkdir -p "$WORK/shared/inbox"
A=$(host_dir serverA "$HERE/live.properties" "$ROOT/samples/file-use-case/routes")
B=$(host_dir serverB "$HERE/backup.properties" "$ROOT/samples/file-use-case/routes")
cat >> "$A/application.properties" <<PROPS
hotbackup.backup-location=127.0.0.1:7870
hotbackup.probe.port=7871
files.dir=$WORK/shared
PROPS
cat >> "$B/application.properties" <<PROPS
hotbackup.backup-location=127.0.0.1:7872
hotbackup.listener.port=7870
hotbackup.listener.bind-address=127.0.0.1
hotbackup.http.port=8093
hotbackup.http.bind-address=127.0.0.1
hotbackup.http.observe-port=9893
hotbackup.mail.host=
hotbackup.mail.to=
files.dir=$WORK/shared
PROPS
# what EnvironmentFile=/etc/hotbackup/secret.env gives the service
set -a; source "$HERE/secret.env.example"; set +a
start serverA "$A"
# as ExecStart of hotbackup-backup.service: a full backup
start serverB "$B" -b
wait_status "$STATUS" '.monitors[] | select(.host=="serverA") | .state' LIVE
say "serverB (full backup, -b) sees serverA LIVE; role $(curl -fsS $STATUS | jq -r .instance.role)"
kill -9 "$(pid_of serverA)"
say "serverA killed (a crash)"
wait_status "$STATUS" '.monitors[] | select(.host=="serverA") | .routes[0].status' Started 30
say "serverB took over: role $(curl -fsS $STATUS | jq -r .instance.role)"
start serverA "$A"
wait_status "$STATUS" '.monitors[] | select(.host=="serverA") | .routes[0].status' Stopped 60
say "serverA restarted (Restart=on-failure) and LIVE: serverB released the routes. Done."
