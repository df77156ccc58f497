#!/usr/bin/env bash
# `make image-boot` (optional, slow): boots build/kidsafe-arm64.img under qemu-system-aarch64 (virt
# machine, TCG emulation, the image's own Debian kernel and initrd, root=LABEL=kidsafe-root ro) and
# checks from this machine that the device service answers. Emulation is slow (minutes to the login
# prompt on a loaded 2-core machine): systemd.default_timeout_start_sec=900 gives slow units time, and
# the copy's fstab waits 30 min for the partitions (systemd 252 takes device job timeouts only from
# fstab's x-systemd.device-timeout; the image's 5 min once ran out under emulation, and a failed /data
# mount means emergency mode).
#
# It boots a throw-away copy of the image; onto that copy's boot partition go boot_check.sh (started
# from the kernel command line with systemd.run=; it waits for the device service, reports the boot
# timeline on a virtio-serial port and relays guest port 8091 to the service's 127.0.0.1:8090) and a
# provisioning file (the time zone is chosen so that it is daytime on the device: no bedtime refusal;
# KIDSAFE_BOOT_PORTAL=http://10.0.2.2:PORT adds a portal_url, so the image pairs with a portal that runs
# on this machine; KIDSAFE_BOOT_PORTAL=local starts one here, from this repository, for the run: then
# the page must show a pairing code). Once the service is up, boot_probe.py asks it through qemu's hostfwd:
# GET /api/status, POST /api/search (an allowed and a blocked query), the pairing state.
# Outputs: build/boot.log (serial console), build/boot-check.log (the guest's report),
# build/boot.json (timeline and verdicts). Needs: apt-get install qemu-system-arm mtools.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${KIDSAFE_FW_BUILD:-$here/build}
img=$build/kidsafe-arm64.img
log=$build/boot.log
check_log=$build/boot-check.log
limit=${BOOT_TIMEOUT:-2400}
python=${PYTHON:-python3}

command -v qemu-system-aarch64 >/dev/null || { echo "qemu_boot.sh: apt-get install qemu-system-arm" >&2; exit 2; }
command -v mcopy >/dev/null || { echo "qemu_boot.sh: apt-get install mtools" >&2; exit 2; }
[ -f "$img" ] || { echo "qemu_boot.sh: no $img: run make image first" >&2; exit 2; }
work=$(mktemp -d /tmp/kidsafe-boot.XXXXXX)
qemu_pid=""
portal_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; fi
  if [ -n "$portal_pid" ]; then kill "$portal_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [ "${KIDSAFE_BOOT_PORTAL:-}" = local ]; then
  # the guest reaches this machine's 127.0.0.1 as 10.0.2.2 (qemu user network)
  portal_port=$(free_port)
  KIDSAFE_BOOT_PORTAL=http://10.0.2.2:$portal_port
  KIDSAFE_PORTAL_DATABASE_URL=sqlite:///$work/portal.db KIDSAFE_PORTAL_DATA_DIR=$work/portal \
    KIDSAFE_PORTAL_MQTT_ENABLED=false KIDSAFE_PORTAL_PUBLIC_URL=$KIDSAFE_BOOT_PORTAL \
    KIDSAFE_PORTAL_PAIRING_TTL_S=3600 \
    "$python" -m kidsafe portal run --host 127.0.0.1 --port "$portal_port" --no-ingest >"$build/boot-portal.log" 2>&1 &
  portal_pid=$!
  echo "parent portal for pairing: 127.0.0.1:$portal_port here, $KIDSAFE_BOOT_PORTAL in the guest"
fi
cp --sparse=always "$img" "$work/disk.img"
# a card bigger than the image (sparse) only when asked: kidsafe-grow-data.service is shipped
# disabled (README "Partitions"), so by default the card is the image and no grow is expected
truncate -s "+${KIDSAFE_BOOT_EXTRA_MB:-0}M" "$work/disk.img"

# the copy's boot partition (partition 1, vfat): the image's own kernel and initrd come from there;
# it gets the check script and the provisioning file
boot_offset=$(( $(sfdisk -d "$work/disk.img" | awk '/start=/ {sub(/,/, "", $4); print $4; exit}') * 512 ))
kernel=$work/vmlinuz
initrd=$work/initrd.img
if ! mcopy -n -i "$work/disk.img@@$boot_offset" ::vmlinuz "$kernel" ||
   ! mcopy -n -i "$work/disk.img@@$boot_offset" ::initrd.img "$initrd"; then
  echo "qemu_boot.sh: no vmlinuz/initrd.img on the image's boot partition" >&2
  exit 2
