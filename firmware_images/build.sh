#!/usr/bin/env bash
# `make image` / `make image-check` / `make image-smoke`: checks the host, registers qemu-user for
# arm64 (binfmt_misc), then runs the Python build (firmware_images/build.py) or the smoke test.
#   firmware_images/build.sh [build.py options]      e.g. --stage root, --check, --snapshot DATE
#   firmware_images/build.sh smoke                   kidsafe check/classify under qemu vs this machine
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}

die() { echo "build.sh: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap, chroot and file ownership need it) / 需要 root"
missing=()
for tool in mmdebstrap genimage mkfs.ext4 mkfs.vfat mcopy chroot systemd-sysusers dpkg-query; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -e /usr/bin/qemu-aarch64-static ] || [ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || missing+=(qemu-user-static)
if [ "${#missing[@]}" -gt 0 ]; then
  die "missing: ${missing[*]}; apt-get install -y mmdebstrap qemu-user-static binfmt-support genimage dosfstools mtools e2fsprogs"
fi
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  update-binfmts --enable qemu-aarch64
fi
if [ "${1:-}" = smoke ]; then
  shift
  exec nice -n 10 "$python" "$here/smoke.py" "$@"
fi
exec nice -n 10 "$python" "$here/build.py" "$@"
