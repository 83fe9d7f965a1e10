#!/usr/bin/env bash
# `make bench` (metrics part): GET /metrics for a blog of 100,000 posts. Builds blogstats
# (release), starts `blogstats serve` on a free loopback port with a temporary store, pushes a
# 100,000-row snapshot twice (every count changed the second time, titles with commas, quotes
# and non-ASCII), then asks /metrics RUNS times in each format (Prometheus text, OpenMetrics)
# and prints the median and p90 time measured by curl (request to last byte), the body size,
# the receiver's CPU time per scrape (user + system, unaffected by other load on the machine),
# and the receiver's RSS before and after the scrapes and its peak RSS. Target: median under 200 ms.
set -euo pipefail
case "${1:-}" in
-h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; echo "Environment: POSTS (100000), RUNS (15), SCRATCH (.build)"; exit 0 ;;
"") ;;
*) echo "metrics.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build}"
posts="${POSTS:-100000}"
runs="${RUNS:-15}"
echo "bench: building blogstats (swift build -c release) ..."
swift build -c release --static-swift-stdlib --scratch-path "$scratch" >/dev/null
blogstats="$scratch/release/blogstats"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

snapshot() {
  awk -v n="$posts" -v bump="$1" 'BEGIN {
    printf "id,slug,view_count,title\r\n"
    for (i = 1; i <= n; i++)
      printf "p%09d,post-number-%d-about-things,%d,\"Post %d, about \"\"things\"\" — café\"\r\n", i, i, (i * 7) % 100000 + bump, i
  }'
}
snapshot 0 >"$work/first.csv"
snapshot 1 >"$work/second.csv"

port=$((20000 + RANDOM % 20000))
"$blogstats" serve --listen "127.0.0.1:$port" --data "$work/store.db" 2>"$work/serve.log" &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || {
  echo "metrics.sh: blogstats serve did not answer within 30 s:" >&2
  cat "$work/serve.log" >&2
  exit 1
}
now=$(date +%s)
for push in first:120 second:60; do
  file="${push%%:*}"
  captured="$(date -u -d "@$((now - ${push##*:}))" +%Y-%m-%dT%H:%M:%SZ)"
  curl -sS -f -m 120 -X POST -H "Content-Type: text/csv" -H "X-Blogstats-Captured-At: $captured" \
    --data-binary "@$work/$file.csv" "http://127.0.0.1:$port/stats" >/dev/null || {
    echo "metrics.sh: pushing the $file snapshot failed" >&2
    exit 1
  }
done

rss_before="$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")"

# The receiver's CPU time so far (user + system), in clock ticks: load on the machine does not change it.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ticks_per_second="$(getconf CLK_TCK)"

percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int(NR*p+0.999); if (i<1) i=1; print a[i]}'; }

echo "/metrics for $posts posts ($runs runs each, time from request to last byte, measured by curl):"
for accept in "text/plain" "application/openmetrics-text; version=1.0.0"; do
  : >"$work/times"
  size=0
  cpu_before="$(cpu_ticks)"
  for _ in $(seq "$runs"); do
    read -r seconds size < <(curl -s -o /dev/null -H "Accept: $accept" -w '%{time_total} %{size_download}\n' \
      "http://127.0.0.1:$port/metrics")
    echo "$seconds" >>"$work/times"
  done
  cpu_ms="$(awk -v a="$cpu_before" -v b="$(cpu_ticks)" -v t="$ticks_per_second" -v n="$runs" \
    'BEGIN {print (b - a) * 1000 / t / n}')"
  median="$(percentile 0.5 <"$work/times")"
  p90="$(percentile 0.9 <"$work/times")"
  verdict=ok
  awk -v m="$median" 'BEGIN {exit !(m < 0.2)}' || verdict=MISSED
  printf '  %-12s median %6.1f ms   p90 %6.1f ms   target < 200 ms %-6s  receiver CPU %5.1f ms a scrape   body %5.1f MB\n' \
    "$([ "$accept" = text/plain ] && echo text || echo OpenMetrics)" \
    "$(awk -v s="$median" 'BEGIN {print s * 1000}')" "$(awk -v s="$p90" 'BEGIN {print s * 1000}')" "$verdict" "$cpu_ms" \
    "$(awk -v b="$size" 'BEGIN {print b / 1048576}')"
done
rss="$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")"
hwm="$(awk '/^VmHWM/ {print $2}' "/proc/$server/status")"
# After a restart the first scrape also loads the blog's newest state from the store (which the
# next push would do anyway).
kill "$server" && wait "$server" 2>/dev/null || true
"$blogstats" serve --listen "127.0.0.1:$port" --data "$work/store.db" 2>>"$work/serve.log" &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
first="$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/metrics")"
printf '  first scrape after a restart (loads the blog from the store): %.1f ms\n' \
  "$(awk -v s="$first" 'BEGIN {print s * 1000}')"
printf '  serve RSS: %.1f MB before the scrapes, %.1f MB after; peak %.1f MB (the 100,000-row pushes included)\n' \
  "$(awk -v k="$rss_before" 'BEGIN {print k / 1024}')" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" \
  "$(awk -v k="$hwm" 'BEGIN {print k / 1024}')"
