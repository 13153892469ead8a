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

## test: the whole test suite (typecheck + Jest, real sockets on loopback)
test: $(NODE_MODULES)
	npm test

typecheck: $(NODE_MODULES)
	npx tsc --noEmit -p tsconfig.json

clean:
	rm -rf dist
