#!/usr/bin/env bash
# Runs every test (unit, integration against real Redis and PostgreSQL started through the Aspire AppHost with
# Aspire.Hosting.Testing, browser tests in Chromium, and the AppHost as a process) after installing what is missing
# and building once. Extra arguments go to dotnet test (for example --filter "FullyQualifiedName~Wiring").
# The first run restores about 1 GB of packages (Aspire's orchestrator and dashboard among them).
set -euo pipefail
cd "$(dirname "$0")"
source eng/prerequisites.sh
started=$SECONDS

dotnet build LiveAspire.sln -c Debug --nologo -v q -clp:NoSummary

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test LiveAspire.Tests/LiveAspire.Tests.csproj -c Debug --no-build --nologo \
  --logger "console;verbosity=normal" --logger "trx;LogFileName=results.trx" --results-directory "$results" \
  --blame-hang --blame-hang-timeout 15m "$@" || status=$?

# One plain closing line with the counts, whatever the runner printed above it.
trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -n "$trx" ]; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  echo "tests: ${passed:-0} passed, ${failed:-0} failed"
fi
echo "wall time: $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s (build included)"
exit $status
