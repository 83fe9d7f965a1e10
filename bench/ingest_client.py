#!/usr/bin/env python3
"""Client side of bench/ingest.sh (Python 3 standard library only).

  prepare   export the CSV payloads from sample WriteFreely databases with the
            real `sqlite3 DB ".mode csv" ".header on" "select ..."` command,
            changing ~2 % of view counts between consecutive payloads
  blogstats push them to `blogstats serve`, timing each request, and check
            that an unchanged snapshot writes no sample rows
  peer      push the same payloads to the old Flask + InfluxDB receiver
  report    print the summary table with the targets

Results accumulate in one JSON file (--results) so the steps can run apart.
"""

import argparse
import csv
import datetime
import http.client
import json
import math
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

EXPORT_SQL = "select id, slug, view_count, title from posts order by view_count desc;"

# Targets from the brief, printed next to the figures.
TARGET_1K_MS = 5.0
TARGET_100K_MS = 120.0
TARGET_RATIO = 100.0
TARGET_IDLE_RSS_MB = 20.0
TARGET_PEAK_RSS_MB = 64.0


def parse_counts(text):
    """'1000=30,10000=15' -> {1000: 30, 10000: 15}"""
    counts = {}
    for part in text.split(","):
        size, _, count = part.partition("=")
        counts[int(size)] = int(count)
    return counts


def load(path):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    return {}


def save(path, results):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def payload_path(directory, size, index):
    return os.path.join(directory, f"{size}-{index:03d}.csv")


def sqlite(*args):
    return subprocess.run(["sqlite3", *args], check=True, capture_output=True).stdout


# ---------------------------------------------------------------- prepare


def prepare(opts):
    results = load(opts.results)
    prep = results.setdefault("prepare", {})
    os.makedirs(opts.payloads, exist_ok=True)
    for size, count in sorted(parse_counts(opts.pushes).items()):
        db = os.path.join(opts.db_dir, f"writefreely-{size}.db")
        export_times = []
        changed = []
        for index in range(count + 1):
            if index > 0:
                # ~2 % of the posts gain a few views, as between two cron runs.
                sqlite(
                    db,
                    ".timeout 5000",
                    "update posts set view_count = view_count + 1 + abs(random() % 5) "
                    f"where abs(random() % 10000) < {int(opts.change * 10000)};",
                )
            started = time.perf_counter()
            payload = sqlite(db, ".mode csv", ".header on", EXPORT_SQL)
            export_times.append(time.perf_counter() - started)
            with open(payload_path(opts.payloads, size, index), "wb") as f:
                f.write(payload)
            if index > 0:
                changed.append(count_changed(opts.payloads, size, index))
        first = payload_path(opts.payloads, size, 0)
        prep[str(size)] = {
            "payloads": count + 1,
            "bytes": os.path.getsize(first),
            "export_ms_median": statistics.median(export_times) * 1000,
            "changed_median": statistics.median(changed) if changed else 0,
        }
    save(opts.results, results)


def count_changed(directory, size, index):
    """How many ids have a different view_count than in the previous payload."""

    def counts(path):
        with open(path, encoding="utf-8", newline="") as f:
            return {row["id"]: row["view_count"] for row in csv.DictReader(f)}

    old = counts(payload_path(directory, size, index - 1))
    new = counts(payload_path(directory, size, index))
    return sum(1 for post, views in new.items() if old.get(post) != views)


# ---------------------------------------------------------------- pushing


