#!/usr/bin/env bash
# Verifier middleware overhead under load: GET /api/lessons (Authorization: Bearer, behind the
# verifier) against the open GET /api/status, driven by wrk on loopback, on
#   demo      the real DemoServer (verified-token cache on, its default),
#   cached    a copy of the demo's API in front of a verifier with the cache on,
#   uncached  the same with JwtVerifier.Builder.verifiedTokenCache(false);
# the copies also serve the same lessons without the middleware at /api/lessons-open, which is
# driven with the same Authorization header (ignored there): lessons ÷ lessons-open is then the
# middleware alone, with the same request and answer bytes.
# Everything runs in one JVM (dev.latchkey.bench.load.LessonsServers) that this script starts and
# stops; every wrk run is bounded by its duration.
#
# Usage (from the repository root, after building bench):
#   mvn -B -o -q -Dskip.npm -DskipTests install -pl verifier,server,demo,bench
#   bench/load/lessons-wrk.sh
# Settings (environment): THREADS=2 CONNECTIONS=32 DURATION=10s WARMUP=2s ROUNDS=3 (about 5 minutes)
set -euo pipefail

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../target/benchmarks.jar"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }
[ -f "$jar" ] || { echo "$jar is missing: build bench first" >&2; exit 1; }

work=$(mktemp -d -t latchkey-wrk.XXXXXX)
server_pid=""
# shellcheck source=bench/load/wrk-common.sh
. "$here/wrk-common.sh"
stop() {
  stop_server "$server_pid"
  if [ -f "$work/servers.log" ]; then
    echo "--- servers' log (verifier counters at the end) ---"
    cat "$work/servers.log"
  fi
  rm -rf "$work"
}
trap stop EXIT

java -cp "$jar" dev.latchkey.bench.load.LessonsServers --env-file "$work/env" --max-seconds 900 \
  >"$work/servers.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 240); do
  [ -f "$work/env" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the servers did not start" >&2; exit 1; }
  sleep 0.25
done
[ -f "$work/env" ] || { echo "the servers did not start within 60 s" >&2; exit 1; }
# shellcheck disable=SC1091
. "$work/env"

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
for base in "$DEMO_URL" "$CACHED_URL" "$UNCACHED_URL"; do
  [ "$(status -H "Authorization: Bearer $TOKEN" "$base/api/lessons")" = 200 ] \
    || { echo "$base/api/lessons refuses the token" >&2; exit 1; }
  [ "$(status "$base/api/lessons")" = 401 ] \
    || { echo "$base/api/lessons is open without a token" >&2; exit 1; }
  [ "$(status "$base/api/status")" = 200 ] || { echo "$base/api/status fails" >&2; exit 1; }
done
for base in "$CACHED_URL" "$UNCACHED_URL"; do
  [ "$(status "$base/api/lessons-open")" = 200 ] \
    || { echo "$base/api/lessons-open fails" >&2; exit 1; }
done

# run NAME URL [wrk args...]: prints "NAME requests/s p50 p99 server-CPU-µs-per-request" after a
# warm-up; fails on non-2xx answers.
run() {
  local name=$1 url=$2 out before after figures
  shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
  before=$(cpu_ticks "$server_pid")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  after=$(cpu_ticks "$server_pid")
  figures=$(wrk_figures "$name" $((after - before)) <<<"$out")
  echo "$name $figures"
}

bearer=(-H "Authorization: Bearer $TOKEN")
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (each after a $WARMUP warm-up, all after a warm-up pass)," \
  "$ROUNDS rounds," \
  "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
# One pass over every endpoint first, so that the JIT has compiled the whole path (full
# verification and cache hits alike) before anything is measured.
for target in "$DEMO_URL/api/status" "$CACHED_URL/api/lessons-open" "$UNCACHED_URL/api/status"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$target" >/dev/null
done
for target in "$DEMO_URL" "$CACHED_URL" "$UNCACHED_URL"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${bearer[@]}" "$target/api/lessons" >/dev/null
done
results="$work/results"
: >"$results"
for round in $(seq 1 "$ROUNDS"); do
  {
    run "demo/status" "$DEMO_URL/api/status"
    run "demo/lessons" "$DEMO_URL/api/lessons" "${bearer[@]}"
    run "cached/status" "$CACHED_URL/api/status"
    run "cached/lessons-open" "$CACHED_URL/api/lessons-open" "${bearer[@]}"
    run "cached/lessons" "$CACHED_URL/api/lessons" "${bearer[@]}"
    run "uncached/status" "$UNCACHED_URL/api/status"
    run "uncached/lessons-open" "$UNCACHED_URL/api/lessons-open" "${bearer[@]}"
    run "uncached/lessons" "$UNCACHED_URL/api/lessons" "${bearer[@]}"
  } | sed "s/^/$round /" | tee -a "$results"
done

# The cores may be shared with other work whose load changes from one run to the next: every
# figure is the median over the rounds (each round visits every endpoint in turn), and each ratio
# is taken between medians.
echo
echo "| server | endpoint | requests/s (median of $ROUNDS) | per round | server CPU µs per request (median) | p50 / p99 of last round |"
echo "| --- | --- | --- | --- | --- | --- |"
summary="$work/summary"
awk 'function median(k, col,   c, a, b, t, s) {
       c = n[k]; for (a = 1; a <= c; a++) s[a] = v[k, a, col];
       for (a = 1; a <= c; a++) for (b = a + 1; b <= c; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
       return (c % 2) ? s[(c + 1) / 2] : (s[c / 2] + s[c / 2 + 1]) / 2 }
     { k = $2; i = ++n[k]; v[k, i, 1] = $3; v[k, i, 2] = $6;
       per[k] = per[k] (per[k] == "" ? "" : ", ") sprintf("%.0f", $3); lat[k] = $4 " / " $5;
       if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
     END { for (i = 1; i <= m; i++) { k = order[i]; rps = median(k, 1); cpu = median(k, 2);
             print k, rps, cpu > "'"$summary"'";
             split(k, p, "/");
             printf "| %s | %s | %.0f | %s | %.1f | %s |\n", p[1], p[2], rps, per[k], cpu, lat[k] } }' \
  "$results"
echo
echo "| ratio or difference (medians, same run) | requests/s ratio | server CPU per request |"
echo "| --- | --- | --- |"
awk '{ r[$1] = $2; c[$1] = $3 }
     function row(label, a, b) {
       printf "| %s | %.2f | %+.1f µs (%.2f×) |\n", label, r[a] / r[b], c[a] - c[b], c[a] / c[b] }
     END {
       row("demo: lessons (bearer, cache on) vs status (open)", "demo/lessons", "demo/status");
       row("copy, cache on: lessons vs status", "cached/lessons", "cached/status");
       row("copy, cache on: lessons vs lessons-open (the middleware alone)", "cached/lessons", "cached/lessons-open");
       row("copy, cache off: lessons vs status", "uncached/lessons", "uncached/status");
       row("copy, cache off: lessons vs lessons-open (the middleware alone)", "uncached/lessons", "uncached/lessons-open");
       row("lessons: cache off vs cache on", "uncached/lessons", "cached/lessons");
     }' "$summary"
