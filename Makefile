# Developer entry points. SCRATCH is SwiftPM's scratch path for demo, bench
# and build (default .build), e.g. `make bench SCRATCH=.build-bench`.
SCRATCH ?= .build

.PHONY: deps build demo test bench fuzz clean

deps:
	scripts/deps.sh

# The Swift runtime is linked in: one binary to copy to the stats host, and less memory.
build: deps
	swift build -c release --static-swift-stdlib --scratch-path $(SCRATCH)

demo:
	SCRATCH=$(SCRATCH) scripts/demo.sh

# The dashboard's browser tests need Chromium, the import tests InfluxDB; building and the demo do not.
test:
	scripts/deps.sh chromium prometheus influxdb
	swift test

bench:
	SCRATCH=$(SCRATCH) bench/ingest.sh
	SCRATCH=$(SCRATCH) bench/collector.sh
	SCRATCH=$(SCRATCH) bench/query.sh
	SCRATCH=$(SCRATCH) bench/metrics.sh
	SCRATCH=$(SCRATCH) bench/mirror.sh
	SCRATCH=$(SCRATCH) bench/import.sh

fuzz:
	SCRATCH=$(SCRATCH) scripts/fuzz.sh

clean:
	rm -rf $(SCRATCH) demo-data
