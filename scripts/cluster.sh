#!/usr/bin/env bash
# Runs FlashSale as a durable cluster on 127.0.0.1: redis-server with AOF (fsync on every write),
# SILOS silo processes and APIS API nodes. See --help for the commands and settings.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
Usage: scripts/cluster.sh [start] [--production]  start the cluster and supervise it until stopped
       scripts/cluster.sh stop               stop every node found in .run/cluster/ (API nodes, then silos, then Redis)
       scripts/cluster.sh status             list the nodes found in .run/cluster/, with their pid and health
       scripts/cluster.sh start-node silo N  start silo N alone (after it died or was stopped), detached, with its pid file
       scripts/cluster.sh start-node api N   likewise for API node N
       scripts/cluster.sh --help

`start` stops everything, in order, on Ctrl-C (SIGINT), on SIGTERM (`kill <pid>`, also when the
script runs in the background, where a shell ignores SIGINT) and when it fails part-way; a node
that dies meanwhile is not restarted. `stop` works from any shell, also after the supervising
script was killed with SIGKILL: every node writes its pid to .run/cluster/<node>.pid, including a
node restarted by hand with `start-node`. State survives in .run/cluster/ (delete it for a fresh start).

Profile: Development by default (open demo sign-up, sandbox gateway); `start --production` runs
the Production profile, and `start-node` reuses the profile of the last `start`. The cluster's
signing key and webhook secrets are generated once, kept in .run/cluster/secrets.env (mode 0600)
and given to every node through its environment, never on a command line that ps would show.

Settings (environment variables):
  SILOS=3              silo processes
  APIS=2               API nodes (the first seeds the demo lots into an empty cluster)
  REDIS_PORT=6390      Redis
  SILO_PORT_BASE=11120 silo N listens for silos on SILO_PORT_BASE+N
  GATEWAY_PORT_BASE=30020  ... for API nodes (Orleans gateway) on GATEWAY_PORT_BASE+N
  SILO_HTTP_BASE=5180  ... and serves /health, /metrics, /dashboard on http://127.0.0.1:(SILO_HTTP_BASE+N)
  API_PORT_BASE=5080   API node N serves http://127.0.0.1:(API_PORT_BASE+N)
  API_MANAGEMENT_BASE=9460  ... and /metrics, /dashboard on http://127.0.0.1:(API_MANAGEMENT_BASE+N)
  HEALTH_TIMEOUT=120   seconds a node may take to become healthy before `start` gives up
  STOP_TIMEOUT=30      seconds a node may take to stop after SIGTERM before it is killed
  BUILD=1              BUILD=0 skips the Release build (it must exist already)
  CLUSTER_DIR=.run/cluster  the folder of pid files, logs, secrets and Redis's data (the benchmarks use their own)
EOF
}

silos=${SILOS:-3}
apis=${APIS:-2}
redis_port=${REDIS_PORT:-6390}
silo_port_base=${SILO_PORT_BASE:-11120}
gateway_port_base=${GATEWAY_PORT_BASE:-30020}
silo_http_base=${SILO_HTTP_BASE:-5180}
api_port_base=${API_PORT_BASE:-5080}
api_management_base=${API_MANAGEMENT_BASE:-9460}
health_timeout=${HEALTH_TIMEOUT:-120}
stop_timeout=${STOP_TIMEOUT:-30}
run_dir=${CLUSTER_DIR:-$PWD/.run/cluster}
redis="127.0.0.1:$redis_port"

secrets="$run_dir/secrets.env"

# Generates each of the cluster's secrets once (0600, written whole then renamed). A secret a
# newer version needs and an older secrets.env lacks (the phone gateway's, for instance) is
# added; a secret already there is never changed, so tokens and webhooks keep verifying.
ensure_secrets() {
  mkdir -p "$run_dir"
  random() { head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'; }
  local wanted=(
    "FlashSale__Identity__SigningKeys__0__Id=cluster-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    "FlashSale__Identity__SigningKeys__0__Key=$(random)"
    "FlashSale__Payments__Webhooks__Secrets__wallet__0=whsec_$(random)"
    "FlashSale__Payments__Webhooks__Secrets__bank-transfer__0=whsec_$(random)"
    "FlashSale__Payments__Webhooks__Secrets__mobile-money__0=whsec_$(random)"
    "FlashSale__Phone__Gateway__Secrets__0=phsec_$(random)"
  )
  local missing=() entry
  for entry in "${wanted[@]}"; do
    [ -f "$secrets" ] && grep -q "^${entry%%=*}=" "$secrets" || missing+=("$entry")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    ( umask 077
      { [ -f "$secrets" ] && cat "$secrets"; printf '%s\n' "${missing[@]}"; } >"$secrets.tmp" && mv "$secrets.tmp" "$secrets" )
  fi
  chmod 600 "$secrets"
}

# A node's environment: the profile and the secrets (env -S reads no file, so the names are built here).
load_node_env() {
  local profile line
  profile=$(cat "$run_dir/profile" 2>/dev/null || echo Development)
  node_env=(env "ASPNETCORE_ENVIRONMENT=$profile" "DOTNET_ENVIRONMENT=$profile")
  while IFS= read -r line; do node_env+=("$line"); done <"$secrets"
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$run_dir/$1.pid" ] && cat "$run_dir/$1.pid" 2>/dev/null || true; }
health_url() {
  case $1 in
    silo) echo "http://127.0.0.1:$((silo_http_base + $2))/health" ;;
    api) echo "http://127.0.0.1:$((api_port_base + $2))/health" ;;
  esac
}

