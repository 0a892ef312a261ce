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
if [ -f packages/daemon/native/Makefile ]; then
  make -s -C packages/daemon/native
fi
