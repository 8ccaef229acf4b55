#!/usr/bin/env bash
# Profiles realtime-0 with perf during the measured phase of a fan-out (bench/README.md, "Where realtime-0's CPU
# goes"). Needs perf and a Release build (dotnet build LiveAspire.sln -c Release). Bounded: the bench's own watchdog,
# 8 s of sampling. Usage: bench/profile.sh [subscribers] [port-start]
set -euo pipefail
n=${1:-10000}
port=${2:-32300}
out=$(mktemp -d /tmp/liveaspire-profile-XXXXXX)
cd "$(dirname "$0")/LiveAspire.Bench/bin/Release/net10.0"
# JIT frames resolve through /tmp/perf-<pid>.map; W^X double mapping would hide them from perf.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  dotnet LiveAspire.Bench.dll fanout --fanout-n "$n" --port-start "$port" --max-seconds 600 > "$out/fanout.json" 2> "$out/fanout.err" &
bench=$!
deadline=$((SECONDS + 300))
until grep -q "warm-up" "$out/fanout.err" 2>/dev/null; do
  if (( SECONDS > deadline )) || ! kill -0 "$bench" 2>/dev/null; then echo "the bench did not reach its warm-up" >&2; exit 1; fi
  sleep 0.5
done
# The service's own process (not its dotnet-run launcher), from the bench's "system up: <replica> on <address>, pid N" line.
pid=$(grep -o "system up: .*, pid [0-9]*" "$out/fanout.err" | head -1 | grep -o "[0-9]*$")
sleep 6 # past the 3 s warm-up, into the measured phase
perf record -F 999 -g -p "$pid" -o "$out/perf.data" -- sleep 8 2> /dev/null
wait "$bench"
cat "$out/fanout.json"
perf report -i "$out/perf.data" --no-children --sort dso --stdio -g none 2> /dev/null | grep "%" | head -12
echo "perf data in $out/perf.data (perf report -i $out/perf.data --children --sort symbol)"
