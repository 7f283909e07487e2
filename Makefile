# The HAMR toolkit's everyday commands. `make test` is what CI runs.
GO ?= go

.PHONY: test lint generate check-generated bench contract record

## contract: the main job: the contract suite on every site, from the recordings (no key, no network).
contract:
	$(GO) run ./cmd/hamr contract

## record: re-record every site from the local sandbox (features/cassettes). Commit the result.
record:
	$(GO) run ./cmd/hamr contract --mode record --sandbox

## test: lint, check that gen/ is fresh, then every test with the race detector.
test: lint check-generated
	$(GO) test -race ./...

## lint: gofmt and go vet.
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## generate: regenerate gen/ from openapi/hamr.yaml.
generate:
	$(GO) generate ./gen/...

## check-generated: regenerate into a scratch copy and fail, with the diff, when gen/ is stale.
check-generated:
	@scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	cp -R go.mod go.sum tools.go openapi gen "$$scratch"/ && \
	(cd "$$scratch" && $(GO) generate ./gen/...) && \
	if ! diff -ru gen "$$scratch/gen"; then \
		echo "gen/ is stale: run 'make generate' and commit the result"; exit 1; \
	fi; echo "gen/ is fresh"

## bench: the benchmarks, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
