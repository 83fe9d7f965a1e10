#!/usr/bin/env bash
# `make fuzz`: libFuzzer + AddressSanitizer over the snapshot reader, gzip inflation and
# timestamp parsing (BlogStatsCore). Runs for SECONDS_TO_RUN (default 60); a crash leaves its input
# in fuzz/crashes/ and exits non-zero.
set -euo pipefail
case "${1:-}" in
-h | --help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="${SCRATCH:-.build}/fuzz"
mkdir -p "$work/corpus" fuzz/crashes
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name BlogStatsCore \
  -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap \
  Sources/BlogStatsCore/*.swift fuzz/SnapshotFuzzer.swift -lz -o "$work/fuzzer"
printf 'id,slug,view_count,title\r\n1,a,3,"x, ""y""\nz"\r\n' >"$work/corpus/seed-csv"
printf 'id\tslug\tview_count\ttitle\n1\ta\t3\tC:\\\\x\\ny\n' >"$work/corpus/seed-tsv"
"$work/fuzzer" -max_total_time="${SECONDS_TO_RUN:-60}" -max_len=4096 -artifact_prefix=fuzz/crashes/ "$work/corpus"
