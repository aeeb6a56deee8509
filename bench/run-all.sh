#!/usr/bin/env bash
# Runs every benchmark of bench/README.md once, short and bounded (about 11 minutes on 2 cores),
# and keeps each tool's own output under bench/results/<UTC date>/.
#
#   cd /work/main   # the repository root
#   mvn -B -o -q -Dskip.npm -DskipTests install -pl verifier,server,demo,bench
#   bench/run-all.sh
#
# Build verifier, server, demo and bench in that one reactor: bench then runs this checkout's code.
# Built alone (-pl bench), it would take those modules from ~/.m2, where other checkouts install.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/benchmarks.jar
[ -f "$jar" ] || { echo "$jar is missing: build bench first" >&2; exit 1; }
out="bench/results/$(date -u +%Y-%m-%d)"
mkdir -p "$out"

machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown) (plus uncommitted changes, if any)"
  echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "benchmarks.jar built: $(date -u -r "$jar" +%Y-%m-%dT%H:%M:%SZ)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

step() {
  local name=$1
  shift
  echo "== $name: $*"
  { machine; echo "command: $*"; echo; "$@" 2>&1; echo; echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"; } \
    | tee "$out/$name.txt"
}

step jmh-issue java -jar "$jar" IssueBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
step jmh-issue-paired java -jar "$jar" IssuePairedBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s
step issue-cpu java -cp "$jar" dev.latchkey.bench.server.IssueCpuTime --rounds 15 --block 100
step jmh-argon2 java -jar "$jar" PasswordHashBenchmark -f 1 -wi 2 -i 3 -w 2s -r 2s
step login-load java -cp "$jar" dev.latchkey.bench.load.LoginLoad \
  --concurrency 1,2,4 --requests 200 --time-cap 90s --warmup 10 --hash-samples 20
step login-load-cheap-hash java -cp "$jar" dev.latchkey.bench.load.LoginLoad \
  --argon2 8,1,1 --concurrency 1,2 --requests 300 --time-cap 60s --warmup 50 --hash-samples 3
step lessons-wrk bench/load/lessons-wrk.sh
echo "results in $out"
