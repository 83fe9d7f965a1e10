#!/usr/bin/env bash
# `make bench` (InfluxDB mirror part): a local influxd on free loopback ports with its own
# data dirs; a 100,000-post blog pushed with curl as the old cron job does. Measures
#   1. ingest latency of 100,000-row snapshots (~2 % of counts changed each) with the mirror
#      off, on with InfluxDB down (outbox only) and on while it drains live (medians);
#   2. drain throughput of a backlog (snapshots ingested while influxd was down, mode all)
#      once influxd is back, in points/s, per batch size and with/without gzip.
#   3. influxd's own ceiling: the same points POSTed by curl, 1, 2 and 4 requests at a time.
# Targets: drain >= 500,000 points/s; ingest latency with the mirror on = off within noise.
set -euo pipefail
case "${1:-}" in
-h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scratch="${SCRATCH:-.build}"
posts="${POSTS:-100000}"
pushes="${PUSHES:-7}"
backlog="${BACKLOG:-8}"
variants="${VARIANTS:-20000 5000 50000 20000x1 20000x4 20000+gzip}" # LINES[xREQUESTS][+gzip]
command -v influxd >/dev/null || { echo "mirror.sh: influxd not found (scripts/deps.sh influxdb)" >&2; exit 1; }
if [ -n "${BLOGSTATS:-}" ]; then
  blogstats="$BLOGSTATS" # a binary built elsewhere (to compare two versions)
else
  echo "bench: building blogstats (swift build -c release) ..."
  swift build -c release --static-swift-stdlib --scratch-path "$scratch" >/dev/null
  blogstats="$scratch/release/blogstats"