# Starts one node detached from the terminal (setsid: a Ctrl-C reaches only this script, which
# then stops the nodes in order) and records its pid. `exec` keeps the pid the process's own.
start_node() {
  local kind=$1 i=$2
  ensure_secrets
  load_node_env
  case $kind in
    silo)
      setsid "${node_env[@]}" dotnet silo/FlashSale.Silo/bin/Release/net10.0/FlashSale.Silo.dll \
        --FlashSale:Redis="$redis" --FlashSale:Cluster:SiloPort=$((silo_port_base + i)) \
        --FlashSale:Cluster:GatewayPort=$((gateway_port_base + i)) \
        --urls "http://127.0.0.1:$((silo_http_base + i))" </dev/null >>"$run_dir/silo-$i.log" 2>&1 &
      ;;
    api)
      local demo=()
      [ "$i" -eq 1 ] || demo=(--no-demo)
      (cd api/FlashSale.Api && exec setsid "${node_env[@]}" dotnet bin/Release/net10.0/FlashSale.Api.dll \
        --FlashSale:Redis="$redis" --urls "http://127.0.0.1:$((api_port_base + i));http://127.0.0.1:$((api_management_base + i))" \
        --FlashSale:Operations:ManagementPort=$((api_management_base + i)) "${demo[@]}") \
        </dev/null >>"$run_dir/api-$i.log" 2>&1 &
      ;;
    *) echo "unknown node kind: $kind (silo or api)" >&2; return 2 ;;
  esac
  echo $! >"$run_dir/$kind-$i.pid"
}

