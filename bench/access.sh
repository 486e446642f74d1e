#!/usr/bin/env bash
# Access-flow benchmark (issue: portal joinable gateways, access requests...). Builds the programs
# if needed, seeds 1,000 gateways with 10 app devices each into SQLite and into a fresh PostgreSQL
# schema, runs bin/portal on each, and measures through the real HTTPS API with the Java client:
#   - latency from create_sip_account to the gateway's waiting channel long-poll receiving the
#     request (SQLite, PostgreSQL with one portal process, PostgreSQL with two processes sharing
#     the schema: the app on process 1, the gateway on process 2); target p99 < 50 ms;
#   - event ingest and fetch rates (events/s).
# Prints one markdown table. Loopback only; each loop is bounded in count and time.
#   bench/access.sh [seconds per rate measurement, default 10] [--no-build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=10
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build="" ;;
    *[!0-9]* | "") echo "usage: bench/access.sh [seconds] [--no-build]" >&2; exit 2 ;;
    *) seconds="$arg" ;;
  esac
done
[ "$seconds" -ge 1 ] || { echo "bench/access.sh: seconds must be at least 1" >&2; exit 2; }
requests="${ACCESS_BENCH_REQUESTS:-300}"
gateways="${ACCESS_BENCH_GATEWAYS:-1000}"
apps_per_gateway=10

jar="$root/portal-api/target/portal.jar"
if [ -n "$build" ]; then
  if [ ! -f "$jar" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit)" ]; then
    (cd "$root" && mvn -B -q -DskipTests package)
  fi
fi
cp="$jar:$root/portal-api/target/lib/*"
classes="$root/bench/target/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" $(find "$root/bench/src" -name '*.java')

load_at_start="$(cut -d' ' -f1 /proc/loadavg)"
work="$(mktemp -d)"
results="$work/results.txt"
touch "$results"
pg_base="${DOORPAIR_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
schema="bench_access_$(date +%s)_$$"
case "$pg_base" in *\?*) pg_url="$pg_base&currentSchema=$schema" ;; *) pg_url="$pg_base?currentSchema=$schema" ;; esac
pg_ok=""
pids=()
bench_pid=""
failed=0

bench() { # mode, then its arguments; in the background so that a signal is handled at once
  java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classes:$cp" \
    io.doorpair.bench.AccessBench "$@" &
  bench_pid=$!
  wait "$bench_pid"
}
cleanup() {
  [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$bench_pid" ] && wait "$bench_pid" 2>/dev/null || true
  [ -n "$pg_ok" ] && bench pg-schema drop "$pg_base" "$schema" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_portal <data dir> [flags...]: starts bin/portal serve, sets $api and $pid.
start_portal() {
  local data="$1"; shift
  "$root/bin/portal" serve --data "$data" --api 127.0.0.1:0 --sip 127.0.0.1:0 "$@" >"$data.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 600); do
    [ -f "$data/ready.json" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$data.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -f "$data/ready.json" ] || { echo "portal in $data did not start" >&2; exit 1; }
  api=$(sed -E 's/.*"api":"([^"]+)".*/\1/' "$data/ready.json")
}
stop_portal() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
measure() { # a measuring mode: its key=value lines go to the results; a failure is reported
  bench "$@" >>"$results" 2>>"$work/bench.log" || {
    failed=$((failed + 1))
    echo "access bench: '$1 $2' failed:" >&2
    tail -20 "$work/bench.log" >&2
  }
}
# The same CA in every data folder (the portal loads it there; key file mode 0600).
copy_ca() { # target data dir
  mkdir -p -m 700 "$1"
  install -m 600 "$work/sqlite/ca-key.pem" "$1/ca-key.pem"
  install -m 644 "$work/sqlite/ca.pem" "$1/ca.pem"
}

stores=("jdbc:sqlite:$work/sqlite/portal.db")
if bench pg-schema create "$pg_base" "$schema" 2>>"$work/bench.log"; then
  pg_ok=1
  stores+=("$pg_url")
else
  echo "access bench: PostgreSQL not reachable at $pg_base: its rows are skipped" >&2
fi
mkdir -p -m 700 "$work/sqlite"
bench seed "$work/sqlite" "$work/state.txt" "$gateways" "$apps_per_gateway" "${stores[@]}" \
  >>"$results" 2>>"$work/bench.log" || { tail -20 "$work/bench.log" >&2; exit 1; }

start_portal "$work/sqlite"
measure latency sqlite "$api" "$api" "$work/sqlite/ca.pem" "$work/state.txt" 0 "$requests" 120
measure events sqlite "$api" "$work/sqlite/ca.pem" "$work/state.txt" "$seconds"
stop_portal "$pid"

if [ -n "$pg_ok" ]; then
  copy_ca "$work/pg1"
  copy_ca "$work/pg2"
  start_portal "$work/pg1" --db "$pg_url"
  api1="$api" pid1="$pid"
  start_portal "$work/pg2" --db "$pg_url"
  api2="$api" pid2="$pid"
  measure latency pg1 "$api1" "$api1" "$work/pg1/ca.pem" "$work/state.txt" 0 "$requests" 120
  measure latency pg2 "$api1" "$api2" "$work/pg1/ca.pem" "$work/state.txt" 1 "$requests" 120
  stop_portal "$pid2"
  measure events pg1 "$api1" "$work/pg1/ca.pem" "$work/state.txt" "$seconds"
  stop_portal "$pid1"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1), load average at start $load_at_start, at end $(cut -d' ' -f1 /proc/loadavg)"
echo
bench report "$results" "$seconds"
[ "$failed" -eq 0 ] || { echo "access bench: $failed measurement(s) failed" >&2; exit 1; }
