#!/bin/busybox sh
# PID 1 of the cgroup v2 guest's initramfs (built by prepare.sh, booted by guest.ts).
# Builds the guest's root from three read-only 9p shares of the host:
#   hostroot  the host's /, under a tmpfs overlay (writes stay in the guest's RAM, never reach the host);
#             /tmp, /run and /root are fresh tmpfs instead
#   checkout  the repository, the same way, at its host path (it may live under /tmp, which is a tmpfs)
#   job       this run's files: config.sh (sourced here) and run.sh (the command, run after switch_root)
# then mounts cgroup2 (unified, nsdelegate as systemd mounts it), a tmpfs /tmp, brings lo up and
# switch_roots into the host's root with /run/judged-vm/run.sh as the new PID 1.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The command's output channel: bytes as written (no \r added, no echo).
stty -F /dev/ttyS1 raw -echo 2>/dev/null

die() {
  echo "judged-vm init: $*" >/dev/ttyS0
  echo "@@judged-vm-failed init: $*" >/dev/ttyS1
  echo o >/proc/sysrq-trigger
  sleep 60
}

for m in $(cat /lib/modules/order); do
  insmod "/lib/modules/$m.ko" || die "insmod $m failed"
done

p9() { mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose "$1" "$2" || die "mount 9p $1 failed"; }
# A read-only 9p share seen through an overlay whose upper layer is a tmpfs (the guest's RAM).
overlay() {
  tag=$1 dest=$2
  mkdir -p "/mnt/$tag/lower" "/mnt/$tag/rw"
  p9 "$tag" "/mnt/$tag/lower"
  mount -t tmpfs tmpfs "/mnt/$tag/rw"
  # Not named "work": every sandboxed run sees these paths in /proc/self/mountinfo (the overlay's
  # options), and the attack suite refuses any line that names a host path such as /work.
  mkdir -p "/mnt/$tag/rw/upper" "/mnt/$tag/rw/ovl-scratch" "$dest"
  mount -t overlay overlay -o "lowerdir=/mnt/$tag/lower,upperdir=/mnt/$tag/rw/upper,workdir=/mnt/$tag/rw/ovl-scratch" "$dest" ||
    die "overlay for $tag failed"
}

mkdir -p /job
p9 job /job
. /job/config.sh

overlay hostroot /newroot
for d in proc sys dev tmp run; do mkdir -p "/newroot/$d"; done
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t tmpfs -o mode=755 tmpfs /newroot/run
# An empty home for root: the host's (toolchain caches, ~260k files here) is not needed inside, and the
# attack suite's host check walks /root after every test, which over 9p under TCG took minutes each.
mount -t tmpfs -o mode=700 tmpfs /newroot/root
overlay checkout "/newroot$CHECKOUT"
mkdir -p /newroot/run/judged-vm
mount --bind /job /newroot/run/judged-vm
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
mount -t cgroup2 -o nsdelegate cgroup2 /newroot/sys/fs/cgroup || die "mount cgroup2 failed"
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
ip link set lo up
hostname judged-vm
exec switch_root /newroot /bin/sh /run/judged-vm/run.sh
