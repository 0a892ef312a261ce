#!/usr/bin/env bash
# Tools the end-to-end tests drive: tmux (the terminal client in a pseudo-terminal) and Debian's
# Chromium (the public scoreboard page). Installed once, only where missing, as root with apt.
set -euo pipefail
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-tools: missing ${missing[*]}; install them (tests that need them will fail)" >&2
  exit 0
fi
echo "test-tools: installing ${missing[*]} with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