class Pusher:
    """Times POSTs on one kept-alive connection; reconnects when the server
    closes it (and counts how often it did)."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.path = parts.path + ("?" + parts.query if parts.query else "")
        self.conn = None
        self.requests = 0
        self.closed_by_server = 0

    def post(self, body, captured_at=None, query=""):
        headers = {"Content-Type": "text/csv"}
        if captured_at is not None:
            headers["X-Blogstats-Captured-At"] = captured_at
        path = self.path + (("&" if "?" in self.path else "?") + query if query else "")
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        started = time.perf_counter()
        self.conn.request("POST", path, body=body, headers=headers)
        response = self.conn.getresponse()
        answer = response.read()
        elapsed = time.perf_counter() - started
        self.requests += 1
        if response.will_close:
            self.closed_by_server += 1
            self.conn.close()
            self.conn = None
        return response.status, answer, elapsed

    def connection_kind(self):
        if self.closed_by_server == 0:
            return "kept-alive connection"
        if self.closed_by_server == self.requests:
            return "new connection per request (server closes)"
        return f"kept-alive, server closed {self.closed_by_server} of {self.requests}"

    def close(self):
        if self.conn is not None:
            self.conn.close()


def rfc3339(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def rss_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def summary(times):
    ordered = sorted(times)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": p90 * 1000,
        "min_ms": ordered[0] * 1000,
        "max_ms": ordered[-1] * 1000,
        "count": len(ordered),
    }


def sample_rows(store):
    out = subprocess.run(
        ["sqlite3", "-readonly", store, "select count(*) from samples;"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return None, out.stderr.strip()
    return int(out.stdout.strip()), None


def read(path):
    with open(path, "rb") as f:
        return f.read()


def check(status, answer, what):
    if status != 200:
        text = answer.decode("utf-8", "replace")[:300]
        sys.exit(f"ingest_client: {what}: HTTP {status}: {text}")
    return json.loads(answer)


def bench_blogstats(opts):
    results = load(opts.results)
    out = results.setdefault("blogstats", {})
    out["idle_rss_kb"] = rss_kb(opts.pid, "VmRSS")
    pusher = Pusher(opts.url)
    # Capture times start hours in the past and advance 60 s per push, so
    # they are never in the future however long the run takes.
    clock = (int(time.time()) - opts.hours_back * 3600) // 60 * 60
    sizes = out.setdefault("sizes", {})
    for size, count in sorted(parse_counts(opts.pushes).items()):
        blog = f"bench{size}"
        query = "blog=" + blog if opts.blog_param else ""
        status, answer, first = pusher.post(
            read(payload_path(opts.payloads, size, 0)), rfc3339(clock), query
        )
        first_answer = check(status, answer, f"{size} rows, first push")
        times = []
        answers = []
        for index in range(1, count + 1):
            clock += 60
            status, answer, elapsed = pusher.post(
                read(payload_path(opts.payloads, size, index)), rfc3339(clock), query
            )
            answers.append(check(status, answer, f"{size} rows, push {index}"))
            times.append(elapsed)
        entry = summary(times)
        entry.update(
            {
                "first_ms": first * 1000,
                "first_answer": first_answer,
                "last_answer": answers[-1],
                "changed_median": statistics.median(a.get("changed", 0) for a in answers),
                "peak_rss_kb": rss_kb(opts.pid, "VmHWM"),
                "rss_kb": rss_kb(opts.pid, "VmRSS"),
            }
        )
        # An unchanged snapshot at a new capture time must write no sample rows.
        before, error = sample_rows(opts.store)
        clock += 60
        status, answer, elapsed = pusher.post(
            read(payload_path(opts.payloads, size, count)), rfc3339(clock), query
        )
        unchanged_answer = check(status, answer, f"{size} rows, unchanged push")
        after, error_after = sample_rows(opts.store)
        entry["unchanged"] = {
            "answer": unchanged_answer,
            "ms": elapsed * 1000,
            "samples_before": before,
            "samples_after": after,
            "error": error or error_after,
            "pass": before is not None and before == after,
        }
        clock += 60
        sizes[str(size)] = entry
        print(
            f"  blogstats {size:>7,} rows: first {first * 1000:8.1f} ms, "
            f"median {entry['median_ms']:8.1f} ms over {count} pushes",
            file=sys.stderr,
        )
    out["connection"] = pusher.connection_kind()
    pusher.close()
    save(opts.results, results)


def bench_peer(opts):
    results = load(opts.results)
    out = results.setdefault("peer", {})
    pusher = Pusher(opts.url)
    sizes = out.setdefault("sizes", {})
    for size, count in sorted(parse_counts(opts.pushes).items()):
        times = []
        for index in range(count):
            status, answer, elapsed = pusher.post(read(payload_path(opts.payloads, size, index)))
            if status != 200:
                sys.exit(f"ingest_client: old receiver answered {status}: {answer[:200]!r}")
            times.append(elapsed)
        sizes[str(size)] = summary(times)
        print(
            f"  old receiver {size:>7,} rows: median "
            f"{sizes[str(size)]['median_ms']:9.1f} ms over {count} pushes",
            file=sys.stderr,
        )
    out["connection"] = pusher.connection_kind()
    pusher.close()
    save(opts.results, results)


# ---------------------------------------------------------------- report


def mb(kb):
    return "n/a" if kb is None else f"{kb / 1024:.1f} MB"


def verdict(ok):
    return "ok" if ok else "MISSED"


def report(opts):
    results = load(opts.results)
    prep = results.get("prepare", {})
    ours = results.get("blogstats", {})
    peer = results.get("peer", {})
    ours_sizes = ours.get("sizes", {})
    peer_sizes = peer.get("sizes", {})
    sizes = sorted({int(s) for s in list(ours_sizes) + list(peer_sizes)})
    missed = []
    lines = []

    lines.append("")
    lines.append("== ingest benchmark: POST /stats with the sqlite3 CSV of a WriteFreely database ==")
    lines.append(
        "time = request to 200, measured in the client (Python http.client) around the whole "
        "request incl. sending the body, on 127.0.0.1; "
        "pushes after the first change ~2 % of view counts"
    )
    if ours:
        lines.append(f"blogstats: {ours.get('connection', '?')}")
    if peer:
        lines.append(f"old receiver (Flask + InfluxDB): {peer.get('connection', '?')}")
    lines.append("")
    for size in sizes:
        p = prep.get(str(size), {})
        lines.append(
            f"payload {size:>6} rows  {p.get('bytes', 0) / 1e6:6.2f} MB CSV   "
            f"sqlite3 export {p.get('export_ms_median', 0):7.1f} ms   "
            f"~{p.get('changed_median', 0):.0f} counts changed per push"
        )
    lines.append("")
    for size in sizes:
        o = ours_sizes.get(str(size))
        q = peer_sizes.get(str(size))
        parts = [f"ingest {size:>6} rows"]
        if o:
            rate = size / (o["median_ms"] / 1000)
            parts.append(
                f"median {o['median_ms']:6.1f} ms  p90 {o['p90_ms']:6.1f} ms  "
                f"{rate:>10,.0f} rows/s"
            )
        else:
            parts.append("blogstats not measured")
        if q:
            parts.append(f"old {q['median_ms']:>7,.0f} ms")
            if o:
                parts.append(f"ratio {q['median_ms'] / o['median_ms']:4.0f}x")
        target = []
        if o and size == 1000:
            ok = o["median_ms"] < TARGET_1K_MS
            target.append(f"target < {TARGET_1K_MS:g} ms: {verdict(ok)}")
            if not ok:
                missed.append(f"1k median {o['median_ms']:.1f} ms >= {TARGET_1K_MS:g} ms")
        if o and size == 100000:
            ok = o["median_ms"] < TARGET_100K_MS
            target.append(f"target < {TARGET_100K_MS:g} ms: {verdict(ok)}")
            if not ok:
                missed.append(f"100k median {o['median_ms']:.1f} ms >= {TARGET_100K_MS:g} ms")
            if q:
                ratio = q["median_ms"] / o["median_ms"]
                ok = ratio >= TARGET_RATIO
                target.append(f">= {TARGET_RATIO:g}x: {verdict(ok)}")
                if not ok:
                    missed.append(f"100k ratio {ratio:.0f}x < {TARGET_RATIO:g}x")
        if target:
            parts.append("[" + "; ".join(target) + "]")
        lines.append("   ".join(parts))

    if ours_sizes:
        lines.append("")
        for size in sizes:
            o = ours_sizes.get(str(size))
            q = peer_sizes.get(str(size))
            if o:
                lines.append(
                    f"first push {size:>6} rows (all posts new) {o['first_ms']:7.1f} ms;  "
                    f"pushes after it: n={o['count']}, min {o['min_ms']:.1f} ms, "
                    f"max {o['max_ms']:.1f} ms" + (f";  old receiver n={q['count']}" if q else "")
                )
    if peer.get("rss"):
        lines.append("")
        lines.append(f"memory  old receiver, RSS after its run: {peer['rss']}")

    if ours:
        lines.append("")
        idle = ours.get("idle_rss_kb")
        ok = idle is not None and idle / 1024 < TARGET_IDLE_RSS_MB
        if not ok:
            missed.append(f"idle RSS {mb(idle)} >= {TARGET_IDLE_RSS_MB:g} MB")
        lines.append(
            f"memory  idle RSS after start {mb(idle)}  "
            f"[target < {TARGET_IDLE_RSS_MB:g} MB: {verdict(ok)}]"
        )
        for size in sizes:
            o = ours_sizes.get(str(size))
            if not o:
                continue
            text = f"memory  peak RSS (VmHWM) after {size:>6} rows {mb(o['peak_rss_kb'])}"
            if size == 100000:
                peak = o["peak_rss_kb"]
                ok = peak is not None and peak / 1024 < TARGET_PEAK_RSS_MB
                if not ok:
                    missed.append(f"peak RSS {mb(peak)} >= {TARGET_PEAK_RSS_MB:g} MB")
                text += f"  [target < {TARGET_PEAK_RSS_MB:g} MB: {verdict(ok)}]"
            lines.append(text)

        lines.append("")
        for size in sizes:
            o = ours_sizes.get(str(size))
            if not o:
                continue
            u = o["unchanged"]
            if u["samples_before"] is None:
                lines.append(
                    f"unchanged snapshot ({size} rows) writes no sample rows: "
                    f"CANNOT CHECK ({u['error']})"
                )
                missed.append("no-change check could not run")
                continue
            result = "PASS" if u["pass"] else "FAIL"
            if not u["pass"]:
                missed.append(f"unchanged {size}-row snapshot wrote sample rows")
            lines.append(
                f"unchanged snapshot ({size} rows) writes no sample rows: {result}  "
                f"(samples {u['samples_before']} -> {u['samples_after']}; "
                f"answer changed={json.dumps(u['answer'].get('changed'))} "
                f"duplicate={json.dumps(u['answer'].get('duplicate'))}; {u['ms']:.1f} ms)"
            )
        lines.append("")
        for size in sizes:
            o = ours_sizes.get(str(size))
            if o:
                lines.append(f"answer, first push  {size:>6} rows: {json.dumps(o['first_answer'])}")
                lines.append(f"answer, last push   {size:>6} rows: {json.dumps(o['last_answer'])}")

    notes = results.get("notes", [])
    if notes:
        lines.append("")
        lines.extend(notes)
    lines.append("")
    if missed:
        lines.append("MISSED: " + "; ".join(missed))
    elif ours:
        lines.append("all targets met")
    print("\n".join(lines))


def note(opts):
    results = load(opts.results)
    if opts.key:
        results.setdefault("peer", {})[opts.key] = opts.text
    else:
        results.setdefault("notes", []).append(opts.text)
    save(opts.results, results)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("prepare", help="export the CSV payloads")
    p.add_argument("--db-dir", required=True, help="folder holding writefreely-SIZE.db")
    p.add_argument("--payloads", required=True)
    p.add_argument("--pushes", required=True, help="SIZE=COUNT,... payloads after the first")
    p.add_argument("--change", type=float, default=0.02, help="share of counts changed per push")
    p.add_argument("--results", required=True)
    p.set_defaults(run=prepare)

    p = sub.add_parser("blogstats", help="time pushes to blogstats serve")
    p.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8080/stats")
    p.add_argument("--pid", required=True, type=int, help="the receiver's process id (for RSS)")
    p.add_argument("--store", required=True, help="the receiver's SQLite store (read-only)")
    p.add_argument("--payloads", required=True)
    p.add_argument("--pushes", required=True, help="SIZE=COUNT,...")
    p.add_argument("--hours-back", type=int, default=6, help="first capture time, hours ago")
    p.add_argument("--no-blog-param", dest="blog_param", action="store_false",
                   help="push every size to the default blog (no ?blog=benchSIZE)")
    p.add_argument("--results", required=True)
    p.set_defaults(run=bench_blogstats)

    p = sub.add_parser("peer", help="time pushes to the old receiver")
    p.add_argument("--url", required=True)
    p.add_argument("--payloads", required=True)
    p.add_argument("--pushes", required=True, help="SIZE=COUNT,...")
    p.add_argument("--results", required=True)
    p.set_defaults(run=bench_peer)

    p = sub.add_parser("note", help="add a line to the report")
    p.add_argument("--results", required=True)
    p.add_argument("--key", help="store under peer.KEY instead of the notes")
    p.add_argument("text")
    p.set_defaults(run=note)

    p = sub.add_parser("report", help="print the summary")
    p.add_argument("--results", required=True)
    p.set_defaults(run=report)

    opts = parser.parse_args()
    try:
        opts.run(opts)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
