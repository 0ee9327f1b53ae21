#!/usr/bin/env bash
# count_instructions.sh: instructions per operation of goscope's one-worker workloads,
# counted by valgrind (callgrind), so they can be compared across commits on a machine
# too noisy for wall-clock A/B runs. Needs valgrind (apt-get install valgrind); not part
# of CI.
#
#   bench/count_instructions.sh [BENCH_BINARY] [WORKLOAD...]
#
# BENCH_BINARY defaults to build/bench/goscope-bench; workloads default to all of
# pingpong pingpong_traced spsc mpmc select2. For each it runs the workload for N and 3N
# operations and prints (instructions(3N) - instructions(N)) / 2N of the thread that runs
# the program (the one worker: every goroutine, not the tracer's consumer thread), so
# start-up and tear-down cancel out. Takes about half a minute.
set -euo pipefail
bin=${1:-build/bench/goscope-bench}
shift || true
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(pingpong pingpong_traced spsc mpmc select2)
command -v valgrind > /dev/null || { echo "count_instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
[ -x "$bin" ] || { echo "count_instructions.sh: no executable $bin" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() {  # count WORKLOAD N: instructions of the program's thread
  rm -f "$tmp"/cg.*
  if ! valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$tmp/cg.%p" \
      "$bin" --workload "$1" "$2" > "$tmp/out" 2>&1; then
    echo "count_instructions.sh: $bin --workload $1 $2 failed:" >&2
    grep -v '^==' "$tmp/out" >&2 || true
    exit 1
  fi
  grep -m1 '^summary:' "$(ls "$tmp"/cg.*-01)" | awk '{print $2}'
}
for w in "${workloads[@]}"; do
  case $w in
    pingpong|pingpong_traced|select2) n=20000; unit="round trip" ;;  # traced: 600k events, fits the ring
    *) n=200000; unit=message ;;
  esac
  # Twice, keeping the smaller: now and then a run's thread does extra work (valgrind runs
  # one thread at a time, and an unlucky interleaving with the tracer's consumer thread
  # sends the worker down its slow paths); that only ever adds instructions.
  best=
  for attempt in 1 2; do
    a=$(count "$w" "$n")
    b=$(count "$w" $((3 * n)))
    per=$(( (b - a) / (2 * n) ))
    if [ -z "$best" ] || [ "$per" -lt "$best" ]; then best=$per; fi
  done
  printf '%-16s %6d instructions per %s\n' "$w" "$best" "$unit"
done