wait_healthy() {
  local kind=$1 i=$2 url pid waited=0
  url=$(health_url "$kind" "$i")
  pid=$(pid_of "$kind-$i")
  until curl -fs -m 2 "$url" >/dev/null 2>&1; do
    if ! alive "$pid"; then
      echo "error: $kind $i exited before it became healthy; see $run_dir/$kind-$i.log" >&2
      return 1
    fi
    if [ "$waited" -ge "$health_timeout" ]; then
      echo "error: $kind $i was not healthy at $url within ${health_timeout}s (HEALTH_TIMEOUT); see $run_dir/$kind-$i.log" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# SIGTERM to every node of a group at once, then waits for each; past STOP_TIMEOUT, SIGKILL.
stop_group() {
  local files=("$@") f pid waited
  [ ${#files[@]} -gt 0 ] || return 0
  for f in "${files[@]}"; do
    pid=$(cat "$f" 2>/dev/null || true)
    if alive "$pid"; then
      echo "    stopping $(basename "$f" .pid) (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for f in "${files[@]}"; do
    pid=$(cat "$f" 2>/dev/null || true)
    waited=0
    while alive "$pid" && [ "$waited" -lt $((stop_timeout * 10)) ]; do sleep 0.1; waited=$((waited + 1)); done
    if alive "$pid"; then
      echo "    $(basename "$f" .pid) did not stop within ${stop_timeout}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

# API nodes first (they drain their requests), then silos (they hand off their grains), then
# Redis, which every silo still needs while it stops.
stop_all() {
  shopt -s nullglob
  echo "==> stopping API nodes"; stop_group "$run_dir"/api-*.pid
  echo "==> stopping silos"; stop_group "$run_dir"/silo-*.pid
  echo "==> stopping Redis"; stop_group "$run_dir"/redis.pid
  shopt -u nullglob
}

status() {
  shopt -s nullglob
  local f name pid state health kind i found=0
  for f in "$run_dir"/api-*.pid "$run_dir"/silo-*.pid "$run_dir"/redis.pid "$run_dir"/cluster.pid; do
    [ -e "$f" ] || continue
    found=1
    name=$(basename "$f" .pid)
    pid=$(cat "$f" 2>/dev/null || true)
    state=stopped
    alive "$pid" && state=running
    health=""
    case $name in
      api-* | silo-*)
        kind=${name%-*}; i=${name#*-}
        if [ "$state" = running ]; then
          curl -fs -m 2 "$(health_url "$kind" "$i")" >/dev/null 2>&1 && health="healthy" || health="not healthy"
        fi
        health="$health $(health_url "$kind" "$i")"
        ;;
      redis) [ "$state" = running ] && health="$redis" ;;
      cluster) name="supervisor" ;;
    esac
    printf '%-10s pid %-8s %-8s %s\n' "$name" "$pid" "$state" "$health"
  done
  shopt -u nullglob
  [ "$found" -eq 1 ] || echo "no cluster found in $run_dir"
}

stop_command() {
  local supervisor
  supervisor=$(pid_of cluster)
  if alive "$supervisor"; then
    # The supervising script stops everything in order itself; wait for it.
    kill -TERM "$supervisor" 2>/dev/null || true
    while alive "$supervisor"; do sleep 0.2; done
  fi
  stop_all
  rm -f "$run_dir/cluster.pid"
}

start_command() {
  local profile=Development arg
  for arg in "$@"; do
    case "$arg" in
      --production) profile=Production ;;
      *) usage >&2; exit 2 ;;
    esac
  done
  mkdir -p "$run_dir"
  local f
  for f in "$run_dir"/*.pid; do
    [ -e "$f" ] || continue
    if alive "$(cat "$f" 2>/dev/null || true)"; then
      echo "error: $(basename "$f" .pid) is already running (pid $(cat "$f")); run scripts/cluster.sh stop first" >&2
      exit 1
    fi
    rm -f "$f"
  done

  echo $$ >"$run_dir/cluster.pid"
  echo "$profile" >"$run_dir/profile"
  ensure_secrets
  # Globals, not locals: the EXIT trap runs after this function has returned.
  stopping=0
  keeper=""
  cleanup() {
    [ "$stopping" -eq 0 ] || return 0
    stopping=1
    trap - INT TERM EXIT
    echo
    if alive "$keeper"; then kill "$keeper" 2>/dev/null || true; fi
    stop_all
    rm -f "$run_dir/cluster.pid"
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  if [ "${BUILD:-1}" != 0 ]; then
    scripts/install-prerequisites.sh
    echo "==> building (Release)"
    dotnet build -c Release --nologo -v q silo/FlashSale.Silo/FlashSale.Silo.csproj
    dotnet build -c Release --nologo -v q api/FlashSale.Api/FlashSale.Api.csproj
  fi

  # appendfsync always: a hold, order or payment is acknowledged only after Redis has written it
  # and fsynced it, so it survives the loss of the Redis process too; group commit keeps the cost
  # to one write per batch (see docs/benchmarks.md for the measured price against everysec).
  echo "==> starting Redis on $redis"
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$run_dir" --appendonly yes --appendfsync always \
    --save "" --daemonize yes --pidfile "$run_dir/redis.pid" --logfile "$run_dir/redis.log"
  local waited=0
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do
    if [ "$waited" -ge "$health_timeout" ]; then
      echo "error: Redis did not answer on $redis within ${health_timeout}s; see $run_dir/redis.log" >&2
      exit 1
    fi
    sleep 0.2; waited=$((waited + 1))
  done

  local i
  echo "==> starting $silos silos"
  for i in $(seq 1 "$silos"); do start_node silo "$i"; done
  for i in $(seq 1 "$silos"); do wait_healthy silo "$i"; done
  echo "==> starting $apis API nodes"
  for i in $(seq 1 "$apis"); do start_node api "$i"; done
  for i in $(seq 1 "$apis"); do wait_healthy api "$i"; done

  echo
  echo "FlashSale cluster is up ($profile profile, secrets in $secrets; supervisor pid $$):"
  echo "  redis  $redis (AOF, appendfsync always, data in $run_dir)"
  for i in $(seq 1 "$silos"); do echo "  silo   $i  silo port $((silo_port_base + i)), gateway $((gateway_port_base + i)), health $(health_url silo "$i")"; done
  for i in $(seq 1 "$apis"); do echo "  api    $i  http://127.0.0.1:$((api_port_base + i))  (/metrics, /dashboard: http://127.0.0.1:$((api_management_base + i)))"; done
  echo "Logs in $run_dir. Ctrl-C, kill $$ or scripts/cluster.sh stop stops everything."

  # Wait for a signal; a sleep in the background keeps `wait` interruptible by the traps.
  sleep infinity &
  keeper=$!
  wait "$keeper" || true
}

case ${1:-start} in
  start) shift || true; start_command "$@" ;;
  --production) start_command "$@" ;;
  stop) stop_command ;;
  status) status ;;
  start-node)
    [ $# -eq 3 ] || { usage >&2; exit 2; }
    start_node "$2" "$3"
    wait_healthy "$2" "$3"
    echo "$2 $3 is up (pid $(pid_of "$2-$3")); scripts/cluster.sh stop stops it with the rest"
    ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
