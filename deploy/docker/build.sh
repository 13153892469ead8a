#!/usr/bin/env bash
# build.sh: `make image`. Builds deploy/docker/Dockerfile into IMAGE (default wsbench/runner:latest).
#   NODE_IMAGE=...          another Node 20 base (default: the Dockerfile's node:20-bookworm-slim)
#   DOCKER_BUILD_FLAGS=...  more `docker build` flags, e.g. --network host
# The build context is a tar of the files the Dockerfile copies, sent on stdin: a few hundred kB
# whatever the checkout holds (node_modules, .git, results), with BuildKit or the classic builder
# alike (the classic builder reads no Dockerfile.dockerignore).
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE="${IMAGE:-wsbench/runner:latest}"
args=(-f deploy/docker/Dockerfile -t "$IMAGE")
[ -n "${NODE_IMAGE:-}" ] && args+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
# shellcheck disable=SC2206 -- word splitting is the point: several flags in one variable
[ -n "${DOCKER_BUILD_FLAGS:-}" ] && args+=(${DOCKER_BUILD_FLAGS})
# without the buildx plugin, `docker build` of Docker >= 23 refuses to run unless told to use the
# classic builder: use it then (it needs no plugin and builds this Dockerfile the same)
if [ -z "${DOCKER_BUILDKIT:-}" ] && ! docker buildx version >/dev/null 2>&1; then
  export DOCKER_BUILDKIT=0
fi

started=$(date +%s)
tar -c package.json package-lock.json bin build lib runner server scenarios deploy/docker/Dockerfile |
  docker build "${args[@]}" -
echo "built $IMAGE in $(($(date +%s) - started)) s: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
