# wsbench: the seed tool's workflow as make targets. `make run` and `make test` need nothing installed by hand.
SHELL := /bin/bash
NODE_MODULES := node_modules/.package-lock.json
RUNNER := node bin/runner.js
TARGET ?=
TARGET_FLAG := $(if $(TARGET),--target $(TARGET),)

.PHONY: run test build typecheck clean

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/cli.js: $(NODE_MODULES) $(shell find runner lib server build -name '*.ts' -o -name '*.js' 2>/dev/null)
	node build/self.js

## run: the connect-only scenario (1000 connections, 60 s) against the embedded server
run: dist/cli.js
	$(RUNNER) run scenarios/connect-only.ts $(TARGET_FLAG)

## test: the whole test suite (build, typecheck, lint, import rules, unit tier, integration tier; real sockets on loopback)
test: $(NODE_MODULES)
	npm test

## test-unit: the unit tier only: pure code and the CLI in-process (seconds)
.PHONY: test-unit
test-unit: $(NODE_MODULES)
	npm run test:unit

## test-k6: the conformance tier on real k6 (WSBENCH_K6= a k6 binary or a folder of k6-vX.Y.Z binaries, else k6 on PATH); without one: one line, exit 0
.PHONY: test-k6
test-k6: $(NODE_MODULES)
	@node test/k6-real/tier.js

## build: the runner (dist/) and a k6 bundle of every scenario (dist/k6/<name>.js, for k6 run / k6 cloud run)
build: dist/cli.js
	$(RUNNER) build --target k6

## typecheck: tsc --noEmit over the sources and tests, and over lib/k6 with k6's types
typecheck: $(NODE_MODULES)
	npm run typecheck

## clean: remove dist/
clean:
	rm -rf dist

# ---- the seed's bench workflow (docs/architecture.md, "The seed tool") ----
.DEFAULT_GOAL := help
.PHONY: help bench-local bench-ws-10k bench-ws-50k bench-ws-100k bench-stop bench-collect image k8s-up k8s-down k8s-status k8s-logs k8s-bench k8s-k6

NAMESPACE ?= wsbench
IMAGE ?= wsbench/runner:latest
APP ?=
TAIL ?= 200
# extra runner flags for the bench targets, e.g. ARGS="--lang zh" or ARGS="--conns 200" (bench-local)
ARGS ?=
STAMP := $(shell date +%Y%m%d_%H%M%S)
BENCH_OUT ?= bench/results/$(STAMP)
BENCH_PID ?= bench/results/.bench.pid

# $(call bench,SCENARIO [FLAGS]): the runner in the foreground (Ctrl-C works as usual), its PID in
# $(BENCH_PID) so that `make bench-stop` from another terminal can stop it the same gentle way
define bench
	@mkdir -p bench/results
	@if [ -f $(BENCH_PID) ] && ps -o args= -p "$$(cat $(BENCH_PID))" 2>/dev/null | grep -q 'bin/runner.js'; then \
	  echo "a bench is already running (pid $$(cat $(BENCH_PID))): make bench-stop first" >&2; exit 1; fi
	@echo "$(RUNNER) run $(1) $(TARGET_FLAG) --out-dir $(BENCH_OUT) $(ARGS)"
	@bash -c 'echo $$$$ > $(BENCH_PID); exec $(RUNNER) run $(1) $(TARGET_FLAG) --out-dir $(BENCH_OUT) $(ARGS)'; \
	  rc=$$?; rm -f $(BENCH_PID); exit $$rc
endef

## help: this list (targets take TARGET=ws://host:port/ws, NAMESPACE=, ARGS="more runner flags")
help:
	@grep -hE '^## [a-z0-9-]+:' $(MAKEFILE_LIST) | sed 's/^## //' | awk -F': ' '{ printf "  make %-15s %s\n", $$1, substr($$0, length($$1) + 3) }'

## bench-local: 1,000 connections, 60 s with a 30 s ramp, pings every 30 s, against the embedded server (or TARGET)
bench-local: dist/cli.js
	$(call bench,scenarios/connect-only.ts)

## bench-ws-10k: 10,000 connections, 60 s with a 30 s ramp, pings every 30 s (scenarios/10k.ts)
bench-ws-10k: dist/cli.js
	$(call bench,scenarios/10k.ts)

