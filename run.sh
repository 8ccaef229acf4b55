#!/usr/bin/env bash
# Runs the whole LiveAspire system with one command: Redis, PostgreSQL, Api, Realtime (2 replicas behind a
# proxy), Worker, Web and the dashboard. Ctrl+C stops everything. Extra arguments go to the AppHost
# (for example --dashboard-port 18889 or --state-dir /tmp/la).
set -euo pipefail
cd "$(dirname "$0")"
source eng/prerequisites.sh

dotnet build LiveAspire.sln -c Debug --nologo -v q -clp:NoSummary
exec dotnet LiveAspire.AppHost/bin/Debug/net10.0/LiveAspire.AppHost.dll --no-build "$@"
