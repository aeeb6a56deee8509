#!/usr/bin/env bash
# Runs one benchmark command and keeps its output, headed by the date, commit, cores, Java, build
# time of the classes it runs, load average before and after and the exact command, in
# bench/results/<UTC date>/NAME.txt (what run-all.sh does for each of its steps).
#
#   bench/record.sh NAME COMMAND [ARGS...]      # from the repository root
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "use: bench/record.sh NAME COMMAND [ARGS...]" >&2; exit 2; }
name=$1
shift
out="bench/results/$(date -u +%Y-%m-%d)"
mkdir -p "$out"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown) (plus uncommitted changes, if any)"
  echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "java: $(java -version 2>&1 | head -1)"
  for built in bench/target/benchmarks.jar bench/target/classes; do
    [ -e "$built" ] && echo "$built built: $(date -u -r "$built" +%Y-%m-%dT%H:%M:%SZ)"
  done
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; shared with other engineers' builds and tests unless said otherwise)"
  echo "command: $*"
  echo
  "$@" 2>&1
  echo
  echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/$name.txt"
