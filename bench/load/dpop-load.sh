#!/usr/bin/env bash
# DPoP under load, in ONE run on one machine: the demo's GET /api/lessons with a DPoP-bound token and
# a fresh proof per request ÷ the same route with a Bearer token (goal ≥ 0.5), and ÷ Spring
# Security's own DPoP resource server on the same token and proofs (goal ≥ 1.5).
#
# The servers (dev.latchkey.bench.dpop.DpopServers: a real auth server, the real demo server and
# SpringDpopServer, one JVM, one server loaded at a time) and the load generator
# (dev.latchkey.bench.dpop.DpopLoad: Java, since every request needs a fresh ES256-signed proof,
# which wrk's Lua cannot make; the same generator for every variant) run from this checkout's
# classes and bench's dependencies: Spring Boot does not run from the shaded benchmarks.jar. Paired: each comparison warms each side
# up, then alternates short blocks (AB, BA, ...); the figure is the median of the per-pair ratios
# of requests/s and of the servers' CPU time per request.
#
# Usage (from the repository root):
#   mvn -B -Dskip.npm -pl bench -am package -DskipTests
#   bench/load/dpop-load.sh                                   # about 7 min
#   WARMUP=5 BLOCKS=2 BLOCK=3 bench/load/dpop-load.sh         # smoke run, about 1.5 min
# Settings (environment): CONNECTIONS=16 WARMUP=20 BLOCKS=10 BLOCK=5 (seconds)
#   REPLAY_CACHE=N: the demo's DPoP replay cache bound (default: the verifier's, 1 000 000 proofs)
#   JAVA=java: the JVM of the servers and the generator (e.g. a JDK 25's bin/java: its ES256 is faster)
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-16}
WARMUP=${WARMUP:-20}
BLOCKS=${BLOCKS:-10}
BLOCK=${BLOCK:-5}
REPLAY_CACHE=${REPLAY_CACHE:-}
JAVA=${JAVA:-java}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
classes="$root/bench/target/classes"
[ -d "$classes" ] || { echo "$classes is missing: build bench first" >&2; exit 1; }
work=$(mktemp -d -t latchkey-dpop.XXXXXX)
(cd "$root" && mvn -B -q -o dependency:build-classpath -pl bench -Dmdep.outputFile="$work/cp" >/dev/null)
mkdir -p "$work/web/public"
echo '<!doctype html><title>latchkey bench</title>' >"$work/web/public/index.html"
# This checkout's modules, not the copies in ~/.m2 (where other checkouts install): each
# dev/latchkey jar of the class path is replaced by that module's target/classes (web: an empty
# client, the API does not need it).
ours=$(tr ':' '\n' <"$work/cp" | grep '/dev/latchkey/' || true)
for module in verifier server demo; do
  [ -d "$root/$module/target/classes" ] || { echo "$module/target/classes is missing: build with -am" >&2; exit 1; }
done
theirs=$(tr ':' '\n' <"$work/cp" | grep -v '/dev/latchkey/' | paste -sd: -)
[ "$(wc -l <<<"$ours")" -le 4 ] || { echo "unexpected Latchkey modules on the class path: $ours" >&2; exit 1; }
cp="$classes:$root/verifier/target/classes:$root/server/target/classes:$root/demo/target/classes:$work/web:$theirs"

server_pid=""
# shellcheck source=bench/load/wrk-common.sh
. "$here/wrk-common.sh"
stop() {
  stop_server "$server_pid"
  rm -rf "$work"
}
trap stop EXIT

# The demo's DPoP replay cache: the verifier's default (1 000 000 proofs held 120 s: ≈ 8 300 DPoP
# requests/s sustained, then 503 dpop_replay_cache_full; this run stays below it on 2 cores), or
# REPLAY_CACHE's bound.
replay=()
if [ -n "$REPLAY_CACHE" ]; then
  replay=(-Dlatchkey.dpop.replayCacheSize="$REPLAY_CACHE")
  echo "demo DPoP replay cache: $REPLAY_CACHE proofs (-Dlatchkey.dpop.replayCacheSize)"
else
  echo "demo DPoP replay cache: the verifier's default"
fi
"$JAVA" -version 2>&1 | head -1
"$JAVA" ${replay[@]+"${replay[@]}"} -cp "$cp" dev.latchkey.bench.dpop.DpopServers --env-file "$work/env" --max-seconds 3600 \
  >"$work/servers.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  [ -f "$work/env" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/servers.log" >&2; echo "the servers did not start" >&2; exit 1; }
  sleep 0.5
done
[ -f "$work/env" ] || { echo "the servers did not start within 120 s" >&2; exit 1; }

"$JAVA" -cp "$cp" dev.latchkey.bench.dpop.DpopLoad --env-file "$work/env" --server-pid "$server_pid" \
  --connections "$CONNECTIONS" --warmup "$WARMUP" --blocks "$BLOCKS" --block "$BLOCK" \
  --clk-tck "$(getconf CLK_TCK)" || { grep -h "refused" "$work/servers.log" | head -5 >&2; exit 1; }
stop_server "$server_pid"
server_pid=""
grep -h "demo verifier" "$work/servers.log" || true
