#!/usr/bin/env bash
# `make bench` (query part): a year of one-minute snapshots of a 1,000-post blog with Zipf-like
# popularity (2.3 % of posts change a minute), written straight into a store, then the
# questions the API asks, timed (medians of 15). Then top posts on a 100,000-post blog.
set -euo pipefail
case "${1:-}" in
-h | --help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build}"
echo "bench: building blogstats-query-bench (swift build -c release) ..."
swift build -c release --product blogstats-query-bench --scratch-path "$scratch" >/dev/null
bin="$scratch/release/blogstats-query-bench"
"$bin" 1000 "${DAYS:-365}" 0.023
"$bin" 100000 35 0.001
