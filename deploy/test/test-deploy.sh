#!/usr/bin/env bash
# test-deploy.sh: `make test-deploy`, the deployment proven on this machine (run by .ci/run after
# `make test`; needs root for dockerd and network namespaces):
#   1. dockerd: the one running, else one started here and stopped at the end (only that one)
#   2. the local Node 20 base (deploy/docker/local-base.sh), made once and kept
#   3. the image (deploy/docker/build.sh with NODE_IMAGE=the local base), timed
#   4. test/docker-image.integration.test.ts: non-root, --version, run --help; the embedded server in
#      one container, two segment containers, `runner merge` in a container, against an unsplit run
#   5. test/multihost.integration.test.ts: three network-namespace hosts on a bridge
# Bounded: every step has its own limit (timeout), and the whole stays well under CI's 90 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."

STATE="${WSBENCH_DEPLOY_STATE:-/tmp/wsbench-deploy}"
BASE="${WSBENCH_LOCAL_BASE:-wsbench/node20-base:local}"
export WSBENCH_IMAGE="${WSBENCH_IMAGE:-wsbench/runner:test}"
mkdir -p "$STATE"

trap 'deploy/test/dockerd.sh down "$STATE"' EXIT
timeout 120 deploy/test/dockerd.sh up "$STATE"
timeout 900 deploy/docker/local-base.sh "$BASE"
IMAGE="$WSBENCH_IMAGE" NODE_IMAGE="$BASE" DOCKER_BUILD_FLAGS="--network host" timeout 1200 deploy/docker/build.sh
# the integration tests may be left out of `npm test` by jest's config: name them and lift any ignore
# (paths first: --testPathIgnorePatterns takes every word after it as a pattern)
timeout 900 npx jest --runInBand test/docker-image.integration.test.ts test/multihost.integration.test.ts \
  --testPathIgnorePatterns '/node_modules/'
