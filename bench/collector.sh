#!/usr/bin/env bash
# Benchmark of `blogstats push`: how long reading a WriteFreely database holds
# its lock, how fast a 100,000-post snapshot gets from the database into a
# running receiver, how much memory the collector uses, and how many bytes it
# sends.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/collector.sh [--help]

1. builds blogstats as `make build` does (swift build -c release
   --static-swift-stdlib --scratch-path $SCRATCH)
2. creates WriteFreely-shaped databases of 10,000 and 100,000 posts with a few
   KB of content each (scripts/writefreely-sample.sh: about 40 and 400 MB, in
   rollback-journal mode, as WriteFreely leaves them)
3. lock: runs `blogstats push --dry-run --verbose` RUNS times per size and
   takes the median of "lock held X ms" (the longest read transaction), of
   all read transactions together, and of a read in one transaction
   (--rows-per-read 0)
4. end to end: starts `blogstats serve` on a free loopback port, pushes the
   100,000-post database once (all posts new), then RUNS times, each after
   ~1 % of the view counts changed (outside the timing) and with a new
   capture time: median wall time of the whole `blogstats push` process, and
   its peak RSS (/usr/bin/time, else VmHWM polled)
5. memory: one more push with /proc/PID/status polled, to split the peak
   into shared-library pages and the collector's own (anonymous) memory,
   next to the same push of a 10-post database
6. bytes: request bodies of one push, gzip (as sent) and plain CSV, next to
   what the old `sqlite3 ... | curl` line sends, and that line's time
7. prints a table with the targets:
     read + push of 100,000 posts < 300 ms, peak RSS < 30 MB,
     lock held < 50 ms at 100,000 posts

Exits 0 when targets are missed (they are marked MISSED); non-zero only when
the benchmark cannot run (build failure, a receiver or collector error).

Environment:
  RUNS        measured runs per figure (default 5)
  SCRATCH     swift build scratch path (default .build)
  BENCH_KEEP  1 keeps the temporary folder (databases, logs)
  TMPDIR      where the temporary folder goes (needs ~500 MB)
EOF
}

case "${1:-}" in
"") ;;
-h | --help) usage; exit 0 ;;
*) echo "collector.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build}"
runs="${RUNS:-5}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "collector.sh: RUNS must be a positive number, got: $runs" >&2; exit 2; }

die() { echo "collector.sh: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

for tool in sqlite3 curl awk; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh installs what is needed)"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/blogstats-bench-collector.XXXXXX")"
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say "building blogstats (release, scratch path $scratch; log in $work/build.log) ..."
swift build -c release --static-swift-stdlib --scratch-path "$scratch" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "swift build failed"; }
bin="$scratch/release/blogstats"
[ -x "$bin" ] || die "$bin is missing after the build"

load_start="$(cut -d ' ' -f 1 /proc/loadavg)"
say "creating WriteFreely databases of 10,000 and 100,000 posts ..."
scripts/writefreely-sample.sh --force "$work/wf10k.db" 10000 >/dev/null
scripts/writefreely-sample.sh --force "$work/wf100k.db" 100000 >/dev/null
scripts/writefreely-sample.sh --force "$work/wf10.db" 10 >/dev/null
db_mb="$(awk -v b="$(stat -c %s "$work/wf100k.db")" 'BEGIN { printf "%.0f", b / 1048576 }')"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# "read 100000 posts in 239.3 ms (lock held 4.9 ms; 51 transactions, 175.1 ms in all) from ..."
field() { sed -nE "$1" "$2" | head -n 1; }

# --- 3. lock held while reading -------------------------------------------
lock_figures() { # DB EXTRA-ARGS... → prints "longest total read" medians
  local db="$1"; shift
  local longest="$work/longest" total="$work/total" read="$work/read"
  : >"$longest"; : >"$total"; : >"$read"
  "$bin" push --writefreely "$db" --dry-run "$@" >/dev/null 2>&1 # warm the page cache
  for _ in $(seq "$runs"); do
    "$bin" push --writefreely "$db" --dry-run --verbose "$@" 2>"$work/lock.log" >/dev/null || die "push --dry-run failed: $(cat "$work/lock.log")"
    field 's/.*\(lock held ([0-9.]+) ms.*/\1/p' "$work/lock.log" >>"$longest"
    t="$(field 's/.* ([0-9.]+) ms in all.*/\1/p' "$work/lock.log")"
    echo "${t:-$(field 's/.*\(lock held ([0-9.]+) ms.*/\1/p' "$work/lock.log")}" >>"$total"
    field 's/^read [0-9]+ posts in ([0-9.]+) ms.*/\1/p' "$work/lock.log" >>"$read"
  done
  echo "$(median <"$longest") $(median <"$total") $(median <"$read")"
}
say "measuring the read lock ($runs runs per size) ..."
read -r lock10k_longest lock10k_total read10k <<<"$(lock_figures "$work/wf10k.db")"
read -r lock100k_longest lock100k_total read100k <<<"$(lock_figures "$work/wf100k.db")"
read -r lock100k_single _ read100k_single <<<"$(lock_figures "$work/wf100k.db" --rows-per-read 0)"
"$bin" push --writefreely "$work/wf100k.db" --dry-run --verbose 2>"$work/lock.log" >/dev/null
transactions="$(field 's/.*; ([0-9]+) transactions.*/\1/p' "$work/lock.log")"

