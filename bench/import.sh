#!/usr/bin/env bash
# `make bench` (import part): a local influxd filled in the old receiver's schema (POSTS posts
# × SNAPSHOTS one-minute snapshots, written through /write in big batches), then
# `blogstats import influx` into a fresh store: points/s and peak RSS; a second run (resumes,
# nothing to do) and a re-read of everything (every snapshot a duplicate); history imported
# behind a newer live snapshot (the store's late-snapshot path); `import csv` of the export.
set -euo pipefail
case "${1:-}" in
-h | --help)
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  echo "Environment: POSTS (1000), SNAPSHOTS (3000), LATE (200 snapshots for the late path), SCRATCH (.build)"
  exit 0
  ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build}"
posts="${POSTS:-1000}"
snapshots="${SNAPSHOTS:-3000}"
late="${LATE:-200}"
command -v influxd >/dev/null || { echo "import.sh: influxd is not installed (apt-get install influxdb)" >&2; exit 1; }
echo "bench: building blogstats (swift build -c release) ..."
swift build -c release --static-swift-stdlib --scratch-path "$scratch" >/dev/null
blogstats="$scratch/release/blogstats"
work="$(mktemp -d)"
influx=""
cleanup() {
  [ -n "$influx" ] && kill "$influx" 2>/dev/null && wait "$influx" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

http=$((20000 + RANDOM % 20000))
rpc=$((http + 1))
cat >"$work/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$work/meta"
[data]
  dir = "$work/data"
  wal-dir = "$work/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$http"
  log-enabled = false
  max-body-size = 0
[monitor]
  store-enabled = false
CONF
influxd -config "$work/influxdb.conf" >"$work/influxd.log" 2>&1 &
influx=$!
for _ in $(seq 150); do curl -sf "127.0.0.1:$http/ping" >/dev/null && break; sleep 0.2; done
curl -sf -XPOST "127.0.0.1:$http/query" --data-urlencode "q=CREATE DATABASE blog" >/dev/null
url="http://127.0.0.1:$http"

# The old receiver's points: every row of a POST at one microsecond time of receipt; about
# 2 % of the posts gain views each minute.
points=$((posts * snapshots))
echo "bench: writing $posts posts × $snapshots snapshots = $points points to influxd ..."
start=$(date +%s.%N)
awk -v posts="$posts" -v snapshots="$snapshots" -v dir="$work" 'BEGIN {
  base = 1700000000; batch = 0; lines = 0; file = dir "/batch-0.lp"
  for (p = 0; p < posts; p++) views[p] = int(1000 / (p + 1)) * 10
  for (s = 0; s < snapshots; s++) {
    t = base + s * 60  # seconds; the nanoseconds are appended as text (mawk prints %d as a 32-bit int)
    for (p = 0; p < posts; p++) {
      if ((p * 7 + s) % 50 == 0) views[p] += 1 + p % 3
      printf "blog_stats,id=p%06d,slug=post-%d,title=Post\\ %d\\,\\ a\\ title value=%di %d123456000\n", p, p, p, views[p], t > file
      if (++lines == 200000) { close(file); lines = 0; file = dir "/batch-" (++batch) ".lp" }
    }
  }
}'
for file in "$work"/batch-*.lp; do
  code="$(curl -s -o "$work/write.out" -w '%{http_code}' -XPOST "$url/write?db=blog" --data-binary "@$file")"
  [ "$code" = 204 ] || { echo "import.sh: /write answered $code: $(cat "$work/write.out")" >&2; exit 1; }
  rm -f "$file"
done
written=$(date +%s.%N)
printf 'bench: written in %.1f s (%.0f points/s into influxd)\n' "$(echo "$written - $start" | bc)" \
  "$(echo "$points / ($written - $start)" | bc -l)"

# One timed run: wall seconds and peak RSS (MB) of the import process.
timed() {
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" 2>"$work/stderr" || {
    echo "import.sh: failed: $* $(cat "$work/stderr")" >&2
    exit 1
  }
  read -r seconds kb user system <"$work/time"
  peak=$(echo "$kb / 1024" | bc -l)
  cpu=$(echo "$user + $system" | bc -l)
}

echo "import influx ($points points, $snapshots snapshots of $posts posts):"
store="$work/store.db"
timed "$blogstats" import influx --url "$url" --db blog --data "$store"
grep -o 'done: .*' "$work/stderr" | sed 's/^/  /'
printf '  %-46s %8.1f s  %10.0f points/s  peak RSS %5.1f MB  (import CPU %.1f s; the rest is influxd)\n' \
  "first run (fresh store)" "$seconds" "$(echo "$points / $seconds" | bc -l)" "$peak" "$cpu"
timed "$blogstats" import influx --url "$url" --db blog --data "$store"
printf '  %-46s %8.2f s  peak RSS %5.1f MB\n' "second run (resumes: nothing left)" "$seconds" "$peak"
timed "$blogstats" import influx --url "$url" --db blog --data "$store" --from 2000-01-01T00:00:00Z
printf '  %-46s %8.1f s  %10.0f points/s  peak RSS %5.1f MB  (import CPU %.1f s)\n' \
  "re-read of everything (all duplicates)" "$seconds" "$(echo "$points / $seconds" | bc -l)" "$peak" "$cpu"
ls -l "$store" | awk '{printf "  store: %.1f MB\n", $5 / 1048576}'

# History older than what the store holds takes the store's late-snapshot path. Its cost,
# without InfluxDB in the way: the first LATE snapshots as CSV (from the export), stored into a
# fresh store, behind one newer live snapshot, and behind the last 2,000 snapshots.
at() { date -u -d "@$((1700000000 + $1 * 60))" +%Y-%m-%dT%H:%M:%SZ; }
"$blogstats" export --data "$store" --to "$(at "$late")" --output "$work/early.csv"
"$blogstats" export --data "$store" --from "$(at $((snapshots - 2000)))" --output "$work/later.csv"
live="$work/live.csv"
echo "time,id,slug,view_count,title" >"$live"
for p in $(seq 0 $((posts - 1))); do printf '1800000000,p%06d,post-%d,999999,Live\n' "$p" "$p" >>"$live"; done
"$blogstats" import csv "$live" --data "$work/behind-one.db" 2>/dev/null
"$blogstats" import csv "$work/later.csv" --data "$work/behind-many.db" 2>/dev/null
echo "late snapshots ($late snapshots of $posts posts, import csv):"
for target in fresh behind-one behind-many; do
  timed "$blogstats" import csv "$work/early.csv" --data "$work/$target.db"
  case "$target" in
  fresh) label="into a fresh store (in order)" ;;
  behind-one) label="behind 1 newer snapshot (late path)" ;;
  *) label="behind 2,000 newer snapshots (late path)" ;;
  esac
  printf '  %-46s %8.1f s  %8.1f ms a snapshot\n' "$label" "$seconds" "$(echo "$seconds * 1000 / $late" | bc -l)"
done

# import csv of the whole history, as `blogstats export` writes it.
"$blogstats" export --data "$store" --output "$work/history.csv"
rows=$(($(wc -l <"$work/history.csv") - 1))
echo "import csv ($rows rows, $(du -m "$work/history.csv" | cut -f1) MB):"
timed "$blogstats" import csv "$work/history.csv" --data "$work/from-csv.db"
printf '  %-46s %8.1f s  %10.0f rows/s  peak RSS %5.1f MB\n' "fresh store" "$seconds" \
  "$(echo "$rows / $seconds" | bc -l)" "$peak"
