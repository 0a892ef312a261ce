#!/usr/bin/env bash
# Installs everything judged needs from nothing: pnpm, the workspace's packages (better-sqlite3 is
# compiled here, no prebuilt binaries), and the native sandbox supervisor.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=12.21.0
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

# node-gyp would download Node's headers; build against the installed ones when they are there.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

pnpm install --frozen-lockfile
# The sandbox's system-call filter is built with libseccomp (packages/daemon/native/src/seccomp.c).
if [ -f packages/daemon/native/Makefile ] && [ ! -f /usr/include/seccomp.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing libseccomp-dev" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq libseccomp-dev >/dev/null || { apt-get update -qq && apt-get install -y -qq libseccomp-dev >/dev/null; }
  else
    echo "setup: libseccomp-dev is missing: install it as root (apt-get install libseccomp-dev), then rerun" >&2
    exit 1
  fi
fi
if [ -f packages/daemon/native/Makefile ]; then
  make -s -C packages/daemon/native
fi
