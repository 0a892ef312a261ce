#!/usr/bin/env bash
# Tools the end-to-end tests drive: tmux (the terminal client in a pseudo-terminal), Debian's
# Chromium (the public scoreboard page), redis-server and iproute2 (the judgehost suite's queue and
# its private network) and QEMU with a kernel for the cgroup v2 guest. Installed
# once, only where missing, as root with apt.
set -euo pipefail
# The cgroup v2 guest (test/vm): QEMU, busybox-static, cpio and an unpacked Debian kernel, cached in
# .cache/vm. test/vm/cgroup-v2.test.ts runs the same script again and fails with its message if this did.
if [ "$(id -u)" -eq 0 ]; then
  bash "$(dirname "$0")/../test/vm/prepare.sh" >/dev/null || echo "test-tools: test/vm/prepare.sh failed (the cgroup v2 tests will fail)" >&2
fi
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# openssl makes the throwaway certificate of the HTTPS test (packages/daemon/src/server/transport.test.ts).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-tools: missing ${missing[*]}; install them (tests that need them will fail)" >&2
  exit 0
fi
echo "test-tools: installing ${missing[*]} with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
