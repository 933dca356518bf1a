#!/usr/bin/env bash
# Helpers for the samples' run.sh scripts: each host of a sample runs as its own process on
# loopback, from its own folder under target/samples/, with the sample's routes (the pack's own
# routes are inside the jar).
# Needs Java 17, curl and jq (the status JSON is read with jq); builds the jar with the Maven
# wrapper when it is missing.
set -euo pipefail

for tool in java curl jq; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "The samples' run.sh needs $tool; install it first (Debian/Ubuntu: sudo apt-get install $tool)." >&2
    exit 2
  fi
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/target/camel-hot-backup.jar"
PIDS=()
T0=$(date +%s%N)

say() { printf '[%6.1f s] %s\n' "$(( ($(date +%s%N) - T0) / 1000000 ))e-3" "$*"; }

build_jar() {
  if [ ! -f "$JAR" ]; then
    say "building $JAR"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  fi
}

# host_dir NAME PROPERTIES [ROUTE_DIR...]: a folder for one host with the jar's inputs
host_dir() {
  local name="$1" props="$2"; shift 2
  local dir="$WORK/$name"
  rm -rf "$dir"; mkdir -p "$dir/routes"
  for extra in "$@"; do cp -r "$extra/." "$dir/routes/"; done
  # the pack's defaults, then the sample's keys on top
  cat "$ROOT/application.properties" "$props" > "$dir/application.properties"
  echo "$dir"
}

# start NAME DIR [ARGS...]: starts one host in the background; ARGS go to the jar (-b)
DIRS=()
start() {
  local name="$1" dir="$2"; shift 2
  DIRS+=("$dir")
  # with the build's class data sharing archive, as on a real host: the jar in the working
  # directory by its own name (a link here), the archive beside it (docs/operations.md)
  local jar="$JAR" cds=()
  if [ -f "$ROOT/target/camel-hot-backup.jsa" ]; then
    ln -sfn "$JAR" "$dir/camel-hot-backup.jar"
    jar=camel-hot-backup.jar
    cds=("-XX:SharedArchiveFile=$ROOT/target/camel-hot-backup.jsa")
  fi
  # vert.x's file cache in the host's folder: a killed host cannot remove it
  (cd "$dir" && exec java -Xmx256m -XX:PerfDataSamplingInterval=1000 -Dvertx.cacheDirBase="$dir/vertx-cache" "${cds[@]}" -jar "$jar" "$@" >> "$dir/out.log" 2>&1) &
  PIDS+=($!)
  eval "PID_$name=$!"
  say "$name started (pid $!)"
}

pid_of() { eval "echo \$PID_$1"; }

# h2_server PORT: an H2 server (the jar carries H2) on 127.0.0.1:PORT with its files in
# $WORK/db, stopped on exit; returns once it accepts connections
h2_server() {
  local port="$1"
  mkdir -p "$WORK/db"
  (exec java -cp "$JAR" org.h2.tools.Server -tcp -tcpPort "$port" -baseDir "$WORK/db" -ifNotExists \
    >> "$WORK/h2.log" 2>&1) &
  PIDS+=($!)
  for i in $(seq 1 50); do
    java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:tcp://127.0.0.1:$port/./ready" -user sa \
      -password "" -sql "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  say "FAILED: the H2 server on 127.0.0.1:$port does not answer (see $WORK/h2.log)"
  return 1
}

# wait_for SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds; returns 1 after SECONDS
# (a host that refused its configuration ends the script at once)
wait_for() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    refused_start
    sleep 0.2
  done
}

# status_of URL JQ_FILTER: the filter applied to a status JSON, empty when it does not answer
status_of() { curl -fsS "$1" 2>/dev/null | jq -r "$2" 2>/dev/null || true; }
status_is() { [ "$(status_of "$1" "$2")" = "$3" ]; }

# wait_status URL JQ_FILTER EXPECTED [SECONDS]: polls a status JSON until the filter gives EXPECTED
wait_status() {
  local url="$1" filter="$2" expected="$3" limit="${4:-60}"
  wait_for "$limit" status_is "$url" "$filter" "$expected" && return 0
  say "FAILED: $filter at $url is '$(status_of "$url" "$filter")', expected '$expected'"
  return 1
}

# a host that refused its configuration will never answer: say why at once
refused_start() {
  local d
  for d in "${DIRS[@]:-}"; do
    if [ -n "$d" ] && grep -q "did not start" "$d/out.log" 2>/dev/null; then
      say "FAILED: $(basename "$d") did not start:"
      sed -n '/did not start/,$p' "$d/out.log" >&2
      exit 1
    fi
  done
}

cleanup() {
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -CONT "$p" 2>/dev/null || true
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
