# Load average helpers for loadtests/run-benchmarks.sh (sourced). A figure measured while other
# work runs says little about the engine: the script prints the load before and after each step
# and refuses to start when the 1-minute load is above 1.5 per core, unless --busy-ok is given.
# BENCH_LOADAVG_FILE and BENCH_CORES stand in for /proc/loadavg and nproc (the tests use them).

busy_per_core=1.5

load_average() { # the 1-, 5- and 15-minute load averages
  cut -d' ' -f1-3 "${BENCH_LOADAVG_FILE:-/proc/loadavg}"
}

cores() {
  echo "${BENCH_CORES:-$(nproc)}"
}

machine_is_busy() { # true when the 1-minute load is above busy_per_core per core
  awk -v load="$(load_average | cut -d' ' -f1)" -v cores="$(cores)" -v per="$busy_per_core" \
    'BEGIN { exit !(load + 0 > per * cores) }'
}

# Refuses (returns 1, with a message) on a busy machine unless $1 is "true" (--busy-ok); says so
# on stdout either way.
check_machine_idle() {
  local busy_ok=$1
  if machine_is_busy; then
    if [ "$busy_ok" = true ]; then
      echo "machine: BUSY (load average $(load_average) on $(cores) cores, above $busy_per_core per core); running anyway (--busy-ok), the reports say so"
      return 0
    fi
    echo "refusing to benchmark: load average $(load_average) on $(cores) cores is above $busy_per_core per core." >&2
    echo "Wait for the machine to be idle, or pass --busy-ok to run anyway (the reports then say the run was busy)." >&2
    return 1
  fi
  echo "machine: idle enough (load average $(load_average) on $(cores) cores)"
}
