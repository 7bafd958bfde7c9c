#!/usr/bin/env bash
# Runs the container paths on a real Docker engine (docs/docker.md), or skips them with the reason.
#
#   bash bench/compose/container-paths.sh
#
# 1. bench/compose/prepare-docker.sh start (packages, dockerd, the two images); exit 10 there: every
#    step below is skipped with the reason and this script exits 0.
# 2. the container target's tests; `rpb run miss-vs-hit --quick --target container`, no container left
# 3. compose up redis + signal-service until healthy; /health, POST /api/v1/signals, /metrics
# 4. the compose bench profile (`run --rm bench`), exit 0
# 5. chaos on the compose Redis through --fault-cmd: docker pause / unpause, docker kill (then started again)
# 6. compose down -v: no container, network or volume of the project left
# 7. prepare-docker.sh stop: stops dockerd only if step 1 started it
# Host ports are moved off the defaults (REDIS_HOST_PORT 16379, SERVICE_HOST_PORT 18080) so that a
# local Redis on 6379 is never touched. Every step prints its wall time; the exit status is non-zero
# if any step failed.
set -uo pipefail
cd "$(dirname "$0")/../.."

export REDIS_HOST_PORT="${REDIS_HOST_PORT:-16379}"
export SERVICE_HOST_PORT="${SERVICE_HOST_PORT:-18080}"
export PROMETHEUS_HOST_PORT="${PROMETHEUS_HOST_PORT:-19090}"
export REDIS_PASSWORD="${REDIS_PASSWORD:-rpb-ci-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
# testcontainers' reaper (ryuk) is an image from a registry; containers are removed by the harness itself.
export TESTCONTAINERS_RYUK_DISABLED=true
PROJECT="${RPB_COMPOSE_PROJECT:-rpb-ci-$$}"
WORK="$(mktemp -d /tmp/rpb-container-paths.XXXXXX)"
failures=()
BENCH_REPORT=""

step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo
  echo "== $name"
  echo "\$ $*"
  if "$@"; then
    echo "-- $name: ok ($((SECONDS - start)) s)"
  else
    local rc=$?
    echo "-- $name: FAILED, exit $rc ($((SECONDS - start)) s)"
    failures+=("$name")
  fi
}

# Stop at the end only a dockerd that this run's prepare step starts (not one left by an earlier run).
STARTED_FILE="${RPB_DOCKER_STATE_DIR:-/tmp/rpb-prepare-docker}/dockerd-started-by-us.pid"
started_before=0
[ -f "$STARTED_FILE" ] && started_before=1
prepare_rc=0
bash bench/compose/prepare-docker.sh start || prepare_rc=$?
if [ "$prepare_rc" = "10" ]; then
  echo "container-paths: every container step skipped (the reason is above); nothing failed for that"
  rm -rf "$WORK"
  exit 0
elif [ "$prepare_rc" != "0" ]; then
  echo "container-paths: prepare-docker.sh failed (exit $prepare_rc)"
  rm -rf "$WORK"
  exit "$prepare_rc"
fi
# Chosen after the prepare step, which installs docker-compose on a fresh machine: chosen before it,
# a fresh machine fell back to the `docker compose` plugin it does not have (every compose step failed).
COMPOSE=(docker-compose -p "$PROJECT")
if ! command -v docker-compose >/dev/null 2>&1; then COMPOSE=(docker compose -p "$PROJECT"); fi

# The containers of an image, by id (to check that nothing is left behind).
containers_of() { docker ps -aq --filter "ancestor=$1" | sort; }

container_target_run() {
  local before after
  before="$(containers_of redis:7.0)"
  npx rpb run miss-vs-hit --quick --target container --out "$WORK/container" || return 1
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = s.scenarios[0].target;
    console.log(`summary target: kind ${t.kind}, image ${t.image}, Redis ${t.redisVersion}`);
    console.log(`a verdict condition: ${s.scenarios[0].verdicts[0]?.conditions}`);
    process.exit(t.kind === "container" && t.image === "redis:7.0" ? 0 : 1);
  ' "$WORK/container/summary.json" || return 1
  after="$(containers_of redis:7.0)"
  [ "$before" = "$after" ] || {
    echo "containers left: $after"
    return 1
  }
  echo "no redis:7.0 container left"
}

# Waits until every given service of the project reports healthy (at most $1 s).
wait_healthy() {
  local limit="$1"
  shift
  local waited=0 service id state all
  while [ "$waited" -lt "$limit" ]; do
    all=1
    for service in "$@"; do
      id="$("${COMPOSE[@]}" ps -q "$service")"
      state="$([ -n "$id" ] && docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null)"
      [ "$state" = "healthy" ] || all=0
    done
    if [ "$all" = "1" ]; then
      echo "healthy after ${waited} s: $*"
      return 0
    fi
    sleep 2
    waited=$((waited + 2))
  done
  "${COMPOSE[@]}" ps
  "${COMPOSE[@]}" logs --tail 20
  return 1
}

