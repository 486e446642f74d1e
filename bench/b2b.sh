#!/usr/bin/env bash
# b2b benchmark (issue 6, "Measured"), first part: start-up time and idle resident memory of a real
# bin/b2b on a gateway root paired for real. A real bin/portal and a real bin/ipgw on loopback: the
# owner pairs the gateway on ipgw's admin site (b2b.conf naming the portal's SIP edge and a free
# internal UDP port) and enables ACCOUNTS app accounts through the real approval flow (as
# bench/gateway.sh, io.doorpair.bench.gateway.GatewayBench); ipgw is then stopped and bin/b2b serve
# runs on that root, registering at the portal's SIP edge and at its embedded internal server.
# Then door calls through the whole chain (io.doorpair.bench.sip.DoorCallBench): door stations over
# UDP at the b2b's internal server (accounts door1..doorN added to the password file ipgw wrote),
# the owner's phone over TLS at the portal with the first app's certificate, answering at once.
# Prints one markdown table.
#   bench/b2b.sh [accounts, default 5] [--no-build]
# B2B_BENCH_CALLS (sequential calls, default 50), B2B_BENCH_SECONDS (per closed-loop step, default
# 5), B2B_BENCH_DOORS (closed-loop door counts, default 1,2,4,8).
# B2B_BENCH_OPTS: JVM options for bin/b2b (DOORPAIR_JAVA_OPTS; default: the launcher's own).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-5}"
if [ "${2:-}" != "--no-build" ]; then
  if [ ! -f "$root/ipgw-pairing/target/ipgw.jar" ] || [ ! -f "$root/ipgw-b2b/target/b2b.jar" ] ||
    [ ! -f "$root/portal-api/target/portal.jar" ] ||
    [ -n "$(find "$root"/{common-crypto,welcome-client,portal-*,ipgw-*}/src/main -newer "$root/ipgw-pairing/target/ipgw.jar" -type f 2>/dev/null | head -1)" ]; then
    (cd "$root" && mvn -B -q -o -DskipTests package -pl portal-api,ipgw-pairing,ipgw-b2b -am)
  fi
fi
cp="$root/portal-api/target/portal.jar:$root/portal-api/target/lib/*"
classes="$root/bench/target/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" $(find "$root/bench/src" -name '*.java')
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null
  [ -n "${B2B_BENCH_KEEP:-}" ] && { echo "kept $work" >&2; return; }
  rm -rf "$work"
}
trap cleanup EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
await_file() { # $1 file, $2 pid, $3 log: waits up to 120 s
  for _ in $(seq 1 12000); do
    [ -f "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.01
  done
  echo "no $1 after 120 s" >&2; cat "$3" >&2; exit 1
}
free_udp() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
heap_mb() { # heap used (MB) by jcmd GC.heap_info, or "—"
  command -v jcmd >/dev/null || { echo "—"; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk '
    /generation|heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); used += v } }
    END { if (used > 0) printf "%.1f", used / 1024; else printf "—" }'
}
settle=${B2B_BENCH_SETTLE:-10}

# The portal, with the owner's account.
pdata="$work/portal"
mkdir -p "$pdata"
printf 'bench password\n' | "$root/bin/portal" user add owner --password-stdin --data "$pdata" >"$work/users.log" 2>&1 || { cat "$work/users.log"; exit 1; }
DOORPAIR_JAVA_OPTS= "$root/bin/portal" serve --data "$pdata" --api 127.0.0.1:0 --sip 127.0.0.1:0 >"$work/portal.log" 2>&1 &
pids+=($!)
await_file "$pdata/ready.json" "${pids[0]}" "$work/portal.log"
api=$(sed -E 's/.*"api":"([^"]+)".*/\1/' "$pdata/ready.json")
sip=$(sed -E 's/.*"sip":"([^"]+)".*/\1/' "$pdata/ready.json")

# The gateway, paired for real by ipgw, its accounts enabled through the admin site.
admin_password="bench admin password"
internal="sip:127.0.0.1:$(free_udp);transport=udp"
printf '%s\n' "$admin_password" | DOORPAIR_JAVA_OPTS= "$root/bin/ipgw" serve --root "$work/gw/root" --data "$work/gw/data" \
  --portal "$api" --portal-ca "$pdata/ca.pem" --admin 127.0.0.1:0 --key-bits 2048 --no-b2b \
  --portal-sip "sips:$sip" --internal-sip "$internal" --admin-password-stdin >"$work/ipgw.log" 2>&1 &
ipgw_pid=$!
pids+=($ipgw_pid)
await_file "$work/gw/data/ready.json" "$ipgw_pid" "$work/ipgw.log"
site=$(sed -E 's/.*"admin":"([^"]+)".*/\1/' "$work/gw/data/ready.json")
java -Xmx256m -cp "$classes:$cp" io.doorpair.bench.gateway.GatewayBench "$site" "$admin_password" \
  "$api" "$pdata/ca.pem" owner 'bench password' "$count" 100 "$work/phones" >"$work/gateway.txt"