## bench-ws-50k: 50,000 connections, 120 s with a 90 s ramp, pings every 30 s (scenarios/50k.ts)
bench-ws-50k: dist/cli.js
	$(call bench,scenarios/50k.ts)

## bench-ws-100k: 100,000 connections, 180 s with a 120 s ramp, pings every 30 s (see docs/scaling.md)
bench-ws-100k: dist/cli.js
	$(call bench,scenarios/connect-only.ts --conns 100000 --duration 180s --ramp 120s --ping-interval 30s)

# ---- cost against the floor (issue 12): bench/peers/run.sh, bench/ws-200k.sh; tables and settings in bench/README.md ----
.PHONY: bench-peers bench-peers-connect bench-peers-ping bench-peers-messaging bench-ws-200k

## bench-peers: the connect load then the ping load (below), each a table with every figure as a ratio to the floor
bench-peers: bench-peers-connect bench-peers-ping

## bench-peers-connect: 10,000 connections over 30 s held to 60 s, no pings: floor, floor-net, floor-raw, wsbench, Artillery, Tsung (CONNS= RAMP_S= HOLD_S= TOOLS=)
bench-peers-connect: dist/cli.js
	LOAD=connect bash bench/peers/run.sh

## bench-peers-ping: 5,000 connections, 30 s ramp, 30 s hold, pings every 5 s, the same tools (CONNS= RAMP_S= HOLD_S= PING_S= TOOLS=)
bench-peers-ping: dist/cli.js
	LOAD=ping bash bench/peers/run.sh

## bench-peers-messaging: 1,000 users, 10 msgs/s of 256 B each to the next, 30 s: floor, wsbench, Artillery, Tsung (CONNS= RATE= SIZE= SEND_S= TOOLS=)
bench-peers-messaging: dist/cli.js
	LOAD=messaging bash bench/peers/run.sh

## bench-ws-200k: 200,000 connections, runner + embedded server cluster on this machine, pings every 30 s; prints limits, the report and the targets (CONNS= RAMP_S= DURATION_S=)
bench-ws-200k: dist/cli.js
	bash bench/ws-200k.sh

## bench-curve: cost per connection at 10K, 50K, 100K, 200K connections (833/s, held 60 s, pings every 30 s), wsbench and the floor, each against a server cluster; the Markdown tables (LOADS= HOLD_S= PACE= PING_S= OUT_DIR= PLAN_ONLY=1)
.PHONY: bench-curve
bench-curve: dist/cli.js
	node bench/curve.js

## bench-k6: 500 VUs over 10 s, held 20 s, pings every 5 s, on real k6 (WSBENCH_K6= or PATH): the wsbench bundle vs a hand-written k6/websockets script, CPU and peak RSS side by side; without k6: one line, exit 0
.PHONY: bench-k6
bench-k6: dist/cli.js
	bash bench/k6-cost.sh

## bench-messaging: 2,000 connections, each 10 msgs/s of 256 B to a peer, 60 s, against the embedded server: msgs/s, delivery P50/P99, CPU (CONNS= RATE= SIZE= SEND= ROOM= WORKERS=)
.PHONY: bench-messaging
bench-messaging: dist/cli.js
	bash bench/messaging.sh

## bench-soak: 10,000 reconnecting connections for 30 min, pings every 10 s, a server restart every 5 min: RSS, event-loop delay and counts after each recovery (CONNS= DURATION= RAMP= PING= EVERY= DOWN= RESTARTS=)
.PHONY: bench-soak
bench-soak: dist/cli.js
	node bench/soak.js

## bench-dashboard: runner CPU of a 10,000-connection run with and without --dashboard (scraped every second, one live page open), and the ratio (CONNS= RAMP= DURATION= PING= REPEAT=)
.PHONY: bench-dashboard
bench-dashboard: dist/cli.js
	bash bench/dashboard.sh

