#!/usr/bin/env bash
# The verified-token cache when tokens do not repeat (issue 15): GET /api/lessons on the real demo
# server (what `latchkey app` runs) with 1, 1 000 and 20 000 distinct valid tokens in rotation,
# against the same server's open route (GET /api/status) and against a second demo server with the
# verified-token cache off, all in ONE run, driven by wrk on loopback.
#
# Every load runs through the same wrk Lua script (bench/load/tokens.lua, an Authorization header on
# every request, the open route included), so the load generator's own cost is the same on every
# line. "open" sends one token (ignored by /api/status); "open, 20 000 tokens" shows what distinct
# header values alone cost the HTTP layer.
#
# Everything the load hits runs in one JVM (dev.latchkey.bench.load.DistinctTokenServers: a real
# auth server, which mints the tokens, and the two demo servers), started and stopped here; every
# wrk run is bounded by its duration.
#
# Usage (from the repository root):
#   mvn -B -Dskip.npm -pl bench -am package -DskipTests
#   bench/load/distinct-tokens-wrk.sh
# The demo server needs the web client's files (public/ on the classpath): with -Dskip.npm they are
# not built, so give a built latchkey-web jar as WEB_JAR (default: web/target's, if it holds them).
# Settings (environment): THREADS=2 CONNECTIONS=32 WARMUP=30s DURATION=15s ROUNDS=1 TOKENS=20000
#   SERVER_CPUS / CLIENT_CPUS: taskset CPU lists for the server JVM and for wrk (default: unpinned)
# About 9 loads × (WARMUP + DURATION) per round: 7 minutes with the defaults.
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP=${WARMUP:-30s}
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-1}
TOKENS=${TOKENS:-20000}
SERVER_CPUS=${SERVER_CPUS:-}
CLIENT_CPUS=${CLIENT_CPUS:-}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar="$root/bench/target/benchmarks.jar"
lua="$here/tokens.lua"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }
[ -f "$jar" ] || { echo "$jar is missing: build bench first" >&2; exit 1; }
cp="$jar"
has_public() { unzip -l "$1" public/index.html >/dev/null 2>&1; }
if ! has_public "$jar"; then
  WEB_JAR=${WEB_JAR:-$(ls "$root"/web/target/latchkey-web-*.jar 2>/dev/null | head -n 1)}
  if [ -z "$WEB_JAR" ] || ! has_public "$WEB_JAR"; then
    echo "the demo server needs public/: build web (without -Dskip.npm) or set WEB_JAR" >&2
    exit 1
  fi
  cp="$WEB_JAR:$jar"
fi
pin() { local cpus=$1; shift; if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi; }

work=$(mktemp -d -t latchkey-distinct.XXXXXX)
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

# run NAME URL COUNT: WARMUP of the load, then DURATION measured; prints "NAME requests/s p50 p99
# server-CPU-µs-per-request load-average"; fails on any non-2xx answer.
run() {
  local name=$1 url=$2 count=$3 out before after figures
  local args=(-t"$THREADS" -c"$CONNECTIONS" -s "$lua" "$url" -- "$work/tokens" "$count" "$THREADS")
  pin "$CLIENT_CPUS" wrk -d"$WARMUP" "${args[@]}" >/dev/null
  before=$(cpu_ticks "$server_pid")
  out=$(pin "$CLIENT_CPUS" wrk -d"$DURATION" --latency "${args[@]}")
  after=$(cpu_ticks "$server_pid")
  figures=$(wrk_figures "$name" $((after - before)) <<<"$out")
  echo "$name $figures $(cut -d' ' -f1 /proc/loadavg)"
}

echo "wrk -t$THREADS -c$CONNECTIONS, each load: ${WARMUP} warm-up of that same load (JVM warmed" \
  "≥ ${WARMUP} on every load), then ${DURATION} measured; $ROUNDS round(s);" \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ);" \
  "server CPUs ${SERVER_CPUS:-any}, wrk CPUs ${CLIENT_CPUS:-any}"
results="$work/results"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  {
    run on/open "$ON_URL/api/status" 1
    run on/open-distinct "$ON_URL/api/status" "$TOKENS"
    run on/lessons-1 "$ON_URL/api/lessons" 1
    run on/lessons-1000 "$ON_URL/api/lessons" 1000
    run on/lessons-distinct "$ON_URL/api/lessons" "$TOKENS"
    run off/open "$OFF_URL/api/status" 1
    run off/lessons-1 "$OFF_URL/api/lessons" 1
    run off/lessons-1000 "$OFF_URL/api/lessons" 1000
    run off/lessons-distinct "$OFF_URL/api/lessons" "$TOKENS"
  } | sed -u "s/^/$round /" | tee -a "$results"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Medians over the rounds (one round: the figures themselves); ratios between medians.
echo
echo "| server | load | requests/s | server CPU µs/request | p50 / p99 (last round) |"
echo "| --- | --- | --- | --- | --- |"
summary="$work/summary"
awk 'function median(k, col,   c, a, b, t, s) {
       c = n[k]; for (a = 1; a <= c; a++) s[a] = v[k, a, col];
       for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
       return (c % 2) ? s[(c + 1) / 2] : (s[c / 2] + s[c / 2 + 1]) / 2 }
     { k = $2; i = ++n[k]; v[k, i, 1] = $3; v[k, i, 2] = $6; lat[k] = $4 " / " $5;
       if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
     END { for (i = 1; i <= m; i++) { k = order[i]; rps = median(k, 1); cpu = median(k, 2);
             print k, rps, cpu > "'"$summary"'"; split(k, p, "/");
             printf "| cache %s | %s | %.0f | %.1f | %s |\n", p[1], p[2], rps, cpu, lat[k] } }' \
  "$results"
echo
echo "| ratio (requests/s, same run) | goal | measured | |"
echo "| --- | --- | --- | --- |"
awk -v tokens="$TOKENS" '{ r[$1] = $2 }
     function row(label, a, b, goal) {
       printf "| %s | ≥ %.2f | %.2f | %s |\n", label, goal, r[a] / r[b], (r[a] / r[b] >= goal) ? "met" : "NOT met" }
     END {
       row(tokens " tokens vs open route (cache on)", "on/lessons-distinct", "on/open", 0.40);
       row("1 token vs open route (cache on)", "on/lessons-1", "on/open", 0.90);
       row("cache on vs off, 1 token", "on/lessons-1", "off/lessons-1", 0.95);
       row("cache on vs off, 1 000 tokens", "on/lessons-1000", "off/lessons-1000", 0.95);
       row("cache on vs off, " tokens " tokens", "on/lessons-distinct", "off/lessons-distinct", 0.95);
       row("open route, " tokens " distinct headers vs 1 (Jetty header parsing)", "on/open-distinct", "on/open", 0);
     }' "$summary"
