#!/usr/bin/env bash
# SIP benchmark of issue 4: the portal SIP server (portal-sip-edge) side by side with Kamailio
# (../shared/peers/kamailio), driven by the same Java load generator (bench/src/io/doorpair/bench/sip)
# with the same certificates (gen-certs.sh), mutual TLS on loopback. Four scenarios per server:
# calls, REGISTER refreshes, a reconnect storm (new TLS connection + REGISTER), idle connections'
# memory. Prints one markdown table. Every process it starts is stopped on exit.
#   bench/sip.sh [seconds per step, default 4] [--no-build]
# Environment: SIPBENCH_OPTS (extra -Dsip.* settings for the load generator, see SipBench),
#   SIPBENCH_EDGE_OPTS (JVM options of our server, default as bin/portal), SIPBENCH_EDGE_JAVA (the
#   java binary of our server, default java on the PATH), SIPBENCH_SERVERS
#   (default "kamailio ours"), KAMAILIO_PEER (default /work/shared/peers/kamailio),
#   SIPBENCH_RUNS (default "idle calls,register,storm": one fresh server per group, e.g. "calls" or
#   "storm" to run one scenario), SIPBENCH_KEEP=1 keeps the temporary folder (logs, results) and prints its path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-4}"
peer="${KAMAILIO_PEER:-/work/shared/peers/kamailio}"
servers="${SIPBENCH_SERVERS:-kamailio ours}"
edge_opts="${SIPBENCH_EDGE_OPTS:--Xms1g -Xmx1g -Xmn512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}"
edge_java="${SIPBENCH_EDGE_JAVA:-java}"
jar="$root/portal-api/target/portal.jar"

if [ "${2:-}" != "--no-build" ]; then
  newer=""
  [ -f "$jar" ] && newer="$(find "$root"/common-crypto/src "$root"/portal-sip-edge/src "$root"/portal-api/src -newer "$jar" -name '*.java' | head -1)"
  if [ ! -f "$jar" ] || [ -n "$newer" ]; then
    (cd "$root" && mvn -B -q -o -DskipTests package -pl portal-api -am)
  fi
fi
for tool in kamailio gcc openssl jcmd; do
  command -v "$tool" >/dev/null || { echo "sip.sh needs $tool (apt-get install -y kamailio kamailio-tls-modules libssl-dev gcc)" >&2; exit 2; }
done
cp="$root/portal-api/target/portal.jar:$root/portal-api/target/lib/*"
classes="$root/bench/target/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" $(find "$root/bench/src" -name '*.java')

work="$(mktemp -d)"
edge_pid=""
lg_pid=""
cleanup() {
  set +e # every step runs, whatever the one before returned
  [ -n "$lg_pid" ] && kill "$lg_pid" 2>/dev/null && wait "$lg_pid" 2>/dev/null
  [ -n "$edge_pid" ] && kill "$edge_pid" 2>/dev/null && wait "$edge_pid" 2>/dev/null
  KAM_RUN="$work/kam" "$peer/kam-stop.sh" 2>/dev/null || true
  if [ "${SIPBENCH_KEEP:-}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$peer/gen-certs.sh" "$work/certs" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server NAME: sets server_pid, server_port, jvm_flag
start_server() {
  server_port="$(free_port)"
  if [ "$1" = kamailio ]; then
    KAM_RUN="$work/kam" KAM_CERTS="$work/certs" KAM_LISTEN="tls:127.0.0.1:$server_port" \
      "$peer/kam-start.sh" >"$work/kam-start.log" 2>&1 || { cat "$work/kam-start.log" >&2; exit 1; }
    server_pid="$(cat "$work/kam/kamailio.pid")"
    jvm_flag=""
  else
    rm -f "$work/edge.ready"
    # shellcheck disable=SC2086
    "$edge_java" $edge_opts -cp "$classes:$cp" io.doorpair.bench.sip.EdgeLauncher "127.0.0.1:$server_port" \
      "$work/certs/ca.crt" "$work/certs/server.crt" "$work/certs/server.key" "$work/edge.ready" \
      >>"$work/edge.log" 2>&1 &
    edge_pid=$!
    for _ in $(seq 1 300); do
      [ -f "$work/edge.ready" ] && break
      kill -0 "$edge_pid" 2>/dev/null || { cat "$work/edge.log" >&2; exit 1; }
      sleep 0.1
    done
    [ -f "$work/edge.ready" ] || { echo "the portal SIP server did not start" >&2; exit 1; }
    server_pid="$edge_pid"
    jvm_flag="--jvm"
  fi
}
stop_server() {
  if [ "$1" = kamailio ]; then
    KAM_RUN="$work/kam" "$peer/kam-stop.sh"
  else
    kill "$edge_pid" 2>/dev/null || true
    wait "$edge_pid" 2>/dev/null || true
    edge_pid=""
  fi
}

# run NAME SCENARIOS: one load-generator run against a freshly started server. The load generator
# runs in the background and the script waits for it, so that a signal runs the cleanup at once
# (bash runs traps only between foreground commands).
run() {
  start_server "$1"
  # shellcheck disable=SC2086
  java -Xms512m -Xmx2g -XX:+UseParallelGC -Dsip.seconds="$seconds" ${SIPBENCH_OPTS:-} -Dsip.scenarios="$2" \
    -cp "$classes:$cp" io.doorpair.bench.sip.SipBench "$1" "127.0.0.1:$server_port" "$server_pid" \
    "$work/certs" "$work/$1.$2.txt" $jvm_flag >&2 &
  lg_pid=$!
  wait "$lg_pid"
  lg_pid=""
  stop_server "$1"
  cat "$work/$1.$2.txt" >>"$work/$1.txt"
}

load0="$(cut -d' ' -f1 /proc/loadavg)"
for s in $servers; do
  : >"$work/$s.txt"
  # memory first, on a fresh server (Kamailio reuses shared memory that earlier load touched)
  for group in ${SIPBENCH_RUNS:-idle calls,register,storm}; do
    run "$s" "$group"
  done
done
load1="$(cut -d' ' -f1 /proc/loadavg)"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB, $("$edge_java" -version 2>&1 | head -1), $(kamailio -v 2>/dev/null | head -1 | cut -d' ' -f2-3), load average at start $load0, at end $load1"
echo
java -cp "$classes:$cp" io.doorpair.bench.sip.SipTable "$work/ours.txt" "$work/kamailio.txt"
