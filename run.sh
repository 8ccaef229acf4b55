#!/usr/bin/env bash
# Runs the whole LiveAspire system with one command through its Aspire AppHost: Redis, PostgreSQL, Api, Realtime
# (2 replicas behind Aspire's proxy), Worker (2 replicas), Web and the Aspire dashboard. Ctrl+C stops everything.
# Extra arguments go to the AppHost (for example --dashboard-port 18889 or --state-dir /tmp/la).
# The first run restores about 1 GB of packages (Aspire's orchestrator and dashboard among them).
set -euo pipefail
cd "$(dirname "$0")"
source eng/prerequisites.sh

dotnet build LiveAspire.sln -c Debug --nologo -v q -clp:NoSummary
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
exec dotnet LiveAspire.AppHost/bin/Debug/net10.0/LiveAspire.AppHost.dll "$@"
