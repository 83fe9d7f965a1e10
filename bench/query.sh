#!/usr/bin/env bash
# `make bench` (query and dashboard part): a year of one-minute snapshots of a 1,000-post blog
# with Zipf-like popularity (2.3 % of posts change a minute), written straight into a store,
# then the questions the API asks, timed (medians of 15); then the dashboard pages served from
# that store (server time from the access log, medians of 7; bytes with gzip); then the same
# for a 100,000-post blog (35 days, 0.1 % of posts change a minute).
set -euo pipefail
case "${1:-}" in
-h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build}"
echo "bench: building blogstats-query-bench and blogstats (swift build -c release) ..."
swift build -c release --static-swift-stdlib --scratch-path "$scratch" >/dev/null
bench="$scratch/release/blogstats-query-bench"
blogstats="$scratch/release/blogstats"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Median of the server times (ms) the access log gave the last N requests.
median_ms() {
  tail -n "$2" "$1" | sed -nE 's/.* ([0-9]+\.[0-9])ms.*/\1/p' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

pages() {
  local store="$1" label="$2"
  shift 2
  local port=$((20000 + RANDOM % 20000)) log="$work/serve.log"
  "$blogstats" serve --listen "127.0.0.1:$port" --data "$store" 2>"$log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for spec in "$@"; do
    local path="${spec%%|*}" target="${spec##*|}"
    local bytes=0
    for _ in 1 2 3 4 5 6 7; do
      bytes="$(curl -s --compressed -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port$path")"
    done
    local ms
    ms="$(median_ms "$log" 7)"
    local verdict=ok
    awk -v m="$ms" -v t="$target" 'BEGIN {exit !(m < t)}' || verdict=MISSED
    printf '  %-44s %8s ms   target < %3s ms  %-6s  %6.1f KB with gzip\n' "$label $path" "$ms" "$target" "$verdict" \
      "$(awk -v b="$bytes" 'BEGIN {print b / 1024}')"
  done
  kill "$server" && wait "$server" 2>/dev/null || true
  server=""
}

store="$work/year.db"
BENCH_KEEP_STORE=1 "$bench" 1000 "${DAYS:-365}" 0.023 "$store"
echo "dashboard (1,000 posts, one year; HTML+SVG weight target < 100 KB with gzip):"
pages "$store" "page" "/?from=30d|50" "/?from=1y|50" "/posts/default/p000000000?from=30d|20"
rm -f "$store"*

store="$work/large.db"
BENCH_KEEP_STORE=1 "$bench" 100000 35 0.001 "$store"
echo "dashboard (100,000 posts):"
pages "$store" "page" "/?from=30d|300"
