#!/usr/bin/env bash
# `make demo`: a live blogstats receiver fed by `blogstats push` from a simulated
# WriteFreely database, with 30 days of history backfilled first.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/demo.sh [--help]          (or: make demo)

Builds blogstats (release), creates a fresh WriteFreely-shaped database
demo-data/writefreely.db (two blogs, drafts, tricky titles), starts

  blogstats serve --listen 127.0.0.1:$PORT --data demo-data/blogstats.db

backfills $BACKFILL_DAYS days of history through the collector with past capture
times (one simulated traffic step and one push every 2 hours of history), then,
every $EVERY seconds, simulates some traffic on the blog and pushes with

  blogstats push --writefreely demo-data/writefreely.db --to http://127.0.0.1:$PORT/stats

printing one line per push. Open the dashboard URL it prints. Ctrl-C stops
the receiver and the demo. (The old `sqlite3 ... | curl ...` line works
against the same receiver; the end-to-end tests run it.)

Environment:
  PORT        listen port (default 8080); the demo stops if it is taken
  EVERY       seconds between pushes (default 5)
  POSTS       posts in the sample blog (default 150)
  BACKFILL_DAYS  days of history pushed before the live loop (default 30; 0 skips)
  KEEP_STORE  1 keeps demo-data/blogstats.db from the previous run
              (default: the store starts empty, like the blog database)
  SCRATCH     swift build scratch path (default .build)
EOF
}

case "${1:-}" in
"") ;;
-h | --help) usage; exit 0 ;;
*) echo "demo.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

port="${PORT:-8080}"
every="${EVERY:-5}"
posts="${POSTS:-150}"
scratch="${SCRATCH:-.build}"

die() { echo "demo.sh: $*" >&2; exit 1; }

if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  die "PORT must be a port number, got: $port"
fi
[[ "$every" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "EVERY must be a number of seconds, got: $every"
[[ "$posts" =~ ^[0-9]+$ ]] || die "POSTS must be a whole number, got: $posts"

# Something already answering on the port would also answer our /healthz.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_taken_message() {
  echo "port $port on 127.0.0.1 is already in use; stop what listens there or pick another: PORT=8081 make demo"
}
if port_in_use "$port"; then die "$(port_taken_message)"; fi

scripts/deps.sh
command -v swift >/dev/null || die "swift not found on PATH (a Swift 6 toolchain is needed)"

data="demo-data"
wf="$data/writefreely.db"
store="$data/blogstats.db"
mkdir -p "$data"

echo "building blogstats (swift build -c release; log in $data/build.log) ..."
if ! swift build -c release --static-swift-stdlib --scratch-path "$scratch" >"$data/build.log" 2>&1; then
  tail -n 40 "$data/build.log" >&2
  die "swift build failed (full log: $data/build.log)"
fi
bin="$scratch/release/blogstats"
[ -x "$bin" ] || die "build succeeded but $bin is missing"

rm -f "$wf" "$wf-journal"
scripts/writefreely-sample.sh "$wf" "$posts"
if [ "${KEEP_STORE:-0}" != 1 ]; then
  rm -f "$store" "$store-wal" "$store-shm" "$store-journal"
fi

server_pid=""
cleanup() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    echo "receiver stopped (its log: $data/serve.log)"
  fi
  wait "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo; exit 130' INT
trap 'exit 143' TERM

# The port may have been taken while we were building.
if port_in_use "$port"; then die "$(port_taken_message)"; fi
"$bin" serve --listen "127.0.0.1:$port" --data "$store" >"$data/serve.log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:$port"
ready=0
for _ in $(seq 100); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    tail -n 20 "$data/serve.log" >&2
    die "blogstats serve exited during start-up (log: $data/serve.log)"
  fi
  if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$base/healthz" || true)" = 200 ]; then
    ready=1
    break
  fi
  sleep 0.2
done
[ "$ready" -eq 1 ] || die "no 200 from $base/healthz after 20 s (log: $data/serve.log)"

spool="$data/spool"
rm -rf "$spool"
# The collector, as cron would run it every minute on the blog server.
push() { "$bin" push --writefreely "$wf" --to "$base/stats" --spool "$spool" "$@"; }

# Thirty days of history first, through the same push path with past capture times, so the
# graphs are not empty on first look: one simulated traffic step and one push per 2 hours.
days="${BACKFILL_DAYS:-30}"
if [ "$days" -gt 0 ]; then
  echo "backfilling $days days of history through blogstats push ..."
  steps=$((days * 12))
  for ((i = steps; i > 0; i--)); do
    scripts/simulate-traffic.sh "$wf" >/dev/null
    at="$(date -u -d "@$(($(date +%s) - i * 7200))" +%Y-%m-%dT%H:%M:%SZ)"
    push --captured-at "$at" || die "backfill push at $at failed (log: $data/serve.log)"
    if ((i % 60 == 0)); then echo "  ... $((steps - i)) of $steps snapshots"; fi
  done
fi

cat <<END

  blogstats is running (pid $server_pid, store $store, log $data/serve.log)

    dashboard:  $base/
    healthz:    $base/healthz
    top posts:  $bin top --data $store --blog travel --range 7d

  Simulating traffic on $wf and pushing a snapshot every $every s with
  blogstats push (one per blog). Ctrl-C to stop.

END

while true; do
  traffic="$(scripts/simulate-traffic.sh --verbose "$wf")" || traffic="(traffic step failed)"
  now="$(date +%H:%M:%S)"
  if push; then
    echo "$now  pushed | $traffic"
  else
    echo "$now  push FAILED (exit $?; the snapshot waits in $spool)"
    if ! kill -0 "$server_pid" 2>/dev/null; then
      tail -n 20 "$data/serve.log" >&2
      die "blogstats serve has stopped (log: $data/serve.log)"
    fi
  fi
  sleep "$every"
done
