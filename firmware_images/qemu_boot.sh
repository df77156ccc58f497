#!/usr/bin/env bash
# `make image-boot` (optional, slow): boots build/kidsafe-arm64.img under qemu-system-aarch64 (virt
# machine, TCG emulation, the image's own Debian kernel and initrd, root=LABEL=kidsafe-root ro) on a
# copy of the image, and waits until systemd reports the device service started. The service is
# Type=notify and says READY only once its API answered on 127.0.0.1:8090, so "Started" means it
# serves. The console log goes to build/boot.log. Needs: apt-get install qemu-system-arm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${KIDSAFE_FW_BUILD:-$here/build}
img=$build/kidsafe-arm64.img
log=$build/boot.log
limit=${BOOT_TIMEOUT:-1800}

command -v qemu-system-aarch64 >/dev/null || { echo "qemu_boot.sh: apt-get install qemu-system-arm" >&2; exit 2; }
[ -f "$img" ] || { echo "qemu_boot.sh: no $img: run make image first" >&2; exit 2; }
kernel=$(find "$build/root/boot" -maxdepth 1 -name 'vmlinuz-*' | sort | tail -1)
initrd=$(find "$build/root/boot" -maxdepth 1 -name 'initrd.img-*' | sort | tail -1)
if [ -z "$kernel" ] || [ -z "$initrd" ]; then
  echo "qemu_boot.sh: no kernel/initrd in $build/root/boot" >&2
  exit 2
fi

work=$(mktemp -d /tmp/kidsafe-boot.XXXXXX)
qemu_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cp --sparse=always "$img" "$work/disk.img"
: > "$log"
start=$(date +%s)
nice -n 10 qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 1024 -nographic -no-reboot -nic none \
  -kernel "$kernel" -initrd "$initrd" \
  -append "root=LABEL=kidsafe-root ro rootwait console=ttyAMA0 systemd.show_status=1" \
  -drive "file=$work/disk.img,if=virtio,format=raw" -device virtio-rng-pci </dev/null >"$log" 2>&1 &
qemu_pid=$!
while kill -0 "$qemu_pid" 2>/dev/null; do
  # the console shortens "UNIT - DESCRIPTION" in the middle: match the unit name
  if grep -aqE "(Started|Failed to start) [^ ]*kidsafe-(device|agent)" "$log"; then break; fi
  if [ $(( $(date +%s) - start )) -ge "$limit" ]; then break; fi
  sleep 5
done
took=$(( $(date +%s) - start ))
grep -aE "kidsafe|Reached target" "$log" | tr -d '\r' | tail -20
if grep -aqE "Started [^ ]*kidsafe-(device|agent)" "$log"; then
  echo "boot test PASSED in ${took}s: the device service started and answered on 127.0.0.1:8090 / 启动测试通过"
  exit 0
fi
echo "boot test FAILED after ${took}s (console: $log) / 启动测试失败" >&2
exit 1
