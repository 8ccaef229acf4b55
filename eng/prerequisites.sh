#!/usr/bin/env bash
# Installs what LiveAspire needs on a Debian 12 machine with the .NET 10 SDK, only when it is missing, so it is
# safe to run again. Sourced by run.sh and test.sh.
set -euo pipefail

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first" >&2
  exit 1
fi

# Redis: the AppHost runs redis-server itself (the package's own service is not used).
if [ ! -x /usr/bin/redis-server ]; then
  echo "installing redis-server..."
  apt_install redis-server
fi

# Chromium drives the browser tests (Playwright launches the Debian build; it never downloads its own).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium..."
  apt_install chromium
fi

# PostgreSQL 15 is preinstalled on this machine kind; install it only when it is really missing, because
# installing postgresql-15 over an existing one would upgrade it.
if [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  echo "installing PostgreSQL 15..."
  apt_install postgresql-15
fi
