#!/usr/bin/env bash
# Load run of issue 9: two portal-sip nodes on one Redis (docs/sip-nodes.md), devices and gateways
# registered over mutual TLS with certificates of their own from the portal CA, gateways on node 1
# calling devices on node 1 (one node) and on node 2 (two nodes), node 2 restarted and its devices
# reconnecting at once, memory per registered device per node. Loopback only, bounded in count
# and time; prints one markdown table. Every process it starts is stopped on exit.
#   bench/nodes.sh [--devices N] [--gateways N] [--seconds S] [--no-build]
# Defaults: 20,000 devices (half on each node), 1,000 gateways (node 1), 180 s of sustained calls.
# Quick run: bench/nodes.sh --devices 2000 --gateways 100 --seconds 30
# Environment: NODES_BENCH_RATES (call rates tried, default 25,50,100,200,400,800,1200,1600),
#   NODES_BENCH_NODE_OPTS (the nodes' JVM options), NODES_BENCH_KEEP=1 keeps the temporary folder,
#   DOORPAIR_TEST_REDIS_URL (default redis://127.0.0.1:6379).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
devices=20000
gateways=1000
seconds=180
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --devices) devices="$2"; shift 2 ;;
    --gateways) gateways="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --no-build) build=""; shift ;;
    *) echo "usage: bench/nodes.sh [--devices N] [--gateways N] [--seconds S] [--no-build]" >&2; exit 2 ;;
  esac
done
for n in "$devices" "$gateways" "$seconds"; do
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 100000 ] || { echo "counts and seconds: 1..100000" >&2; exit 2; }
done
[ "$devices" -ge 8 ] || { echo "--devices: at least 8" >&2; exit 2; }
redis="${DOORPAIR_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
# Heap for the node holding the gateways and half the devices (about 25 kB each, bench/RESULTS.md),
# no pre-touch so that the resident set shows the growth too.
node_opts="${NODES_BENCH_NODE_OPTS:--Xms1g -Xmx1g -Xmn256m -XX:+UseSerialGC}"

# Sockets: the load generator holds node 1's share (gateways + half the devices) in one JVM and
# node 2's in another; each node holds its own share. Raise the soft limit to the hard one.
need=$((gateways + devices / 2 + 1000))
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  echo "nodes.sh needs $need open files per process, ulimit -n allows $(ulimit -n) (hard limit $(ulimit -Hn))" >&2
  exit 2
fi

jar="$root/portal-api/target/portal.jar"
node_jar="$root/portal-sip-edge/target/portal-sip.jar"
if [ -n "$build" ]; then
  newer=""
  [ -f "$jar" ] && [ -f "$node_jar" ] && newer="$(find "$root"/common-crypto/src "$root"/portal-ca/src "$root"/portal-sip-edge/src "$root"/portal-api/src -newer "$jar" -name '*.java' | head -1)"
  if [ ! -f "$jar" ] || [ ! -f "$node_jar" ] || [ -n "$newer" ]; then
    (cd "$root" && mvn -B -q -o -DskipTests package -pl portal-api,portal-sip-edge -am)
  fi
fi
for tool in jcmd redis-cli; do
  command -v "$tool" >/dev/null || { echo "nodes.sh needs $tool" >&2; exit 2; }
done
cp="$root/portal-api/target/portal.jar:$root/portal-api/target/lib/*"
classes="$root/bench/target/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" $(find "$root/bench/src" -name '*.java')

work="$(mktemp -d)"
prefix="bench:nodes:$$:$(date +%s):"
bench_pid=""
portal_pid=""
cleanup() {
  set +e # every step runs, whatever the one before returned
  [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null && wait "$bench_pid" 2>/dev/null
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null && wait "$portal_pid" 2>/dev/null
  for f in "$work/fleet.pid" "$work/node1/pid" "$work/node2/pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  redis-cli -u "$redis" --scan --pattern "${prefix}*" 2>/dev/null | xargs -r redis-cli -u "$redis" del >/dev/null 2>&1
  if [ "${NODES_BENCH_KEEP:-}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The portal CA and its CRL: one start of bin/portal serve on a data folder, then stopped.
mkdir -m 700 "$work/data"
"$root/bin/portal" serve --data "$work/data" --api 127.0.0.1:0 --sip 127.0.0.1:0 >"$work/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 1 600); do
  [ -f "$work/data/ready.json" ] && [ -f "$work/data/crl.pem" ] && break
  kill -0 "$portal_pid" 2>/dev/null || { cat "$work/portal.log" >&2; exit 1; }
  sleep 0.1
done
[ -f "$work/data/crl.pem" ] || { echo "the portal did not start" >&2; exit 1; }
kill "$portal_pid"; wait "$portal_pid" 2>/dev/null || true
portal_pid=""
# Node certificates, as docs/sip-nodes.md says: bin/portal sip-node-cert.
for n in node1 node2; do
  mkdir -p "$work/$n"
  "$root/bin/portal" sip-node-cert --data "$work/data" --name "$n.localhost" --name localhost \
    --name 127.0.0.1 --out "$work/$n/files" >>"$work/portal.log" 2>&1 || { cat "$work/portal.log" >&2; exit 1; }
  cp "$work/data/crl.pem" "$work/$n/crl.pem"
done

load0="$(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
DOORPAIR_JAVA_OPTS="$node_opts" java -Xms512m -Xmx3g -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classes:$cp" \
  -Dnodes.root="$root" -Dnodes.work="$work" -Dnodes.redis="$redis" -Dnodes.prefix="$prefix" \
  -Dnodes.devices="$devices" -Dnodes.gateways="$gateways" -Dnodes.seconds="$seconds" \
  -Dnodes.rates="${NODES_BENCH_RATES:-25,50,100,200,400,800,1200,1600}" -Dnodes.p99="${NODES_BENCH_P99:-500}" \
  io.doorpair.bench.sip.NodesBench >"$work/table.md" &
bench_pid=$!
wait "$bench_pid"
bench_pid=""
load1="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1), $(redis-server --version 2>/dev/null | cut -d' ' -f1-3), ulimit -n $(ulimit -n), load average (1/5/15 min) at start $load0, at end $load1"
echo
cat "$work/table.md"
