#!/bin/sh
# Runs INSIDE the image booted by `make image-boot` (qemu_boot.sh copies it onto the boot partition of
# a throw-away copy of the image and starts it from the kernel command line: systemd.run=). Never part
# of the image itself. Reports on the virtio-serial port kidsafe.check (the serial console is taken by
# the login prompt, and systemd stops printing status there once the getty runs).
#   boot_check.sh           (from systemd.run=) hands over to a transient unit, so the boot can finish
#   boot_check.sh run       waits for the device service, reports the boot timeline and the kidsafe
#                           journal, then opens a TCP relay 0.0.0.0:8091 -> 127.0.0.1:8090 (the service
#                           itself listens on the loopback only) for qemu's hostfwd
set -u
port=/dev/virtio-ports/kidsafe.check
limit=${KIDSAFE_BOOT_CHECK_LIMIT:-2400}

if [ "${1:-}" != run ]; then
  exec systemd-run --no-block --unit=kidsafe-boot-check --description="kidsafe boot check (qemu only)" \
    /bin/sh "$0" run
fi

n=0
while [ ! -e "$port" ] && [ "$n" -lt 120 ]; do sleep 1; n=$((n + 1)); done
exec >"$port" 2>&1
say() { echo "[$(cut -d' ' -f1 /proc/uptime)] $*"; }
say "boot check started"

# qemu's user network: DHCP on the virtio NIC (runtime only; the image itself has no network setup)
mkdir -p /run/systemd/network
printf '[Match]\nName=en* eth*\n[Network]\nDHCP=ipv4\n' >/run/systemd/network/10-kidsafe-qemu.network
systemctl start systemd-networkd.service || say "systemd-networkd did not start"

unit=""
n=0
while [ "$n" -lt "$limit" ]; do
  for u in kidsafe-device.service kidsafe-agent.service; do
    if [ "$(systemctl is-active "$u")" = active ]; then unit=$u; fi
  done
  [ -n "$unit" ] && break
  if [ $((n % 60)) -eq 0 ]; then
    say "waiting: $(systemctl list-jobs --no-legend | awk '{print $2}' | grep kidsafe | tr '\n' ' ')"
    journalctl -b --no-pager -o short-monotonic -u kidsafe-device -u kidsafe-agent -n 4 | cat
  fi
  sleep 5
  n=$((n + 5))
done

say "== units"
systemctl --no-pager status 'kidsafe-*' | cat
say "== kidsafe journal (seconds since boot)"
journalctl -b --no-pager -o short-monotonic -u 'kidsafe-*' | cat
say "== timeline"
systemd-analyze time | cat
systemd-analyze critical-chain --no-pager "${unit:-kidsafe-device.service}" | cat
systemd-analyze blame --no-pager | head -15
say "== data partition"
df -h /data / | cat
find /data/kidsafe/pairing /data/kidsafe/state -maxdepth 1 -printf "%M %u:%g %s %p\n"
cat /data/kidsafe/pairing/pairing.json
if [ -z "$unit" ]; then
  say "KIDSAFE-BOOT-FAILED: no device service active after ${limit}s"
  exit 1
fi
systemd-run --unit=kidsafe-boot-relay --description="kidsafe boot check relay (qemu only)" \
  /usr/bin/systemd-socket-activate -l 0.0.0.0:8091 /lib/systemd/systemd-socket-proxyd 127.0.0.1:8090
say "KIDSAFE-BOOT-READY $unit"
