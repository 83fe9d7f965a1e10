# Developer entry points. SCRATCH is SwiftPM's scratch path for demo, bench
# and build (default .build), e.g. `make bench SCRATCH=.build-bench`.
SCRATCH ?= .build

.PHONY: deps build demo test bench clean

deps:
	scripts/deps.sh

build: deps
	# The Swift runtime linked in: one binary to copy to the stats host, and less memory.
	swift build -c release --static-swift-stdlib --scratch-path $(SCRATCH)

demo:
	SCRATCH=$(SCRATCH) scripts/demo.sh

test: deps
	swift test

bench:
	SCRATCH=$(SCRATCH) bench/ingest.sh

clean:
	rm -rf $(SCRATCH) demo-data