service_requests() {
  local base="http://127.0.0.1:$SERVICE_HOST_PORT"
  curl -fsS "$base/health" && echo || return 1
  curl -fsS -X POST -H 'content-type: application/json' \
    -d '{"symbols":["AAPL","MSFT"],"as_of_date":"2025-06-02"}' "$base/api/v1/signals" | head -c 400 && echo || return 1
  curl -fsS "$base/metrics" | grep -E '^(# HELP|[a-z_]+redis[a-z_]*|http_request)' | head -n 8 || return 1
}

bench_profile() {
  local before report
  before="$(ls -d reports/*/ 2>/dev/null)"
  "${COMPOSE[@]}" --profile bench run --rm bench || return 1
  # The run's own reports/<time> folder (removed at the end of this script, as the run's scratch output).
  report="$(comm -13 <(echo "$before" | sort) <(ls -d reports/*/ 2>/dev/null | sort) | tail -n 1)"
  [ -n "$report" ] && [ -f "$report/summary.json" ] || return 1
  BENCH_REPORT="$report"
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const r of s.scenarios) console.log(`${r.id}: ${r.status}, target ${r.target?.kind} (compose service ${r.target?.composeService}), ${r.verdicts.length} verdicts`);
    const v = s.scenarios.flatMap((r) => r.verdicts)[0];
    if (v) console.log(`a verdict condition: ${v.conditions}`);
  ' "$report/summary.json"
}

redis_url_host() { echo "redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_HOST_PORT/15"; }

chaos_pause() {
  local id
  id="$("${COMPOSE[@]}" ps -q redis)"
  npx rpb run chaos-kill --quick --set trials=1 --redis-url "$(redis_url_host)" --out "$WORK/chaos-pause" \
    --fault-cmd "docker pause $id && sleep 1 && docker unpause $id" || return 1
  summarize_chaos "$WORK/chaos-pause/summary.json"
}

chaos_kill() {
  local id
  id="$("${COMPOSE[@]}" ps -q redis)"
  # rpb cannot heal a --fault-cmd fault: the command restarts the container itself (cold, empty: no persistence).
  npx rpb run chaos-kill --quick --set trials=1 --redis-url "$(redis_url_host)" --out "$WORK/chaos-kill" \
    --fault-cmd "docker kill $id && sleep 1 && docker start $id" || return 1
  summarize_chaos "$WORK/chaos-kill/summary.json"
  wait_healthy 60 redis signal-service && curl -fsS "http://127.0.0.1:$SERVICE_HOST_PORT/health" && echo
}

summarize_chaos() {
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const r of s.scenarios) {
      console.log(`${r.id}: ${r.status}, target ${r.target?.kind}; fault command: ${r.parameters.faultCmd}`);
      for (const v of r.verdicts) console.log(`  ${v.claimId}: ${v.outcome} (measured ${v.measured})`);
    }
  ' "$1"
}

compose_down_clean() {
  "${COMPOSE[@]}" --profile bench --profile cluster down -v --remove-orphans || return 1
  local left
  left="$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT")$(docker network ls -q --filter "label=com.docker.compose.project=$PROJECT")$(docker volume ls -q --filter "label=com.docker.compose.project=$PROJECT")"
  if [ -n "$left" ]; then
    echo "left behind: $left"
    return 1
  fi
  echo "no container, network or volume of project $PROJECT left"
}

# On any exit (Ctrl-C included): the project's containers, network and volumes go, then our dockerd.
cleanup() {
  trap - EXIT INT TERM
  "${COMPOSE[@]}" --profile bench --profile cluster down -v --remove-orphans >/dev/null 2>&1 || true
  if [ "$started_before" = "0" ] && [ -f "$STARTED_FILE" ]; then bash bench/compose/prepare-docker.sh stop; fi
  rm -rf "$WORK"
  [ -n "$BENCH_REPORT" ] && rm -rf "$BENCH_REPORT"
  BENCH_REPORT=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "container target tests" npx vitest run --config bench/vitest.config.ts bench/targets/container-redis.int.test.ts
step "rpb run miss-vs-hit --quick --target container" container_target_run
step "compose config (Compose $("${COMPOSE[@]}" version --short 2>/dev/null))" "${COMPOSE[@]}" config -q
step "compose up redis signal-service" "${COMPOSE[@]}" up -d redis signal-service
step "until healthy" wait_healthy 150 redis signal-service
step "health, signals, metrics" service_requests
step "compose bench profile" bench_profile
step "chaos through --fault-cmd: docker pause / unpause" chaos_pause
step "chaos through --fault-cmd: docker kill" chaos_kill
step "compose down" compose_down_clean
cleanup
echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "container-paths: FAILED: ${failures[*]}"
  exit 1
fi
echo "container-paths: every step passed"