kill "$ipgw_pid"; wait "$ipgw_pid" 2>/dev/null || true
# Door stations' accounts, added to the password file ipgw wrote (ipgw keeps no door accounts).
domain=$(sed -n 's/^domain=//p' "$work/gateway.txt")
door_password="DoorBenchPassw0rd$RANDOM"
doors="${B2B_BENCH_DOORS:-1,2,4,8}"
max_doors=$(echo "$doors" | tr ',' '\n' | sort -n | tail -1)
for i in $(seq 1 "$max_doors"); do
  echo "door$i@$domain clrtxt:$door_password ;" >>"$work/gw/root/etc/flexisip/passwd"
done

# bin/b2b on that root.
[ -n "${B2B_BENCH_OPTS:-}" ] && export DOORPAIR_JAVA_OPTS="$B2B_BENCH_OPTS"
t0=$(date +%s%N)
"$root/bin/b2b" serve --root "$work/gw/root" --ready "$work/b2b-ready.json" >"$work/b2b.log" 2>&1 &
b2b_pid=$!
pids+=($b2b_pid)
await_file "$work/b2b-ready.json" "$b2b_pid" "$work/b2b.log"
startup_ms=$(( ($(date +%s%N) - t0) / 1000000 )); startup_load=$(load)
sleep "$settle"
kill -0 "$b2b_pid" 2>/dev/null || { cat "$work/b2b.log" >&2; exit 1; }
legs() { # which legs the b2b log says it registered at
  local l=""
  grep -q "PortalRegistration - registered" "$work/b2b.log" && l="portal"
  grep -q "InternalRegistration - registered" "$work/b2b.log" && l="${l:+$l + }internal"
  echo "${l:-none}"
}
registered=$(legs)
idle_rss=$(rss_mb "$b2b_pid"); idle_heap=$(heap_mb "$b2b_pid"); idle_load=$(load)
# Door calls.
calls_load0=$(load)
cpu0=$(awk '{ print $14 + $15 }' "/proc/$b2b_pid/stat")
timeout 150 java -Xmx256m -cp "$classes:$cp" io.doorpair.bench.sip.DoorCallBench "$sip" "$pdata/ca.pem" \
  "$work/phones/phone-0" "$(echo "${internal#sip:}" | cut -d";" -f1)" "$domain" "$door_password" "${B2B_BENCH_CALLS:-50}" \
  "${B2B_BENCH_SECONDS:-5}" "$doors" >"$work/calls.txt" 2>"$work/calls.err" || { cat "$work/calls.err" >&2; }
cpu1=$(awk '{ print $14 + $15 }' "/proc/$b2b_pid/stat")
calls_load1=$(load)
flags="${DOORPAIR_JAVA_OPTS:-$(grep -o '"-X[^"]*"' "$root/bin/b2b" | tr -d '"')}"
enabled=$(sed -n 's/^enabled=//p' "$work/gateway.txt")
target() { awk -v v="$1" 'BEGIN { if (v + 0 < 160) print "met"; else print "MISSED" }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "b2b JVM flags: $flags"
echo
echo "| figure | value | load (1 min) | target |"
echo "|---|---|---|---|"
echo "| b2b start-up ms (process start → ready file), root with $enabled app accounts | $startup_ms | $startup_load | |"
echo "| idle b2b RSS MB, registered at: $registered, after ${settle} s | $idle_rss | $idle_load | $(target "$idle_rss") (< 160) |"
echo "| its heap used MB (jcmd GC.heap_info) | $idle_heap | | |"
cget() { sed -n "s/^$1=//p" "$work/calls.txt"; }
echo "| door INVITE → phone ringing, p50 ms ($(cget seq_calls) sequential calls, $(cget seq_failures) failed) | $(cget ring_p50_ms) | $calls_load0 → $calls_load1 | |"
echo "| door INVITE → phone ringing, p99 ms | $(cget ring_p99_ms) | | |"
echo "| phone answer (200 sent) → door 200, p50 ms | $(cget answer_p50_ms) | | |"
echo "| phone answer (200 sent) → door 200, p99 ms | $(cget answer_p99_ms) | | |"
echo "| door INVITE → door 200 (phone answers at once), p50 / p99 ms | $(cget setup_p50_ms) / $(cget setup_p99_ms) | | |"
echo
echo "| doors calling back to back | calls/s | failed | setup p50 ms | setup p99 ms | first error |"
echo "|---|---|---|---|---|---|"
cget steps | tr ';' '\n' | awk -F: 'NF >= 5 { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
echo
echo "b2b CPU during the calls (all of them, warm-up included): $(( (cpu1 - cpu0) * 10 )) ms; phone connection errors: $(cget phone_errors)"
echo
echo "b2b log:"; sed 's/^/    /' "$work/b2b.log" | tail -5