fi
work="$(mktemp -d)"
server=""
influx=""
off_server=""
cleanup() {
  [ -n "$off_server" ] && kill "$off_server" 2>/dev/null && wait "$off_server" 2>/dev/null
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$influx" ] && kill "$influx" 2>/dev/null && wait "$influx" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
influx_port="$(free_port)"
rpc_port="$(free_port)"
influx_url="http://127.0.0.1:$influx_port"
cat >"$work/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$work/influx/meta"
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$influx_port"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
influx_start() {
  influxd -config "$work/influxdb.conf" >>"$work/influxd.log" 2>&1 &
  influx=$!
  for _ in $(seq 300); do curl -sf "$influx_url/ping" >/dev/null && return; sleep 0.1; done
  echo "mirror.sh: influxd did not start" >&2; cat "$work/influxd.log" >&2; exit 1
}
influx_stop() { kill "$influx"; wait "$influx" 2>/dev/null || true; influx=""; }
influx_query() { curl -sf -XPOST "$influx_url/query" --data-urlencode "q=$1" >/dev/null; }

echo "bench: generating $((pushes * 2 + backlog + 1)) snapshots of $posts posts ..."
python3 - "$work" "$posts" $((pushes * 2 + backlog + 1)) <<'PY'
import random, sys
work, posts, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
views = [rng.randint(0, 5000) for _ in range(posts)]
titles = [f'Post {i}: "quotes", commas, spaces = and \\ backslash' for i in range(posts)]
for n in range(count):
    if n:
        for i in rng.sample(range(posts), posts // 50):
            views[i] += rng.randint(1, 30)
    with open(f"{work}/snap{n}.csv", "w", newline="") as f:
        f.write("id,slug,view_count,title\r\n")
        for i in range(posts):
            title = titles[i].replace('"', '""')
            f.write(f'id{i:07d},post-{i},{views[i]},"{title}"\r\n')
PY

serve() { # serve STORE [flags…]
  local store="$1"
  shift
  port="$(free_port)"
  "$blogstats" serve --listen "127.0.0.1:$port" --data "$store" --max-body 64M "$@" 2>"$work/serve.log" &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "mirror.sh: blogstats serve did not start" >&2; cat "$work/serve.log" >&2; exit 1
}
stop_serve() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }
base_time=$(( $(date +%s) / 60 * 60 - 86400 ))
# push N CAPTURE_MINUTE: prints the request time in ms
push() {
  local time=$((base_time + $2 * 60))
  curl -sf -o /dev/null -w '%{time_total}\n' -H 'Content-Type: text/csv' \
    -H "X-Blogstats-Captured-At: $(date -u -d "@$time" +%Y-%m-%dT%H:%M:%SZ)" \
    --data-binary "@$work/snap$1.csv" "http://127.0.0.1:$port/stats" | awk '{printf "%.1f\n", $1 * 1000}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { curl -sf "http://127.0.0.1:$port/healthz" | grep -o "\"$1\":[0-9]*" | cut -d: -f2; }
pending() { field pending_snapshots; }
rss() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$server/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU time in clock ticks

# 1. Ingest latency: mirror off and on with InfluxDB down, pushed in turns to two receivers
#    (so a slow moment of the machine hits both alike); then on while draining live.
influx_start
influx_query "CREATE DATABASE blog"
influx_stop
mirror=(--influx-url "$influx_url" --influx-db blog)
serve "$work/off.db"
off_server=$server off_port=$port
serve "$work/on.db" "${mirror[@]}"
on_server=$server on_port=$port
off_first=$(port=$off_port push 0 0)
down_first=$(port=$on_port push 0 0)
for n in $(seq 1 "$pushes"); do
  sleep 0.5 # each receiver settles (WAL checkpoint, freed memory) before the next push
  port=$off_port push "$n" "$n" >>"$work/off.ms"
  sleep 0.5
  port=$on_port push "$n" "$n" >>"$work/down.ms"
done
off=$(median <"$work/off.ms")
down=$(median <"$work/down.ms")
server=$off_server
off_rss=$(rss)
stop_serve
off_server=""
server=$on_server port=$on_port
influx_start
live=$(for n in $(seq $((pushes + 1)) $((pushes * 2))); do
  push "$n" "$n"
  sleep 0.3 # the sender is busy writing the previous snapshot while the next one arrives
done | median)
on_rss=$(rss)
stop_serve
echo
printf '%-44s %10s\n' "ingest, $posts-row snapshot (median of $pushes)" "ms"
printf '%-44s %10s\n' "mirror off" "$off"
printf '%-44s %10s\n' "mirror on, InfluxDB down (outbox only)" "$down"
printf '%-44s %10s\n' "mirror on, draining live (2 cores shared)" "$live"
printf '%-44s %10s\n' "first snapshot (all posts new), mirror off" "$off_first"
printf '%-44s %10s\n' "first snapshot (all posts new), mirror on" "$down_first"
printf '%-44s %7s MB / %s MB\n' "peak RSS of serve, mirror off / on" "$off_rss" "$on_rss"

# 2. Drain throughput of a backlog.
echo
printf '%-28s %10s %10s %12s %10s %16s\n' "drain ($backlog x $posts points)" "timed" "seconds" "points/s" "arrived" \
  "CPU s serve/influxd"
# The series exist already (part 1 wrote them): this measures writing points, not InfluxDB
# creating 100,000 series. The clock starts at the first delivery, so the sender's backoff
# sleep while influxd was down does not count: "timed" is the points written after that
# first answer (the first requests' points are not in it), "arrived" all the backlog's
# points InfluxDB holds afterwards (it must be every one).
offset=100
arrived() { # arrived FIRST_TIME: the points InfluxDB holds for the backlog starting then
  curl -sf "$influx_url/query?db=blog" --data-urlencode \
    "q=SELECT count(\"value\") FROM \"blog_stats\" WHERE time >= ${1}s AND time < $(($1 + backlog * 60))s" |
    grep -o '"values":\[\[[^,]*,[0-9]*' | grep -o '[0-9]*$'
}
for variant in $variants; do
  batch="${variant%%[+x]*}"
  extra=(--influx-batch "$batch")
  [[ "$variant" =~ x([0-9]+) ]] && extra+=(--influx-requests "${BASH_REMATCH[1]}")
  [[ "$variant" == *gzip* ]] && extra+=(--influx-gzip)
  influx_stop
  rm -f "$work"/backlog.db*
  serve "$work/backlog.db" "${mirror[@]}" "${extra[@]}"
  for n in $(seq 0 $((backlog - 1))); do push "$n" $((offset + n)) >/dev/null; done
  offset=$((offset + 100))
  [ "$(pending)" -eq "$backlog" ] || { echo "mirror.sh: expected $backlog pending snapshots" >&2; exit 1; }
  influx_start
  while [ "$(field points_written)" -eq 0 ]; do sleep 0.005; done
  start=$(date +%s.%N)
  first=$(field points_written)
  cpu_serve=$(cpu "$server")
  cpu_influx=$(cpu "$influx")
  while [ "$(pending)" -ne 0 ]; do sleep 0.01; done
  end=$(date +%s.%N)
  points=$(( $(field points_written) - first ))
  hz=$(getconf CLK_TCK)
  cpu_used=$(python3 -c "print(f'{($(cpu "$server") - $cpu_serve) / $hz:.2f}/{($(cpu "$influx") - $cpu_influx) / $hz:.2f}')")
  stop_serve
  arrived=$(arrived $((base_time + (offset - 100) * 60)))
  python3 -c "s=$end-$start; print(f'{\"batch $variant\":<28} {$points:>10} {s:>10.2f} {$points/s:>12,.0f} {$arrived:>10} {\"$cpu_used\":>16}')"
done
# influxd's own ceiling here: the same kind of points (100,000 existing series, one new
# time each) POSTed by curl in 20,000-line requests, no blogstats involved: one request
# after another, then N at a time (CURL_PARALLEL), each run at new times and, like each
# drain above, just after influxd (re)started.
ceiling=$((base_time + (offset + 100) * 60))
for parallel in ${CURL_PARALLEL:-1 2 4}; do
  rm -f "$work"/lp*.txt
  python3 - "$work" "$posts" "$backlog" "$ceiling" <<'PY'
import sys
work, posts, count, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for n in range(count):
    for part in range(0, posts, 20000):
        with open(f"{work}/lp{n}-{part // 20000:03d}.txt", "w") as f:
            for i in range(part, min(posts, part + 20000)):
                title = f'Post {i}: "quotes", commas, spaces = and \\ backslash'
                title = title.replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ")
                f.write(f"blog_stats,id=id{i:07d},slug=post-{i},title={title} value={i + n}i {start + n * 60}\n")
PY
  ceiling=$((ceiling + 100 * 60))
  # Restarted like before each drain above (it then replays its WAL and compacts): a fair match.
  influx_stop
  influx_start
  start=$(date +%s.%N)
  printf '%s\n' "$work"/lp*.txt | xargs -P "$parallel" -I{} \
    curl -sf -o /dev/null -XPOST "$influx_url/write?db=blog&precision=s" --data-binary @{}
  end=$(date +%s.%N)
  python3 -c "s=$end-$start; print(f'{\"curl, $parallel at a time (ceiling)\":<28} {$backlog * $posts:>10} {s:>10.2f} {$backlog * $posts/s:>12,.0f}')"
done
echo "targets: drain >= 500,000 points/s; ingest with the mirror on = off within noise"