## bench-stop: stop the bench a bench-* target started, as Ctrl-C does: it still prints and saves its results (exit 130)
bench-stop:
	@pid=$$(cat $(BENCH_PID) 2>/dev/null); \
	if [ -z "$$pid" ]; then echo "no bench running (no $(BENCH_PID))"; exit 0; fi; \
	if ! ps -o args= -p "$$pid" 2>/dev/null | grep -q 'bin/runner.js'; then \
	  echo "no bench running (pid $$pid in $(BENCH_PID) is not the runner; removed it)"; rm -f $(BENCH_PID); exit 0; fi; \
	echo "stopping the bench (pid $$pid): VUs stop, connections close, results are written"; \
	kill -INT "$$pid"; \
	for i in $$(seq 1 600); do \
	  if ! ps -o args= -p "$$pid" 2>/dev/null | grep -q 'bin/runner.js'; then echo "bench stopped"; exit 0; fi; sleep 0.1; done; \
	echo "the bench (pid $$pid) is still draining after 60 s; kill -INT $$pid once more quits at once" >&2; exit 1

## bench-collect: deploy/scripts/collect.sh NAMESPACE into bench/results/YYYYMMDD_HHMMSS (k8s state if kubectl; local limits, sysctls, ss -s)
bench-collect:
	deploy/scripts/collect.sh $(NAMESPACE) bench/results/$(STAMP)

# ---- the image and its proof (deploy/docker, deploy/test; docs/distributed.md) ----
.PHONY: test-deploy
NODE_IMAGE ?=
DOCKER_BUILD_FLAGS ?=
## image: build the runner image wsbench/runner:latest (IMAGE=...) from deploy/docker/Dockerfile; NODE_IMAGE= another Node 20 base
image:
	IMAGE=$(IMAGE) NODE_IMAGE=$(NODE_IMAGE) DOCKER_BUILD_FLAGS="$(DOCKER_BUILD_FLAGS)" deploy/docker/build.sh

## test-deploy: as root: dockerd, a local Node 20 base, the image, segments + merge in containers, generators on network-namespace hosts
test-deploy: dist/cli.js
	deploy/test/test-deploy.sh
# ---- end of the image block ----

## k8s-up: namespace wsbench, the stand-in delivery-service (NodePort 30084, /ws) and the results volume
k8s-up:
	kubectl apply -k deploy/k8s
	kubectl -n $(NAMESPACE) rollout status deployment/delivery-service --timeout=180s

## k8s-status: pods, services, jobs, volumes and HPA of NAMESPACE
k8s-status:
	kubectl -n $(NAMESPACE) get pods,deployments,services,jobs,pvc,hpa -o wide

## k8s-logs: logs of the pods labelled app=APP, e.g. make k8s-logs APP=delivery-service (or wsbench-runner, wsbench-merge)
k8s-logs:
	@if [ -z "$(APP)" ]; then echo "give APP=<app label>, e.g. make k8s-logs APP=delivery-service (or wsbench-runner, wsbench-merge)" >&2; exit 1; fi
	kubectl -n $(NAMESPACE) logs -l app=$(APP) --all-containers --prefix --tail=$(TAIL) --max-log-requests=20

## k8s-bench: one test over 4 generator pods (Indexed Job, --segment i/4), merged by the merge Job; prints the merged summary
k8s-bench:
	kubectl -n $(NAMESPACE) delete job wsbench-segments wsbench-merge --ignore-not-found
	kubectl apply -f deploy/k8s/merge-job.yaml
	@# the merge pod must be up before the segments: it merges only results written after it started
	@until kubectl -n $(NAMESPACE) get pods -l job-name=wsbench-merge -o name | grep -q .; do sleep 1; done
	kubectl -n $(NAMESPACE) wait --for=condition=Ready pod -l job-name=wsbench-merge --timeout=300s
	kubectl apply -f deploy/k8s/segments-job.yaml
	@until [ -n "$$(kubectl -n $(NAMESPACE) get job wsbench-merge -o jsonpath='{.status.succeeded}{.status.failed}')" ]; do sleep 5; done
	kubectl -n $(NAMESPACE) logs job/wsbench-merge

## k8s-k6: the 10k scenario on the k6 operator: bundle, ConfigMap wsbench-k6-10k, TestRun (needs the operator's CRDs)
k8s-k6: dist/cli.js
	$(RUNNER) build scenarios/10k.ts --target k6
	kubectl -n $(NAMESPACE) create configmap wsbench-k6-10k --from-file=10k.js=dist/k6/10k.js --dry-run=client -o yaml | kubectl apply -f -
	kubectl -n $(NAMESPACE) apply -f deploy/k8s/k6-testrun.yaml

## k8s-down: delete namespace wsbench and everything in it (results volume included)
k8s-down:
	kubectl delete -k deploy/k8s --ignore-not-found
