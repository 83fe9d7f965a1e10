#!/usr/bin/env bash
# `make bench`: how fast `blogstats serve` ingests the old cron job's CSV
# snapshots, how much memory it uses, and (optionally) how it compares with
# the old Flask + InfluxDB receiver on the same payloads.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/ingest.sh [--no-peer | --peer-only] [--help]      (or: make bench)

1. builds blogstats (swift build -c release)
2. creates sample WriteFreely databases of 1,000, 10,000 and 100,000 posts
   (scripts/writefreely-sample.sh) and exports their CSV with the real
   sqlite3 ".mode csv" ".header on" command; between consecutive payloads
   ~2 % of the view counts change
3. starts blogstats serve on a free loopback port with a temporary store and,
   per size, pushes the first snapshot (all posts new; timed apart), then
   30 snapshots (15 for 100,000 posts), each with an increasing
   X-Blogstats-Captured-At (hours in the past, +60 s per push) and with
   ?blog=bench<SIZE> so that every size has its own blog; reports median and
   p90 request-to-200 time measured in the client, rows/s, idle RSS after
   start and peak RSS (VmHWM) after each size
4. pushes an unchanged snapshot at a new capture time and checks, with the
   sqlite3 CLI on the store (read-only), that `samples` did not grow
5. if ../shared/peers/flask-influx-receiver/start exists (relative to the
   repository root), starts the old receiver, pushes the same payloads
   (10 / 5 / 3 pushes) and reports the ratio old/new; stops it afterwards
6. prints a table with the targets: 100k < 120 ms and >= 100x faster than
   the old receiver; 1k < 5 ms; RSS idle < 20 MB, < 64 MB ingesting 100k

Exits 0 when targets are missed (it prints MISSED); non-zero only when the
benchmark itself cannot run (build failure, receiver error or crash).

  --no-peer     skip the old receiver
  --peer-only   measure only the old receiver (no Swift build needed)

Environment:
  SIZES       post counts (default "1000 10000 100000")
  SCRATCH     swift build scratch path (default .build)
  BENCH_KEEP  1 keeps the temporary folder (databases, payloads, logs)
  TMPDIR      where the temporary folder goes (needs ~600 MB for 100,000)
EOF
}

run_ours=1
run_peer=1
for arg in "$@"; do
  case "$arg" in
  -h | --help) usage; exit 0 ;;
  --no-peer) run_peer=0 ;;
  --peer-only) run_ours=0 ;;
  *) echo "ingest.sh: unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sizes="${SIZES:-1000 10000 100000}"
scratch="${SCRATCH:-.build}"
peer_start="../shared/peers/flask-influx-receiver/start"
peer_url="http://127.0.0.1:28180/stats"
client="bench/ingest_client.py"

