#!/usr/bin/env bash
# Prepares what the cgroup v2 guest boots (see docs/sandbox.md, "Tests"): QEMU, a static busybox and cpio from
# Debian where missing, Debian's kernel package unpacked (never installed) and a busybox initramfs.
# Everything lands in the cache directory, so a second run only checks that it is there.
# Prints two lines for the caller: "kernel <path>" and "initrd <path>".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${JUDGED_VM_CACHE:-$here/../../.cache/vm}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

# Loaded in this order by the guest's init (each depends on the ones before it).
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay)

apt_updated=
apt_update() { [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }; }

missing=()
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
command -v cpio >/dev/null 2>&1 || missing+=(cpio)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "test/vm: missing ${missing[*]}: install them as root with apt-get" >&2
    exit 1
  fi
  echo "test/vm: installing ${missing[*]} with apt-get" >&2
  apt_update
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The kernel: the package linux-image-amd64 points to (e.g. linux-image-6.1.0-41-amd64), unpacked.
kdir="$cache/kernel"
if ! ls "$kdir"/boot/vmlinuz-* >/dev/null 2>&1; then
  pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
  if [ -z "$pkg" ]; then
    apt_update
    pkg="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
  fi
  [ -n "$pkg" ] || { echo "test/vm: apt-cache knows no linux-image-amd64 kernel package" >&2; exit 1; }
  echo "test/vm: downloading $pkg (unpacked into $kdir, not installed)" >&2
  dl="$cache/download"
  rm -rf "$dl" "$kdir.tmp" && mkdir -p "$dl"
  (cd "$dl" && apt-get download -qq "$pkg" 2>/dev/null) || { apt_update; (cd "$dl" && apt-get download -qq "$pkg"); }
  dpkg-deb -x "$dl"/"$pkg"_*.deb "$kdir.tmp"
  rm -rf "$dl" "$kdir" && mv "$kdir.tmp" "$kdir"
fi
vmlinuz="$(ls "$kdir"/boot/vmlinuz-* | head -n1)"
kver="${vmlinuz##*/vmlinuz-}"
# QEMU boots the uncompressed ELF (PVH entry) directly: under TCG the bzImage's own xz decompression
# costs ~15 s of every boot. Fall back to the bzImage when the payload is not xz.
kernel="$kdir/vmlinux-$kver"
if [ ! -s "$kernel" ]; then
  at="$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1 || true)"
  # xz stops at the end of its stream, so tail dies of SIGPIPE: judge by the result, an ELF file.
  [ -n "$at" ] && { tail -c +"$((at + 1))" "$vmlinuz" | xz -dc --single-stream >"$kernel.tmp" 2>/dev/null || true; }
  if [ "$(head -c4 "$kernel.tmp" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; then
    mv "$kernel.tmp" "$kernel"
  else
    rm -f "$kernel.tmp"
    kernel="$vmlinuz"
  fi
fi

# The initramfs: busybox, the modules above (decompressed if the package compresses them), init.sh.
initrd="$cache/initrd-$kver.cpio.gz"
stamp="$(cat "$here/init.sh" "$0" | sha256sum | cut -c1-16)"
if [ ! -s "$initrd" ] || [ "$(cat "$initrd.stamp" 2>/dev/null)" != "$stamp" ]; then
  work="$cache/initramfs.tmp"
  rm -rf "$work" && mkdir -p "$work"/{bin,dev,proc,sys,mnt,newroot,lib/modules}
  cp /bin/busybox "$work/bin/busybox"
  cp "$here/init.sh" "$work/init" && chmod 755 "$work/init"
  for m in "${modules[@]}"; do
    f="$(find "$kdir/lib/modules/$kver" -name "$m.ko*" | head -n1)"
    [ -n "$f" ] || { echo "test/vm: module $m not found in $kdir/lib/modules/$kver" >&2; exit 1; }
    case "$f" in
      *.ko.xz) xz -dc "$f" >"$work/lib/modules/$m.ko" ;;
      *.ko.zst) zstd -qdc "$f" >"$work/lib/modules/$m.ko" ;;
      *) cp "$f" "$work/lib/modules/$m.ko" ;;
    esac
  done
  printf '%s\n' "${modules[@]}" >"$work/lib/modules/order"
  (cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
  mv "$initrd.tmp" "$initrd" && echo "$stamp" >"$initrd.stamp"
  rm -rf "$work"
fi
echo "kernel $kernel"
echo "initrd $initrd"
