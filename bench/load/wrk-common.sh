# Shared by the wrk load scripts (lessons-wrk.sh, distinct-tokens-wrk.sh): sourced, not run.

# stop_server PID: SIGTERM, up to 10 s for a clean stop, then SIGKILL.
stop_server() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

# cpu_ticks PID: the process's CPU time (user + system) in clock ticks, from /proc. With the cores
# shared with wrk and possibly other work, CPU time per request is steadier than requests/s.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk_figures NAME TICKS: reads wrk --latency output on stdin and prints "requests/s p50 p99
# server-CPU-µs-per-request" (TICKS: the server's CPU ticks during the run); fails the script on
# any non-2xx answer.
wrk_figures() {
  local name=$1 ticks=$2 out rps p50 p99 count
  out=$(cat)
  if grep -q "Non-2xx" <<<"$out"; then
    echo "$name: non-2xx answers:" >&2
    echo "$out" >&2
    exit 1
  fi
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  count=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p50 $p99 $(awk -v t="$ticks" -v n="$count" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
}
