#!/usr/bin/env bash
# The verified-token cache when tokens do not repeat: GET /api/lessons on the real demo server (what
# `latchkey app` runs) with 1, 1 000 and 20 000 distinct valid tokens in rotation, against the same
# server's open route (GET /api/status) and against a second demo server with the verified-token
# cache off, all in ONE run, driven by wrk on loopback.
#
# PAIRED: each goal compares two loads A and B (e.g. cache on vs cache off, same tokens). After a
# warm-up of each (WARMUP: the JVM warmed on that very load), A and B run in alternating short blocks
# (BLOCKS pairs of BLOCK seconds, in the order AB, BA, AB, ...); the figure is the MEDIAN OF THE
# PER-PAIR RATIOS A/B, for requests/s and for the server's CPU time per request (user + system of
# the server JVM, /proc/<pid>/stat). A machine load that varies slowly against 2 × BLOCK moves both
# sides of a pair alike and cancels in the ratio.
#
# Every load runs through the same wrk Lua script (bench/load/tokens.lua, an Authorization header on
# every request, the open route included), so the load generator's own cost is the same everywhere.
# "open-distinct" sends 20 000 distinct tokens to the open route: what distinct header values alone
# cost the HTTP layer.
#
# Everything the load hits runs in one JVM (dev.latchkey.bench.load.DistinctTokenServers: a real
# auth server, which mints the tokens, and the two demo servers), started and stopped here. Only one
# server is loaded at a time, so the JVM's CPU time during a block is that block's server's.
#
# Usage (from the repository root):
#   apt-get install -y wrk
#   mvn -B -Dskip.npm -pl bench -am package -DskipTests
#   bench/load/distinct-tokens-wrk.sh                              # full run, about 17 min
#   WARMUP=5s BLOCKS=2 BLOCK=3 bench/load/distinct-tokens-wrk.sh   # smoke run, about 2 min
#   COMPARISONS=active-set bench/load/distinct-tokens-wrk.sh       # the two open-route goals only, 6 min
# The demo server needs public/index.html on the classpath: WEB_JAR may name a built latchkey-web
# jar (default: web/target's); without one, an empty client is made (the API does not need it).
# Settings (environment): THREADS=2 CONNECTIONS=32 WARMUP=30s BLOCKS=10 BLOCK=5 TOKENS=20000
#   COMPARISONS=all (default) or active-set: only TOKENS tokens ÷ open route and 1 token ÷ open
#   route, the verified-token cache sized for the active set (issue 24)
#   SERVER_CPUS / CLIENT_CPUS: taskset CPU lists for the server JVM and for wrk (default: unpinned)
# Duration: 6 comparisons × (2 × WARMUP + 2 × BLOCKS × BLOCK) = 6 × 160 s = 16 min with the
# defaults, plus the start (minting 20 000 tokens: under a minute on 2 cores).
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-30s}
BLOCKS=${BLOCKS:-10}
BLOCK=${BLOCK:-5}
TOKENS=${TOKENS:-20000}
SERVER_CPUS=${SERVER_CPUS:-}
CLIENT_CPUS=${CLIENT_CPUS:-}
COMPARISONS=${COMPARISONS:-all}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$root/bench/target/benchmarks.jar"
lua="$here/tokens.lua"
command -v wrk >/dev/null || { echo "wrk is missing: install it with apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }
[ -f "$jar" ] || { echo "$jar is missing: build bench first" >&2; exit 1; }
work=$(mktemp -d -t latchkey-distinct.XXXXXX)
cp="$jar"
has_public() { unzip -l "$1" public/index.html >/dev/null 2>&1; }
if ! has_public "$jar"; then
  WEB_JAR=${WEB_JAR:-$(ls "$root"/web/target/latchkey-web-*.jar 2>/dev/null | head -n 1)}
  if [ -n "$WEB_JAR" ] && has_public "$WEB_JAR"; then
    cp="$WEB_JAR:$jar"
  else
    # the API alone: an empty client (the demo server only needs public/index.html to exist)
    mkdir -p "$work/web/public"
    echo '<!doctype html><title>latchkey bench</title>' >"$work/web/public/index.html"
    cp="$work/web:$jar"
  fi
fi
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi; }

