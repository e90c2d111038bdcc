#!/usr/bin/env bash
# mailpolicyd beside a do-nothing policy server (the same event loop,
# answering action=DUNNO at once), at 1, 8 and 64 connections, in one go:
#
#   bench/policyd_load.sh [REQUESTS_PER_RUN [SECONDS_PER_RUN]]
#
# Builds with --config=opt; one JSON line per run, then a table. Both
# servers run on loopback ports the kernel picks and are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200000}
seconds=${2:-10}
bazel build --config=opt //servers/policyd:mailpolicyd //bench:policyd_load >/dev/null 2>&1 ||
  bazel build --config=opt //servers/policyd:mailpolicyd //bench:policyd_load
bin=$(bazel info --config=opt bazel-bin 2>/dev/null)
work=$(mktemp -d)
chmod 755 "$work"
cp examples/policies/hzxt.textproto examples/policies/hzxt-directory.textproto "$work/"
chmod 644 "$work"/*.textproto
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$bin/servers/policyd/mailpolicyd" --policy "$work/hzxt.textproto" --listen 127.0.0.1:0 \
  --channel smtp --log "$work/decisions.jsonl" &
pids+=($!)
"$bin/bench/policyd_load" --serve-dunno 127.0.0.1:0 >"$work/dunno.out" &
pids+=($!)
for _ in $(seq 100); do
  grep -q '"event":"start"' "$work/decisions.jsonl" 2>/dev/null && grep -q listening "$work/dunno.out" && break
  sleep 0.1
done
daemon=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("event") == "start": print(e["listen"][0])' "$work/decisions.jsonl")
dunno=$(sed -n 's/^listening on //p' "$work/dunno.out")
[ -n "$daemon" ] && [ -n "$dunno" ] || { echo "policyd_load.sh: servers did not start" >&2; exit 1; }

echo "# $(nproc) cores; $requests requests or ${seconds}s per run; mailpolicyd at $daemon, do-nothing at $dunno"
results=$work/results.jsonl
for c in 1 8 64; do
  for t in "$dunno" "$daemon"; do
    "$bin/bench/policyd_load" --target "$t" --connections "$c" --requests "$requests" \
      --seconds "$seconds" | tee -a "$results"
  done
done
python3 - "$results" "$daemon" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
daemon = sys.argv[2]
print("\n| connections | do-nothing req/s | mailpolicyd req/s | ratio | do-nothing p50/p99 µs | mailpolicyd p50/p99 µs |")
print("|---|---|---|---|---|---|")
for c in sorted({r["connections"] for r in rows}):
    d = [r for r in rows if r["connections"] == c and r["target"] != daemon][0]
    m = [r for r in rows if r["connections"] == c and r["target"] == daemon][0]
    print("| %d | %.0f | %.0f | %.0f%% | %.0f / %.0f | %.0f / %.0f |" % (
        c, d["requests_per_second"], m["requests_per_second"],
        100.0 * m["requests_per_second"] / d["requests_per_second"],
        d["p50_us"], d["p99_us"], m["p50_us"], m["p99_us"]))
PY
