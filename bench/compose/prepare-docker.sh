#!/usr/bin/env bash
# Prepares what the container paths need, where it can (docs/docker.md). Idempotent.
#
#   bash bench/compose/prepare-docker.sh start    install docker.io + docker-compose when absent, start dockerd
#                                                 when none answers (recorded), build the two images when missing
#   bash bench/compose/prepare-docker.sh stop     stop the dockerd this script started (only that one)
#   bash bench/compose/prepare-docker.sh status   say whether an engine answers
#
# Exit status of start: 0 the engine answers and both images exist; 10 it cannot (the reason is printed:
# no privileges, no cgroups, no packages): callers skip the container paths then, they do not fail.
# No registry is needed: when an image is missing and cannot be pulled, it is built with `docker import`
# from this machine's own binaries (redis-server, redis-cli, grep, sh; node, sh) and their shared libraries.
set -uo pipefail

STATE_DIR="${RPB_DOCKER_STATE_DIR:-/tmp/rpb-prepare-docker}"
STARTED_FILE="$STATE_DIR/dockerd-started-by-us.pid"
REDIS_IMAGE="redis:7.0"
NODE_IMAGE="node:20.20-bookworm-slim"
ENGINE_WAIT_S="${RPB_DOCKER_WAIT_S:-40}"
PULL_TIMEOUT_S="${RPB_DOCKER_PULL_TIMEOUT_S:-20}"
UNAVAILABLE=10

log() { echo "prepare-docker: $*"; }
cannot() {
  log "container paths unavailable: $*"
  exit "$UNAVAILABLE"
}

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
  [ ${#missing[@]} -eq 0 ] && return 0
  # shellcheck disable=SC2207
  missing=($(printf '%s\n' "${missing[@]}" | sort -u))
  if [ "$(id -u)" != "0" ] && [ -z "$SUDO" ]; then
    cannot "missing ${missing[*]}, and neither root nor passwordless sudo to install them"
  fi
  log "installing from Debian's packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  if ! $SUDO apt-get install -y -qq "${missing[@]}" >"$STATE_DIR/apt.log" 2>&1; then
    tail -n 5 "$STATE_DIR/apt.log"
    cannot "apt-get install ${missing[*]} failed"
  fi
}

start_engine() {
  if engine_answers; then
    log "a Docker engine answers already; it is left as it is"
    return 0
  fi
  if [ "$(id -u)" != "0" ] && [ -z "$SUDO" ]; then
    cannot "no Docker engine answers, and starting dockerd needs root (or set DOCKER_HOST to one)"
  fi
  [ -d /sys/fs/cgroup ] && [ -n "$(ls -A /sys/fs/cgroup 2>/dev/null)" ] || cannot "no cgroup file system at /sys/fs/cgroup"
  log "no Docker engine answers: starting dockerd (log: $STATE_DIR/dockerd.log)"
  # Only loopback publishes (docker-proxy) and the containers' own bridges are used: no firewall rules,
  # no IP forwarding, no masquerading are needed, so none is set (nothing of the host's is left changed).
  ip link show docker0 >/dev/null 2>&1 || touch "$STATE_DIR/docker0-created-by-us"
  $SUDO setsid dockerd --host unix:///var/run/docker.sock --pidfile "$STATE_DIR/dockerd.pid" \
    --iptables=false --ip-forward=false --ip-masq=false \
    >"$STATE_DIR/dockerd.log" 2>&1 </dev/null &
  local pid=$!
  local waited=0
  while [ "$waited" -lt "$ENGINE_WAIT_S" ]; do
    if engine_answers; then
      # dockerd's own pid (the background job may be sudo's): the one stop signals.
      pid="$(cat "$STATE_DIR/dockerd.pid" 2>/dev/null || echo "$pid")"
      echo "$pid" >"$STARTED_FILE"
      log "dockerd $(dockerd --version | sed 's/^Docker version //') answers (pid $pid, started by this script)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 1
    waited=$((waited + 1))
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  tail -n 8 "$STATE_DIR/dockerd.log" | sed 's/^/  dockerd: /'
  cannot "dockerd did not answer within ${ENGINE_WAIT_S} s (no privileges or no cgroups?)"
}

# A root file system holding the given programs, their shared libraries (ldd) and the loader, as a tar on stdout.
rootfs_tar() {
  local root
  root="$(mktemp -d)"
  local program lib
  for program in "$@"; do
    local real
    real="$(readlink -f "$(command -v "$program")")"
    mkdir -p "$root/usr/bin"
    cp -L "$real" "$root/usr/bin/$(basename "$program")"
    for lib in $(ldd "$real" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
  mkdir -p "$root/bin" "$root/tmp" "$root/data" "$root/etc" "$root/app"
  chmod 1777 "$root/tmp"
  ln -sf /usr/bin/sh "$root/bin/sh"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  # glibc's name lookup loads these at run time (ldd cannot see them): needed to resolve compose service names.
  for lib in /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 \
    /lib/x86_64-linux-gnu/libresolv.so.2; do
    [ -e "$lib" ] && mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"
  done
  tar -C "$root" -c .
  rm -rf "$root"
}

ensure_image() {
  local image="$1"
  shift
  if docker image inspect "$image" >/dev/null 2>&1; then
    log "image $image present"
    return 0
  fi
  if timeout "$PULL_TIMEOUT_S" docker pull -q "$image" >/dev/null 2>&1; then
    log "image $image pulled"
    return 0
  fi
  log "image $image missing and cannot be pulled: building it from this machine's $* (docker import)"
  for program in "$@"; do
    command -v "$program" >/dev/null 2>&1 || cannot "building $image needs $program on this machine"
  done
  if ! rootfs_tar "$@" | docker import --change 'ENV PATH=/usr/bin:/bin' --change 'WORKDIR /data' - "$image" >/dev/null; then
    cannot "docker import of $image failed"
  fi
  log "image $image built ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
}

stop_engine() {
  if [ ! -f "$STARTED_FILE" ]; then
    log "no dockerd was started by this script: nothing to stop"
    return 0
  fi
  local pid
  pid="$(cat "$STARTED_FILE")"
  if kill -0 "$pid" 2>/dev/null && grep -q dockerd "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping the dockerd this script started (pid $pid)"
    $SUDO kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    kill -0 "$pid" 2>/dev/null && $SUDO kill -KILL "$pid"
  else
    log "the dockerd this script started (pid $pid) is gone already"
  fi
  rm -f "$STARTED_FILE"
  # dockerd leaves its default bridge behind: removed when it did not exist before.
  if [ -f "$STATE_DIR/docker0-created-by-us" ]; then
    $SUDO ip link delete docker0 2>/dev/null || true
    rm -f "$STATE_DIR/docker0-created-by-us"
  fi
}

mkdir -p "$STATE_DIR"
case "${1:-start}" in
  start)
    install_packages
    start_engine
    ensure_image "$REDIS_IMAGE" redis-server redis-cli grep sh
    ensure_image "$NODE_IMAGE" node sh
    ;;
  stop) stop_engine ;;
  status)
    if engine_answers; then log "engine answers"; else
      log "no engine answers"
      exit "$UNAVAILABLE"
    fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
