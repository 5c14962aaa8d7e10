#!/usr/bin/env bash
# CI smoke test of the benchmark: `npm run bench -- --quick` runs, writes its
# JSON with figures, no scenario errors, and nothing it started is left
# running. Timings are never judged here (the machine is shared and noisy).
# Extra arguments go to the benchmark (e.g. --compare pm2).
set -euo pipefail
cd "$(dirname "$0")/.."
marker=$(mktemp)
# The benchmark's temporary homes (PM2's among them) go in a folder of this
# run's own, so the leftover check below cannot mistake another run's PM2
# daemons (on a shared machine) for ours.
scratch=$(mktemp -d /tmp/tend-smoke-XXXXXX)
trap 'rm -f "$marker"; rm -rf "$scratch"' EXIT
status=0
TMPDIR="$scratch" npm run bench --silent -- --quick "$@" || status=$?
node -e '
  const fs = require("fs"), path = require("path")
  const dir = "bench/results", since = fs.statSync(process.argv[1]).mtimeMs
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).mtimeMs >= since) : []
  if (files.length !== 1) { console.error(`bench smoke: expected one new results file in ${dir}, found ${files.length}`); process.exit(1) }
  const result = JSON.parse(fs.readFileSync(files[0], "utf8"))
  const bad = result.figures.filter((f) => ![f.median, f.min, f.max].every(Number.isFinite))
  if (result.errors.length > 0) { console.error(`bench smoke: scenarios failed: ${result.errors.map((e) => e.scenario).join(", ")}`); process.exit(1) }
  if (result.figures.length === 0 || bad.length > 0) { console.error(`bench smoke: ${result.figures.length} figures, ${bad.length} without a number`); process.exit(1) }
  console.log(`bench smoke: ${files[0]}: ${result.figures.length} figures from ${Object.keys(result.scenarioSeconds).length} scenarios in ${result.seconds} s`)
' "$marker"
[ "$status" -eq 0 ] || { echo "bench smoke: npm run bench exited with $status" >&2; exit "$status"; }
# nothing the benchmark started may outlive it: its fixture apps, tend hosts and daemons, PM2 daemons in their temporary homes
sleep 1
left=$(pgrep -f -a -- "$PWD/bench/fixtures/|$PWD/bench/pm2/|$PWD/dist/daemon-main.js|$scratch/" || true)
if [ -n "$left" ]; then
  echo "bench smoke: processes left running:" >&2
  echo "$left" >&2
  exit 1
fi
