#!/usr/bin/env bash
# Start-up time: `latchkey serve` on an existing data directory, from process start to its first
# 200 on GET /health, against a minimal Javalin application (dev.latchkey.bench.startup.MinimalJavalin:
# one route, nothing else) started the same way (java -cp <shaded jar> <main>), in alternating runs
# (serve first in odd runs, Javalin first in even ones), so that a slowly varying machine load
# falls on both alike. Reports each side's median and the ratio of the medians (goal ≤ 1.5).
#
# Usage (from the repository root):
#   mvn -B -Dskip.npm -pl cli,bench -am package -DskipTests
#   bench/startup.sh                   # RUNS=10: about 2 minutes
#   RUNS=3 bench/startup.sh            # smoke
#   CDS=1 bench/startup.sh             # both sides with an application class-data sharing archive
#                                      # (JDK 17: made by a first run with -XX:ArchiveClassesAtExit)
#   LAUNCHER=1 bench/startup.sh        # serve as ./latchkey starts it (with the class-data sharing
#                                      # archive its first server run makes), Javalin as before
#   PROFILE=1 bench/startup.sh         # also: classes loaded by each, and serve's own log lines
# Settings (environment): RUNS=10 JAVA_OPTS='' (given to both JVMs) CDS=0 LAUNCHER=0 PROFILE=0
#   POLL=0.02 (seconds between two /health probes; each probe is a curl process)
set -euo pipefail

RUNS=${RUNS:-10}
JAVA_OPTS=${JAVA_OPTS:-}
CDS=${CDS:-0}
LAUNCHER=${LAUNCHER:-0}
PROFILE=${PROFILE:-0}
POLL=${POLL:-0.02}

root=$(cd "$(dirname "$0")/.." && pwd)
cli="$root/cli/target/latchkey.jar"
bench="$root/bench/target/benchmarks.jar"
command -v curl >/dev/null || { echo "curl is missing: apt-get install -y curl" >&2; exit 1; }
[ -f "$cli" ] || { echo "$cli is missing: mvn -B -Dskip.npm -pl cli,bench -am package -DskipTests" >&2; exit 1; }
[ -f "$bench" ] || { echo "$bench is missing: mvn -B -Dskip.npm -pl cli,bench -am package -DskipTests" >&2; exit 1; }

work=$(mktemp -d -t latchkey-startup.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
data="$work/data"

# The two commands, each taking the JVM options first.
# exec: started with &, the function runs in a subshell; exec makes $! the JVM itself
serve() {
  if [ "$LAUNCHER" = 1 ]; then
    LATCHKEY_JAVA_OPTS="$JAVA_OPTS $*" exec "$root/latchkey" serve --host 127.0.0.1 --port "$port" --data-dir "$data"
  fi
  exec java $JAVA_OPTS "$@" -jar "$cli" serve --host 127.0.0.1 --port "$port" --data-dir "$data"
}
javalin() { exec java $JAVA_OPTS "$@" -cp "$bench" dev.latchkey.bench.startup.MinimalJavalin "$port"; }

# start NAME JVM-OPTION...: starts NAME, waits for its first 200 on /health, stops it (SIGTERM, so
# that an -XX:ArchiveClassesAtExit archive is written); prints the milliseconds from start to 200.
start() {
  local name=$1 t0 t1 code
  shift
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/health"; then
    echo "port $port still answers before $name starts: a server was left running" >&2; exit 1
  fi
  t0=$(date +%s%N)
  "$name" "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  while :; do
    code=$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then cat "$work/$name.log" >&2; echo "$name exited" >&2; exit 1; fi
    if [ $((($(date +%s%N) - t0) / 1000000)) -gt 120000 ]; then echo "$name: no 200 in 120 s" >&2; exit 1; fi
    sleep "$POLL"
  done
  t1=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  echo $(((t1 - t0) / 1000000))
}

echo "start-up: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(date -u +%Y-%m-%dT%H:%MZ); JAVA_OPTS='$JAVA_OPTS' CDS=$CDS LAUNCHER=$LAUNCHER RUNS=$RUNS"
# The data directory exists before the measured runs: the first start creates the database, the
# master key and the first signing key.
echo "first start of serve (creates $data): $(start serve) ms"

serve_opts=()
javalin_opts=()
if [ "$LAUNCHER" = 1 ]; then
  rm -f "$root/cli/target/latchkey.jsa"
  echo "first server run of ./latchkey (its training run records the archive first): $(start serve) ms"
  ls -la "$root/cli/target/latchkey.jsa" | awk '{ print "  " $9 ": " $5 " bytes" }'
  start javalin >/dev/null
elif [ "$CDS" = 1 ]; then
  echo "CDS archive of serve: $(start serve -XX:ArchiveClassesAtExit="$work/serve.jsa") ms (training run)"
  echo "CDS archive of Javalin: $(start javalin -XX:ArchiveClassesAtExit="$work/javalin.jsa") ms (training run)"
  ls -la "$work"/*.jsa | awk '{ print "  " $9 ": " $5 " bytes" }'
  serve_opts=(-XX:SharedArchiveFile="$work/serve.jsa")
  javalin_opts=(-XX:SharedArchiveFile="$work/javalin.jsa")
else
  # one unmeasured start of each, so that both jars are in the page cache
  start javalin >/dev/null
  start serve >/dev/null
fi

results="$work/results"
: >"$results"
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) = 1 ]; then order="serve javalin"; else order="javalin serve"; fi
  for name in $order; do
    if [ "$name" = serve ]; then ms=$(start serve "${serve_opts[@]}"); else ms=$(start javalin "${javalin_opts[@]}"); fi
    echo "$name $ms" >>"$results"
    echo "run $run: $name $ms ms (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
s=$(awk '$1 == "serve" { print $2 }' "$results" | median)
j=$(awk '$1 == "javalin" { print $2 }' "$results" | median)
echo
echo "| start to first 200 on /health | median of $RUNS | runs (ms) |"
echo "| --- | --- | --- |"
echo "| latchkey serve (existing data directory) | $s ms | $(awk '$1 == "serve" { printf "%s ", $2 }' "$results")|"
echo "| minimal Javalin (one route) | $j ms | $(awk '$1 == "javalin" { printf "%s ", $2 }' "$results")|"
awk -v s="$s" -v j="$j" 'BEGIN { r = s / j; printf "| **ratio serve ÷ Javalin** (goal ≤ 1.5) | **%.2f** %s | |\n", r, (r <= 1.5) ? "met" : "NOT met" }'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$PROFILE" = 1 ]; then
  echo
  echo "== profile (one more start of each)"
  start serve "${serve_opts[@]}" -Xlog:class+load:file="$work/serve-classes.txt" >/dev/null
  start javalin "${javalin_opts[@]}" -Xlog:class+load:file="$work/javalin-classes.txt" >/dev/null
  for name in serve javalin; do
    f="$work/$name-classes.txt"
    echo "$name: $(wc -l <"$f") classes loaded, $(grep -c 'shared objects file' "$f" || true) of them from a CDS archive"
  done
  echo "serve's classes by top package (first three name parts):"
  sed -n 's/.*\] \([^ ]*\) source.*/\1/p' "$work/serve-classes.txt" | awk -F. '{ print $1 "." $2 "." $3 }' \
    | sort | uniq -c | sort -rn | head -15
  echo "serve's log of that start (timestamps: where the time goes after the JVM is up):"
  cat "$work/serve.log"
fi