fi
utc_hour=$(date -u +%H)
offset=$(( 12 - 10#$utc_hour ))
if [ "$offset" -eq 0 ]; then tz=Etc/GMT; elif [ "$offset" -gt 0 ]; then tz=Etc/GMT-$offset; else tz=Etc/GMT+$(( -offset )); fi
"$python" - "$work/kidsafe-provisioning.json" "$tz" "${KIDSAFE_BOOT_PORTAL:-}" <<'EOF'
import json, sys
doc = {"timezone": sys.argv[2]}
if sys.argv[3]:
    doc["portal_url"] = sys.argv[3]
open(sys.argv[1], "w").write(json.dumps(doc) + "\n")
EOF
mcopy -o -i "$work/disk.img@@$boot_offset" "$here/boot_check.sh" ::kidsafe-boot-check.sh
# emulation on a loaded machine: udev may need longer than the image's 5 min to find the partitions;
# the copy's fstab (root partition, via debugfs) waits 30 min instead (KIDSAFE_BOOT_DEVICE_TIMEOUT)
root_fs="$work/disk.img?offset=$(( $(sfdisk -d "$work/disk.img" | awk '/start=/ {sub(/,/, "", $4); n++; if (n == 2) {print $4; exit}}') * 512 ))"
debugfs -R "cat /etc/fstab" "$root_fs" 2>/dev/null \
  | sed "s/x-systemd.device-timeout=[0-9a-z]*/x-systemd.device-timeout=${KIDSAFE_BOOT_DEVICE_TIMEOUT:-30min}/" >"$work/fstab"
grep -q "device-timeout=${KIDSAFE_BOOT_DEVICE_TIMEOUT:-30min}" "$work/fstab" || { echo "qemu_boot.sh: cannot read the image's fstab" >&2; exit 2; }
chmod 0644 "$work/fstab"
debugfs -w -R "rm /etc/fstab" "$root_fs" >/dev/null 2>&1
debugfs -w -R "write $work/fstab /etc/fstab" "$root_fs" >/dev/null 2>&1
mcopy -o -i "$work/disk.img@@$boot_offset" "$work/kidsafe-provisioning.json" ::kidsafe-provisioning.json

host_port=$(free_port)
: > "$log"
: > "$check_log"
start=$(date +%s)
nice -n 10 qemu-system-aarch64 -M virt -cpu cortex-a57 -smp 2 -m 1024 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$initrd" \
  -append "root=LABEL=kidsafe-root ro rootwait console=ttyAMA0 systemd.show_status=1 \
systemd.unit=multi-user.target systemd.wants=kernel-command-line.service systemd.default_timeout_start_sec=900 \
systemd.run=\"/bin/sh /boot/firmware/kidsafe-boot-check.sh\" systemd.run_success_action=none \
systemd.run_failure_action=none" \
  -drive "file=$work/disk.img,if=virtio,format=raw" -device virtio-rng-pci \
  -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$host_port-:8091" -device virtio-net-pci,netdev=net0,romfile= \
  -device virtio-serial-pci -chardev "file,id=check,path=$check_log" \
  -device virtserialport,chardev=check,name=kidsafe.check </dev/null >"$log" 2>&1 &
qemu_pid=$!
echo "booting $img (copy) under qemu-system-aarch64, TCG; time zone $tz; console $log; report $check_log"
login_s=""
while kill -0 "$qemu_pid" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  if [ -z "$login_s" ] && grep -aq "login:" "$log"; then login_s=$now; echo "login prompt after ${now}s"; fi
  if grep -aqE "KIDSAFE-BOOT-(READY|FAILED)" "$check_log"; then break; fi
  if [ "$now" -ge "$limit" ]; then break; fi
  sleep 5
done
ready_s=$(( $(date +%s) - start ))
grep -a -E "^\[|KIDSAFE|kidsafe-(firstboot|device|agent|pairing)\.service: |Finished kidsafe|Started kidsafe" \
  "$check_log" | tail -40 || true
if ! grep -aq "KIDSAFE-BOOT-READY" "$check_log"; then
  echo "boot test FAILED after ${ready_s}s: the device service did not come up (console: $log, report: $check_log) / 启动测试失败" >&2
  exit 1
fi
echo "device service up after ${ready_s}s (host clock, qemu start to the guest's report)"
expect=()
[ -n "${KIDSAFE_BOOT_PORTAL:-}" ] && expect+=(--expect-pairing-code)
[ "${KIDSAFE_BOOT_EXTRA_MB:-0}" -gt 0 ] && expect+=(--expect-grow)
"$python" "$here/boot_probe.py" --url "http://127.0.0.1:$host_port" --report "$check_log" \
  --out "$build/boot.json" --login-s "${login_s:-0}" --ready-s "$ready_s" --timezone "$tz" "${expect[@]}"
