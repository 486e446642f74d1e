#!/usr/bin/env bash
# Pairing benchmark (issue: portal foundation). Builds the programs, runs bin/portal on SQLite and
# then on PostgreSQL, measures pairings per second through the real HTTPS endpoint and the
# latency at 80% of that rate, beside the raw RSA-3072 signing rate of the JVM, and prints one
# markdown table. Loopback only; each run is bounded in time.
#   bench/pairing.sh [seconds per measurement, default 15] [--no-build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-15}"
[ "${2:-}" = "--no-build" ] || (cd "$root" && mvn -B -q -DskipTests package)
cp="$root/portal-api/target/portal.jar:$root/portal-api/target/lib/*"
classes="$root/bench/target/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" $(find "$root/bench/src" -name '*.java')
work="$(mktemp -d)"
pg_url="${DOORPAIR_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
portal_pid=""
cleanup() { [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

start_portal() { # $1 data dir, then extra flags
  local data="$1"; shift
  $portal_pin "$root/bin/portal" serve --data "$data" --api 127.0.0.1:0 --sip 127.0.0.1:0 "$@" >"$data.log" 2>&1 &
  portal_pid=$!
  for _ in $(seq 1 600); do
    [ -f "$data/ready.json" ] && break
    kill -0 "$portal_pid" 2>/dev/null || { cat "$data.log"; exit 1; }
    sleep 0.1
  done
  api=$(sed -E 's/.*"api":"([^"]+)".*/\1/' "$data/ready.json")
}
stop_portal() { kill "$portal_pid"; wait "$portal_pid" 2>/dev/null || true; portal_pid=""; }

run() { # $1 label, $2 data dir, then extra flags
  local label="$1" data="$2"; shift 2
  mkdir -p "$data"
  printf 'bench password\n' | "$root/bin/portal" user add bench --password-stdin --data "$data" "$@" >"$data.users.log" 2>&1 || { cat "$data.users.log"; exit 1; }
  start_portal "$data" "$@"
  $generator_pin java -Xmx1g -cp "$classes:$cp" io.doorpair.bench.PairingBench "$api" "$data/ca.pem" bench 'bench password' "$label" "$seconds" "$reference_rate" "$portal_pid" "$portal_cores" "$cpu_per_signature"
  stop_portal
}

load_start="$(cut -d' ' -f1 /proc/loadavg)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1); load average (1 min) at start $load_start"
echo
echo "| raw signing | signatures/s | CPU ms per signature |"
echo "|---|---|---|"
raw="$(java -cp "$classes:$cp" io.doorpair.bench.PairingBench --raw-signing)"
echo "$raw"
# The reference: the best 2-thread RSA-3072 signing rate (the machine has 2 cores).
raw_rate="$(echo "$raw" | awk -F'|' '/2 thread/ { gsub(/ /, "", $3); if ($3 + 0 > best + 0) best = $3 } END { print best }')"
# The CPU time of one signature (the lowest measured): the server-only ratios compare with it.
cpu_per_signature="$(echo "$raw" | awk -F'|' '{ gsub(/ /, "", $4); if ($4 != "" && (best == "" || $4 + 0 < best + 0)) best = $4 } END { print best }')"
raw_rate_1="$(echo "$raw" | awk -F'|' '/1 thread/ { gsub(/ /, "", $3); if ($3 + 0 > best + 0) best = $3 } END { print best }')"
reference_rate="$raw_rate" portal_cores=2 portal_pin="" generator_pin=""
echo
echo "| store | pairings/s (closed loop, 4 clients) | failures | pairing / raw signing | server CPU ms per pairing | of which JIT | server CPU ms per bare handshake (without JIT) | load generator CPU ms per pairing | server-only: pairings/s from 2 cores / raw signing | server-only by CPU: CPU per signature / CPU per pairing | same without JIT | open-loop rate (80%) | p50 ms | p99 ms |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
run "SQLite" "$work/sqlite"
schema="bench_$(date +%s)"
if psql "postgresql://postgres@127.0.0.1:5432/test" -qc "create schema $schema" 2>/dev/null; then
  run "PostgreSQL" "$work/pg" --db "${pg_url}&currentSchema=$schema"
  psql "postgresql://postgres@127.0.0.1:5432/test" -qc "set client_min_messages = warning; drop schema $schema cascade" || true
else
  echo "| PostgreSQL | not reachable: skipped | | | | | | | | | | | | |"
fi
# Optional: the SQLite row again with the portal on another JDK (e.g. Temurin 25), for comparison.
if [ -n "${PAIRING_BENCH_OTHER_JAVA_HOME:-}" ]; then
  other="$("$PAIRING_BENCH_OTHER_JAVA_HOME/bin/java" -version 2>&1 | head -1 | sed -E 's/.*version "([^"]+)".*/\1/')"
  JAVA_HOME="$PAIRING_BENCH_OTHER_JAVA_HOME" run "SQLite, portal on JDK $other" "$work/sqlite-other"
fi
# Optional: the SQLite row with the portal pinned to CPU 1 and the load generator to CPU 0 (taskset),
# its rate ratios against the best 1-thread signing rate: the portal's core against what a core signs.
if [ -n "${PAIRING_BENCH_PINNED:-}" ] && [ "$(nproc)" -ge 2 ]; then
  reference_rate="$raw_rate_1" portal_cores=1 portal_pin="taskset -c 1" generator_pin="taskset -c 0"
  run "SQLite, portal on CPU 1, load generator on CPU 0 (against 1-thread signing)" "$work/sqlite-pinned"
  reference_rate="$raw_rate" portal_cores=2 portal_pin="" generator_pin=""
fi
echo
echo "load average (1 min) at start $load_start, at end $(cut -d' ' -f1 /proc/loadavg)"