# --- 4. end to end ----------------------------------------------------------
say "starting blogstats serve ..."
"$bin" serve --listen 127.0.0.1:0 --data "$work/store.db" 2>"$work/serve.log" &
serve_pid=$!
port=""
for _ in $(seq 200); do
  port="$(sed -nE 's/.* listening on http:\/\/127\.0\.0\.1:([0-9]+)\/.*/\1/p' "$work/serve.log" | head -n 1)"
  [ -n "$port" ] && break
  kill -0 "$serve_pid" 2>/dev/null || die "blogstats serve exited: $(cat "$work/serve.log")"
  sleep 0.05
done
[ -n "$port" ] || die "blogstats serve did not start: $(cat "$work/serve.log")"
url="http://127.0.0.1:$port/stats"

base=$(($(date +%s) - 7200))
stamp() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
push100k() { # CAPTURE-TIME EXTRA-ARGS...
  local at="$1"; shift
  "$bin" push --writefreely "$work/wf100k.db" --to "$url" --spool "$work/spool" --captured-at "$(stamp "$at")" "$@"
}
say "first push of 100,000 posts (all new to the receiver; not timed) ..."
push100k "$base" --verbose 2>"$work/first.log" || die "push failed: $(cat "$work/first.log")"

say "timing $runs pushes of 100,000 posts ..."
: >"$work/e2e"; : >"$work/rss"
have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -f "%M" true 2>/dev/null; then have_time=1; fi
for i in $(seq "$runs"); do
  # About 1 % of the posts gained views since the last minute.
  sqlite3 "$work/wf100k.db" "UPDATE posts SET view_count = view_count + 1 + abs(random() % 5) WHERE abs(random() % 100) = 0;"
  start_ns=$(date +%s%N)
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -f "%M" -o "$work/time.out" "$bin" push --writefreely "$work/wf100k.db" --to "$url" \
      --spool "$work/spool" --captured-at "$(stamp $((base + 60 * i)))" 2>"$work/push.log" || die "push failed: $(cat "$work/push.log")"
    end_ns=$(date +%s%N)
    tail -n 1 "$work/time.out" >>"$work/rss"
  else
    push100k $((base + 60 * i)) 2>"$work/push.log" &
    pid=$!
    hwm=0
    while kill -0 "$pid" 2>/dev/null; do
      h="$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
      [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm="$h"
      sleep 0.002
    done
    wait "$pid" || die "push failed: $(cat "$work/push.log")"
    end_ns=$(date +%s%N)
    echo "$hwm" >>"$work/rss"
  fi
  echo $(((end_ns - start_ns) / 1000)) | awk '{ printf "%.1f\n", $1 / 1000 }' >>"$work/e2e"
done
e2e="$(median <"$work/e2e")"
rss_kb="$(sort -n "$work/rss" | tail -n 1)"

# --- 5. memory split --------------------------------------------------------
memory_run() { # DB CAPTURE-TIME → "hwm anon file" (KB) at the highest VmRSS seen
  "$bin" push --writefreely "$1" --to "$url" --spool "$work/spool" --captured-at "$(stamp "$2")" 2>"$work/mem.log" &
  local pid=$! best=0 anon=0 file=0 hwm=0
  while kill -0 "$pid" 2>/dev/null; do
    if read -r r a f h < <(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^VmHWM:/ { h = $2 } END { print r + 0, a + 0, f + 0, h + 0 }' "/proc/$pid/status" 2>/dev/null); then
      if [ "$r" -gt "$best" ]; then best=$r; anon=$a; file=$f; fi
      [ "$h" -gt "$hwm" ] && hwm=$h
    fi
    sleep 0.001
  done
  wait "$pid" || die "push failed: $(cat "$work/mem.log")"
  echo "$hwm $anon $file"
}
say "splitting the collector's memory ..."
read -r mem100k_hwm mem100k_anon mem100k_file <<<"$(memory_run "$work/wf100k.db" $((base + 60 * (runs + 1))))"
read -r mem10_hwm mem10_anon mem10_file <<<"$(memory_run "$work/wf10.db" $((base + 60 * (runs + 2))))"

# --- 6. bytes on the wire ---------------------------------------------------
say "counting bytes, and timing the old sqlite3 | curl line ..."
push100k $((base + 60 * (runs + 3))) --verbose 2>"$work/bytes.log" || die "push failed: $(cat "$work/bytes.log")"
gzip_bytes="$(sed -nE 's/^sent .* ([0-9]+) bytes gzip of ([0-9]+) bytes CSV.*/\1/p' "$work/bytes.log" | awk '{ s += $1 } END { print s + 0 }')"
csv_bytes="$(sed -nE 's/^sent .* ([0-9]+) bytes gzip of ([0-9]+) bytes CSV.*/\2/p' "$work/bytes.log" | awk '{ s += $1 } END { print s + 0 }')"
requests="$(grep -c '^sent ' "$work/bytes.log" || true)"
old_query="select id, slug, view_count, title from posts order by view_count desc;"
old_bytes="$(sqlite3 "$work/wf100k.db" ".mode csv" ".header on" "$old_query" | wc -c)"
: >"$work/old"
for _ in $(seq 3); do
  start_ns=$(date +%s%N)
  sqlite3 "$work/wf100k.db" ".mode csv" ".header on" "$old_query" |
    curl -fsS -o /dev/null -X POST -H "Content-Type: text/csv" -m 60 --data-binary @- "$url?blog=old-pipeline" ||
    die "the old pipeline failed"
  end_ns=$(date +%s%N)
  echo $(((end_ns - start_ns) / 1000)) | awk '{ printf "%.1f\n", $1 / 1000 }' >>"$work/old"
done
old_ms="$(median <"$work/old")"

# --- 7. table ---------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 < t + 0) ? "ok" : "MISSED" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
bytes() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.2f MB", b / 1048576; else printf "%.0f KB", b / 1024 }'; }
row() { printf "%-54s %-14s %-10s %s\n" "$@"; }

echo
echo "blogstats push — $(nproc) cores, $(uname -m), load average $load_start at start, $(cut -d ' ' -f 1 /proc/loadavg) at end; 100,000 posts = ${db_mb} MB database; medians of $runs runs"
row "measure" "value" "target" ""
row "read + push of 100,000 posts, end to end" "$e2e ms" "< 300 ms" "$(verdict "$e2e" 300)"
row "  (old sqlite3 | curl line, same database, median of 3)" "$old_ms ms" "" ""
row "collector peak RSS, pushing 100,000 posts" "$(mb "$rss_kb")" "< 30 MB" "$(verdict "$rss_kb" 30720)"
row "  at the peak: shared libraries (file-backed)" "$(mb "$mem100k_file")" "" ""
row "  at the peak: the collector's own (anonymous)" "$(mb "$mem100k_anon")" "" ""
row "  the same push of a 10-post blog: peak / own" "$(mb "$mem10_hwm") / $(mb "$mem10_anon")" "" ""
row "lock held, 10,000 posts (longest read transaction)" "$lock10k_longest ms" "< 50 ms" "$(verdict "$lock10k_longest" 50)"
row "lock held, 100,000 posts (longest read transaction)" "$lock100k_longest ms" "< 50 ms" "$(verdict "$lock100k_longest" 50)"
row "  100,000 posts: all ${transactions:-?} read transactions together" "$lock100k_total ms" "" ""
row "  100,000 posts in one transaction (--rows-per-read 0)" "$lock100k_single ms" "(< 50 ms)" "$(verdict "$lock100k_single" 50)"
row "  whole read (incl. compression), pieces / one" "$read100k / $read100k_single ms" "" ""
row "  10,000 posts: all read transactions together / read" "$lock10k_total / $read10k ms" "" ""
row "bytes on the wire, 100,000 posts, gzip ($requests requests)" "$(bytes "$gzip_bytes")" "" ""
row "bytes on the wire, 100,000 posts, without gzip" "$(bytes "$csv_bytes")" "" ""
row "  (old sqlite3 | curl line: CSV, CRLF, no gzip)" "$(bytes "$old_bytes")" "" ""
echo "(bodies only; each request adds ~300 bytes of headers)"