server_pid=""
# shellcheck source=bench/load/wrk-common.sh
. "$here/wrk-common.sh"
stop() {
  stop_server "$server_pid"
  rm -rf "$work"
}
trap stop EXIT

started=$(date +%s)
server=(java -cp "$cp" dev.latchkey.bench.load.DistinctTokenServers --env-file "$work/env"
  --tokens-file "$work/tokens" --tokens "$TOKENS" --max-seconds 3600)
# Started directly (not through a function), so that server_pid is the JVM's own pid.
if [ -n "$SERVER_CPUS" ]; then
  taskset -c "$SERVER_CPUS" "${server[@]}" >"$work/servers.log" 2>&1 &
else
  "${server[@]}" >"$work/servers.log" 2>&1 &
fi
server_pid=$!
for _ in $(seq 1 600); do
  [ -f "$work/env" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/servers.log" >&2; echo "the servers did not start" >&2; exit 1; }
  sleep 0.5
done
[ -f "$work/env" ] || { echo "the servers did not start within 300 s" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/env"
echo "servers up, $TOKENS tokens minted, in $(($(date +%s) - started)) s"

first=$(head -n 1 "$work/tokens")
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
for base in "$ON_URL" "$OFF_URL"; do
  [ "$(status -H "Authorization: Bearer $first" "$base/api/lessons")" = 200 ] \
    || { echo "$base/api/lessons refuses the token" >&2; exit 1; }
  [ "$(status "$base/api/lessons")" = 401 ] || { echo "$base/api/lessons is open" >&2; exit 1; }
done

# block NAME URL COUNT SECONDS: one wrk run; prints "requests/s server-CPU-µs-per-request p50 p99";
# fails on any non-2xx answer.
block() {
  local name=$1 url=$2 count=$3 seconds=$4 out before after
  before=$(cpu_ticks "$server_pid")
  out=$(pin "$CLIENT_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$seconds" --latency -s "$lua" "$url" \
    -- "$work/tokens" "$count" "$THREADS")
  after=$(cpu_ticks "$server_pid")
  wrk_figures "$name" $((after - before)) <<<"$out" | awk '{ print $1, $4, $2, $3 }'
}

# The loads: NAME URL TOKEN-COUNT.
declare -A url count
load() { url[$1]=$2; count[$1]=$3; }
load on/open "$ON_URL/api/status" 1
load on/open-distinct "$ON_URL/api/status" "$TOKENS"
load on/lessons-1 "$ON_URL/api/lessons" 1
load on/lessons-1000 "$ON_URL/api/lessons" 1000
load on/lessons-distinct "$ON_URL/api/lessons" "$TOKENS"
load off/lessons-1 "$OFF_URL/api/lessons" 1
load off/lessons-1000 "$OFF_URL/api/lessons" 1000
load off/lessons-distinct "$OFF_URL/api/lessons" "$TOKENS"

blocks="$work/blocks"
: >"$blocks"
# compare A B: warm each up (WARMUP), then BLOCKS pairs alternating AB, BA, ...; every block appends
# "A B pair side requests/s cpu-µs p50 p99 load-average" to $blocks.
compare() {
  local a=$1 b=$2 pair first second side
  for side in "$a" "$b"; do
    pin "$CLIENT_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$lua" "${url[$side]}" \
      -- "$work/tokens" "${count[$side]}" "$THREADS" >/dev/null
  done
  for pair in $(seq 1 "$BLOCKS"); do
    if [ $((pair % 2)) = 1 ]; then first=$a; second=$b; else first=$b; second=$a; fi
    for side in "$first" "$second"; do
      echo "$a $b $pair $side $(block "$side" "${url[$side]}" "${count[$side]}" "${BLOCK}s")" \
        "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done | tee -a "$blocks" \
    | awk '{ printf "  pair %s %-22s %8.0f req/s %7.1f µs/req  p99 %s  load %s\n", $3, $4, $5, $6, $8, $9 }'
}

echo "wrk -t$THREADS -c$CONNECTIONS; each comparison: ${WARMUP} warm-up of each side, then $BLOCKS" \
  "pairs of ${BLOCK} s blocks, alternating; $(nproc) cores, load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ);" \
  "server CPUs ${SERVER_CPUS:-any}, wrk CPUs ${CLIENT_CPUS:-any}"
# "A B goal label": each comparison and its goal on A/B requests/s (0: no goal, reported only).
goals="$work/goals"
( # a subshell, so that the exit below ends the list only
  # 0.80: the default cache (32 768 entries) holds the whole active set of 20 000 sessions
  echo "on/lessons-distinct on/open 0.80 $TOKENS tokens vs open route (cache on)"
  echo "on/lessons-1 on/open 0.90 1 token vs open route (cache on)"
  [ "$COMPARISONS" = active-set ] && exit 0
  echo "on/lessons-1 off/lessons-1 0.95 cache on vs off, 1 token"
  echo "on/lessons-1000 off/lessons-1000 0.95 cache on vs off, 1 000 tokens"
  echo "on/lessons-distinct off/lessons-distinct 0.95 cache on vs off, $TOKENS tokens"
  echo "on/open-distinct on/open 0 open route, $TOKENS distinct headers vs 1 (Jetty header parsing)"
) >"$goals"
while read -r a b _; do
  echo "== $a vs $b"
  compare "$a" "$b" </dev/null
done <"$goals"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Per pair: the ratio A/B of requests/s and of CPU µs per request; the median and quartiles of
# those ratios; and the median of each side's own figures, for reference.
echo
echo "| comparison | goal (req/s A/B) | req/s A/B, median of pairs (p25–p75) | goal |" \
  "CPU µs/req A/B, median (p25–p75) | A: req/s, µs/req (medians) | B: req/s, µs/req (medians) |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
awk -v goals="$goals" '
  function sort(arr, c,   i, j, t) {
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t } }
  function q(arr, c, f,   x, lo) {
    sort(arr, c); x = 1 + (c - 1) * f; lo = int(x); return (lo >= c) ? arr[c] : arr[lo] + (x - lo) * (arr[lo + 1] - arr[lo]) }
  { k = $1 " " $2
    if ($4 == $1) { ra[k, $3] = $5; ca[k, $3] = $6 } else { rb[k, $3] = $5; cb[k, $3] = $6 }
    if ($3 > np[k]) np[k] = $3 }
  END {
    while ((getline line < goals) > 0) {
      split(line, g, " "); k = g[1] " " g[2]; label = line; sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", label)
      c = 0
      for (p = 1; p <= np[k]; p++) if (((k, p) in ra) && ((k, p) in rb)) {
        c++; r[c] = ra[k, p] / rb[k, p]; u[c] = ca[k, p] / cb[k, p]
        x1[c] = ra[k, p]; x2[c] = ca[k, p]; y1[c] = rb[k, p]; y2[c] = cb[k, p] }
      if (c == 0) continue
      m = q(r, c, 0.5)
      verdict = (g[3] == 0) ? "" : ((m >= g[3]) ? "met" : "NOT met")
      printf "| %s (%s vs %s) | %s | **%.2f** (%.2f–%.2f) | %s | %.2f (%.2f–%.2f) | %.0f, %.1f | %.0f, %.1f |\n",
        label, g[1], g[2], (g[3] == 0) ? "—" : "≥ " g[3], m, q(r, c, 0.25), q(r, c, 0.75), verdict,
        q(u, c, 0.5), q(u, c, 0.25), q(u, c, 0.75), q(x1, c, 0.5), q(x2, c, 0.5), q(y1, c, 0.5), q(y2, c, 0.5)
    }
  }' "$blocks"
