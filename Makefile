# abacc — see README.md. `make demo` builds abacc and runs it on the shipped examples;
# `make test` runs every test.
GO       ?= go
BIN      := bin/abacc
FUZZTIME ?= 30s
SHARED   ?= ../shared

.PHONY: all build test demo fuzz bench bench-peers bench-rbac prop sizes lint clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/abacc

test: build
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	$(GO) test -count=1 -race -run 'Cache|Concurrent' . ./cache ./rbac
	@if [ -x $(SHARED)/tools/contract-check ]; then $(SHARED)/tools/contract-check $(BIN); \
	else echo "contract-check: $(SHARED)/tools not present, skipped"; fi

demo: build
	@echo '$$ abacc check examples/tag-read.cond'
	@$(BIN) check examples/tag-read.cond && echo ok
	@echo; echo '$$ abacc eval -c examples/tag-read.cond -r examples/read-cascade.json'
	@$(BIN) eval -c examples/tag-read.cond -r examples/read-cascade.json
	@echo; echo '$$ abacc eval -c examples/tag-read.cond -r examples/read-baker.json -explain'
	@$(BIN) eval -c examples/tag-read.cond -r examples/read-baker.json -explain
	@echo; echo '$$ abacc eval -c examples/role-assignments.json -name delegate-readers -r examples/assign-reader.json'
	@$(BIN) eval -c examples/role-assignments.json -name delegate-readers -r examples/assign-reader.json
	@echo; echo '$$ abacc check examples/messy.cond   # warnings, exit 0'
	@$(BIN) check examples/messy.cond
	@echo; echo '$$ abacc fmt examples/messy.cond'
	@$(BIN) fmt examples/messy.cond
	@echo; echo '$$ abacc check examples/footguns.cond   # lint warnings, exit 0'
	@$(BIN) check examples/footguns.cond
	@echo; echo '$$ abacc check testdata/errors/unknown-operator.cond   # an invalid condition, exit 1'
	@$(BIN) check testdata/errors/unknown-operator.cond || true
	@echo; echo '$$ abacc disasm examples/tag-read.cond'
	@$(BIN) disasm examples/tag-read.cond
	@echo; echo '$$ abacc compile -o bin/examples.abacc examples/tag-read.cond examples/role-assignments.json'
	@$(BIN) compile -o bin/examples.abacc examples/tag-read.cond examples/role-assignments.json
	@echo; echo '$$ abacc eval -b bin/examples.abacc -name delegate-readers -r examples/assign-reader.json'
	@$(BIN) eval -b bin/examples.abacc -name delegate-readers -r examples/assign-reader.json
	@echo; echo '$$ abacc test examples/tag-read.test.yaml'
	@$(BIN) test examples/tag-read.test.yaml
	@echo; echo '$$ abacc test examples/private-link.failing.test.yaml   # a failing table test, exit 1'
	@$(BIN) test examples/private-link.failing.test.yaml || true
	@echo; echo '$$ abacc authorize --assignments examples/disk/assignments.json --principal examples/disk/alice.json --request examples/disk/download.json'
	@$(BIN) authorize --assignments examples/disk/assignments.json --principal examples/disk/alice.json --request examples/disk/download.json
	@for who in reader owner contributor; do \
	  echo; echo "\$$ abacc authorize --assignments examples/disk/assignments.json --principal examples/disk/$$who.json --request examples/disk/download.json"; \
	  $(BIN) authorize --assignments examples/disk/assignments.json --principal examples/disk/$$who.json --request examples/disk/download.json; done
	@echo; echo '$$ abacc authorize ... --principal examples/disk/owner.json --request examples/disk/download.json --explain'
	@$(BIN) authorize --assignments examples/disk/assignments.json --principal examples/disk/owner.json --request examples/disk/download.json --explain
	@echo; echo '$$ abacc authorize ... --principal examples/disk/owner.json --request examples/disk/sas.json   # control plane'
	@$(BIN) authorize --assignments examples/disk/assignments.json --principal examples/disk/owner.json --request examples/disk/sas.json
	@echo; echo '$$ abacc authorize who --assignments examples/disk/assignments.json --data-action Microsoft.Compute/disks/download/action --resource DISK'
	@$(BIN) authorize who --assignments examples/disk/assignments.json --data-action Microsoft.Compute/disks/download/action \
	  --resource /subscriptions/6f1c2e0a-3b7d-4e55-9a1f-0c2d4e6f8a10/resourceGroups/Imaging-RG/providers/Microsoft.Compute/disks/scan-archive-01
	@echo; echo '$$ abacc authorize check --assignments examples/disk/assignments.json'
	@$(BIN) authorize check --assignments examples/disk/assignments.json && echo ok
	@echo; echo '$$ abacc check examples/iac   # conditions in Terraform, an ARM template and Bicep: an error, warnings, notes; exit 1'
	@$(BIN) check examples/iac || true
	@echo; echo '$$ abacc check -format=github examples/iac   # the same as GitHub workflow annotations'
	@$(BIN) check -format=github examples/iac || true

# Each fuzz target for FUZZTIME (make fuzz FUZZTIME=10m).
fuzz:
	./fuzz/run.sh $(FUZZTIME)

# Property tests at a million generated cases (CI runs them at 10,000), and the RBAC engine
# against its reference at 500,000 (CI: 5,000).
prop:
	$(GO) test -count=1 -timeout 6h -run 'TestProperty' . -abacc.cases=1000000
	$(GO) test -count=1 -timeout 6h -run 'TestRBACProperty' ./rbac -rbac.cases=500000

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# abacc against expr, cel-go, OPA, cedar-go and hand-written Go in one run (a module of its
# own). Pinned to one CPU when taskset is there, so that every engine runs on the same core: on a
# shared virtual machine the two vCPUs were measured 1.7x apart in speed.
PIN := $(if $(shell command -v taskset 2>/dev/null),taskset -c 0,)
bench-peers:
	cd bench/peers && $(GO) build -o ../../bin/peercompare ./cmd/peercompare && $(PIN) ../../bin/peercompare

# Whole RBAC decisions on generated tenants (rbac/bench_test.go): Decide, the naive Reference,
# Load, and Decide at 1k/10k/100k assignments; ten runs into bench/rbac.txt, then benchstat
# (fetched through the Go module proxy), or medians by bench/medians.awk when it cannot be had.
bench-rbac:
	$(GO) test -run '^$$' -bench 'Decide|Reference|Load' -benchmem -count 10 ./rbac | tee bench/rbac.txt
	@if grep -Eq '^(FAIL|panic:|--- FAIL)' bench/rbac.txt; then echo "bench-rbac: benchmarks failed"; exit 1; fi
	@$(GO) run golang.org/x/perf/cmd/benchstat@latest bench/rbac.txt 2>/dev/null || \
		{ echo "benchstat not available: medians over the runs"; awk -f bench/medians.awk bench/rbac.txt; }

# Regenerates bench/SIZES.md (instruction counts and bytecode sizes of the corpus).
sizes:
	ABACC_SIZES_OUT=bench/SIZES.md $(GO) test -count=1 -run TestSizes ./bench

lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@latest ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin

# How the cost of each input dimension grows (bench/scale_test.go): every dimension measured at
# n, 10n and 100n (CPU time, interleaved medians); fails when 10× the input costs more than 20×.
# Writes the table to bench/SCALING.md.
.PHONY: scaling
scaling:
	ABACC_SCALING=1 ABACC_SCALING_OUT=bench/SCALING.md $(GO) test -count=1 -timeout 60m -run '^TestScaling$$' -v ./bench