die() { echo "ingest.sh: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

for size in $sizes; do
  if ! [[ "$size" =~ ^[0-9]+$ ]] || [ "$size" -eq 0 ]; then
    die "SIZES must be whole numbers, got: $size"
  fi
done

scripts/deps.sh
command -v python3 >/dev/null || die "python3 not found (the benchmark client needs it)"

# Pushes per size (after the first): ours, and the old receiver's.
ours_pushes=""
peer_pushes=""
prepare_pushes=""
for size in $sizes; do
  if [ "$size" -ge 100000 ]; then
    n=15 m=3
  elif [ "$size" -ge 10000 ]; then
    n=30 m=5
  else
    n=30 m=10
  fi
  ours_pushes+="${ours_pushes:+,}$size=$n"
  peer_pushes+="${peer_pushes:+,}$size=$m"
  prepare_pushes+="${prepare_pushes:+,}$size=$((n > m ? n : m))"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/blogstats-bench.XXXXXX")"
results="$work/results.json"
server_pid=""
peer_started=0

stop_server() {
  [ -n "$server_pid" ] || return 0
  if kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
stop_peer() {
  [ "$peer_started" -eq 1 ] || return 0
  local pids pid
  pids="$(cat "$work/peer"/*.pid 2>/dev/null || true)"
  PEER_DIR="$work/peer" "$peer_start" stop >/dev/null 2>&1 || true
  # influxd flushes its cache after SIGTERM: wait for it (up to 30 s), so that the
  # benchmark after this one starts on a quiet machine.
  for _ in $(seq 300); do
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && break; pid=""; done
    [ -z "${pid:-}" ] && break
    sleep 0.1
  done
  peer_started=0
}
cleanup() {
  stop_server
  stop_peer
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ------------------------------------------------------------------ build
if [ "$run_ours" -eq 1 ]; then
  command -v swift >/dev/null || die "swift not found on PATH"
  say "building blogstats (swift build -c release --scratch-path $scratch) ..."
  if ! swift build -c release --static-swift-stdlib --scratch-path "$scratch" >"$work/build.log" 2>&1; then
    tail -n 40 "$work/build.log" >&2
    die "swift build failed"
  fi
  bin="$scratch/release/blogstats"
  [ -x "$bin" ] || die "build succeeded but $bin is missing"
fi

# ------------------------------------------------------------------ payloads
for size in $sizes; do
  say "creating a WriteFreely database with $size posts ..."
  scripts/writefreely-sample.sh "$work/writefreely-$size.db" "$size"
done
say "exporting CSV payloads with sqlite3 (~2 % of counts changed between them) ..."
python3 "$client" prepare --db-dir "$work" --payloads "$work/payloads" \
  --pushes "$prepare_pushes" --results "$results"

# ------------------------------------------------------------------ blogstats
if [ "$run_ours" -eq 1 ]; then
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  store="$work/store.db"
  "$bin" serve --listen "127.0.0.1:$port" --data "$store" >"$work/serve.log" 2>&1 &
  server_pid=$!
  ready=0
  for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    if [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" = 200 ]; then
      ready=1
      break
    fi
    sleep 0.2
  done
  if [ "$ready" -ne 1 ]; then
    tail -n 20 "$work/serve.log" >&2
    die "blogstats serve did not answer 200 on /healthz"
  fi
  sleep 1 # let start-up settle before reading the idle RSS
  say "pushing to blogstats serve on 127.0.0.1:$port (pid $server_pid) ..."
  if ! python3 "$client" blogstats --url "http://127.0.0.1:$port/stats" --pid "$server_pid" \
    --store "$store" --payloads "$work/payloads" --pushes "$ours_pushes" --results "$results"; then
    kill -0 "$server_pid" 2>/dev/null || say "blogstats serve has exited; its log:"
    tail -n 20 "$work/serve.log" >&2
    die "the blogstats part failed"
  fi
  kill -0 "$server_pid" 2>/dev/null || die "blogstats serve exited during the benchmark"
  stop_server
fi

# ------------------------------------------------------------------ old receiver
peer_tools_present() {
  command -v influxd >/dev/null && command -v gunicorn >/dev/null &&
    python3 -c 'import flask, influxdb' 2>/dev/null
}
peer_note() { python3 "$client" note --results "$results" "$1"; }

if [ "$run_peer" -eq 0 ]; then
  :
elif [ ! -x "$peer_start" ]; then
  peer_note "old receiver: skipped ($peer_start not found; it is optional)"
elif port_in_use 28180; then
  peer_note "old receiver: already running on 127.0.0.1:28180, measured as found"
  say "pushing to the old receiver (already running) ..."
  python3 "$client" peer --url "$peer_url" --payloads "$work/payloads" \
    --pushes "$peer_pushes" --results "$results" || peer_note "old receiver: push failed"
elif [ "$(id -u)" -ne 0 ] && ! peer_tools_present; then
  peer_note "old receiver: skipped (its first start installs influxdb and flask, which needs root)"
else
  say "starting the old receiver (Flask + InfluxDB; the first start installs them) ..."
  peer_started=1
  if PEER_DIR="$work/peer" "$peer_start" >"$work/peer-start.log" 2>&1 && port_in_use 28180; then
    say "pushing to the old receiver (about 12 s per 100,000-row push) ..."
    if python3 "$client" peer --url "$peer_url" --payloads "$work/payloads" \
      --pushes "$peer_pushes" --results "$results"; then
      rss=""
      for name in receiver influxd; do
        pid="$(cat "$work/peer/$name.pid" 2>/dev/null || true)"
        [ -n "$pid" ] || continue
        kb="$(ps -o rss= --pid "$pid" --ppid "$pid" 2>/dev/null | awk '{s += $1} END {print s + 0}')"
        label="$name"
        [ "$name" != receiver ] || label="gunicorn (master + workers)"
        rss+="${rss:+, }$label $((kb / 1024)) MB"
      done
      [ -z "$rss" ] || python3 "$client" note --results "$results" --key rss "$rss"
    else
      peer_note "old receiver: push failed (log: $work/peer/receiver.log)"
    fi
    stop_peer
  else
    tail -n 10 "$work/peer-start.log" >&2 || true
    stop_peer
    peer_note "old receiver: could not be started (see above)"
  fi
fi

python3 "$client" report --results "$results"
