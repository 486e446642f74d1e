#!/usr/bin/env bash
# Gateway agent benchmark (issue 5, "Measured"): a real bin/portal and a real bin/ipgw on loopback.
# The owner pairs the gateway on its admin site and approves COUNT app devices (each paired with
# the portal by welcome-client's PortalClient, long-polling get_approved_account) then types each
# one's security code, so COUNT accounts are enabled through the real flow. Prints one markdown
# table: approval-to-app latency, ipgw start-up time (fresh, and restarted with the accounts) and
# the idle resident memory of ipgw with the accounts.
#   bench/gateway.sh [count, default 50] [--no-build]
# IPGW_BENCH_OPTS: JVM options for bin/ipgw (DOORPAIR_JAVA_OPTS; default: the launcher's own).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-50}"
if [ "${2:-}" != "--no-build" ]; then
  if [ ! -f "$root/ipgw-pairing/target/ipgw.jar" ] || [ ! -f "$root/portal-api/target/portal.jar" ] ||
    [ -n "$(find "$root"/{common-crypto,welcome-client,portal-*,ipgw-*}/src/main -newer "$root/ipgw-pairing/target/ipgw.jar" -type f 2>/dev/null | head -1)" ]; then
    (cd "$root" && mvn -B -q -o -DskipTests package -pl portal-api,ipgw-pairing -am)
  fi
fi
cp="$root/portal-api/target/portal.jar:$root/portal-api/target/lib/*"
classes="$root/bench/target/classes"
mkdir -p "$classes"
javac -nowarn -d "$classes" -cp "$cp" $(find "$root/bench/src" -name '*.java')
work="$(mktemp -d)"
portal_pid=""
ipgw_pid=""
cleanup() {
  [ -n "$ipgw_pid" ] && kill "$ipgw_pid" 2>/dev/null
  [ -n "$portal_pid" ] && kill "$portal_pid" 2>/dev/null
  wait 2>/dev/null
  [ -n "${GATEWAY_BENCH_KEEP:-}" ] && { echo "kept $work" >&2; return; }
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${IPGW_BENCH_OPTS:-}" ] && export DOORPAIR_JAVA_OPTS="$IPGW_BENCH_OPTS"
load() { cut -d' ' -f1 /proc/loadavg; }

await_file() { # $1 file, $2 pid, $3 log: waits up to 120 s
  for _ in $(seq 1 12000); do
    [ -f "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.01
  done
  echo "no $1 after 120 s" >&2; cat "$3" >&2; exit 1
}

# The portal, with the owner's account.
pdata="$work/portal"
mkdir -p "$pdata"
printf 'bench password\n' | "$root/bin/portal" user add owner --password-stdin --data "$pdata" >"$work/users.log" 2>&1 || { cat "$work/users.log"; exit 1; }
DOORPAIR_JAVA_OPTS= "$root/bin/portal" serve --data "$pdata" --api 127.0.0.1:0 --sip 127.0.0.1:0 >"$work/portal.log" 2>&1 &
portal_pid=$!
await_file "$pdata/ready.json" "$portal_pid" "$work/portal.log"
api=$(sed -E 's/.*"api":"([^"]+)".*/\1/' "$pdata/ready.json")

admin_password="bench admin password"
start_ipgw() { # starts bin/ipgw [extra flags]; sets ipgw_pid, site and startup_ms (process start to ready.json)
  rm -f "$work/gw/data/ready.json"
  local t0; t0=$(date +%s%N)
  printf '%s\n' "$admin_password" | "$root/bin/ipgw" serve --root "$work/gw/root" --data "$work/gw/data" \
    --portal "$api" --portal-ca "$pdata/ca.pem" --admin 127.0.0.1:0 --key-bits 2048 --no-b2b \
    "$@" >>"$work/ipgw.log" 2>&1 &
  ipgw_pid=$!
  await_file "$work/gw/data/ready.json" "$ipgw_pid" "$work/ipgw.log"
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  site=$(sed -E 's/.*"admin":"([^"]+)".*/\1/' "$work/gw/data/ready.json")
}
stop_ipgw() { kill "$ipgw_pid"; wait "$ipgw_pid" 2>/dev/null || true; ipgw_pid=""; }
rss_mb() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
heap_mb() { # heap used (MB) by jcmd GC.heap_info, or "—"
  command -v jcmd >/dev/null || { echo "—"; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk '
    /generation|heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); used += v } }
    END { if (used > 0) printf "%.1f", used / 1024; else printf "—" }'
}
settle=${GATEWAY_BENCH_SETTLE:-10}

mkdir -p "$work/gw"
start_ipgw --admin-password-stdin # the first start also hashes the admin password (PBKDF2, 600,000 rounds)
fresh_ms=$startup_ms; fresh_load=$(load)
bench_load0=$(load)
java -Xmx256m -cp "$classes:$cp" io.doorpair.bench.gateway.GatewayBench "$site" "$admin_password" \
  "$api" "$pdata/ca.pem" owner 'bench password' "$count" 100 >"$work/results.txt"
bench_load1=$(load)
sleep "$settle"
after_rss=$(rss_mb "$ipgw_pid"); after_heap=$(heap_mb "$ipgw_pid"); after_load=$(load)
stop_ipgw
start_ipgw
restart_ms=$startup_ms; restart_load=$(load)
sleep "$settle"
idle_rss=$(rss_mb "$ipgw_pid"); idle_heap=$(heap_mb "$ipgw_pid"); idle_load=$(load)
flags="${DOORPAIR_JAVA_OPTS:-$(grep -o '"-X[^"]*"' "$root/bin/ipgw" | tr -d '"')}"
get() { sed -n "s/^$1=//p" "$work/results.txt"; }
target() { awk -v v="$1" 'BEGIN { if (v + 0 < 160) print "met"; else print "MISSED" }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "ipgw JVM flags: $flags"
echo
echo "| figure | value | load (1 min) | target |"
echo "|---|---|---|---|"
echo "| approval → app sees the account, p50 ms ($(get approvals) approvals) | $(get approve_p50_ms) | $bench_load0 → $bench_load1 | |"
echo "| approval → app sees the account, p99 ms | $(get approve_p99_ms) | | |"
echo "| accounts enabled (admin site) | $(get enabled) | | $count |"
echo "| ipgw start-up ms, first start (process start → ready.json; includes hashing the admin password) | $fresh_ms | $fresh_load | |"
echo "| ipgw start-up ms, restarted with $(get enabled) accounts | $restart_ms | $restart_load | |"
echo "| idle ipgw RSS MB, restarted with $(get enabled) accounts, after ${settle} s | $idle_rss | $idle_load | $(target "$idle_rss") (< 160) |"
echo "| its heap used MB (jcmd GC.heap_info) | $idle_heap | | |"
echo "| idle ipgw RSS MB, the process that ran the approvals, ${settle} s after | $after_rss | $after_load | $(target "$after_rss") (< 160) |"
echo "| its heap used MB (jcmd GC.heap_info) | $after_heap | | |"
echo
echo "gateway pairing on the admin site: $(get gateway_pairing_ms) ms; approval latency max $(get approve_max_ms) ms"
