#!/bin/bash -e
# pi-gen substage: install kefir-pi (the .deb build.sh put in files/), enable
# its service, put the example config on the boot partition and, with
# files/overlay present (build.sh with KEFIR_OVERLAY=1), turn on the
# read-only overlay root.
install -d "${ROOTFS_DIR}/tmp/kefir"
install -m 644 files/kefir-pi_*_arm64.deb "${ROOTFS_DIR}/tmp/kefir/"
install -m 644 files/kefir.toml "${ROOTFS_DIR}/boot/firmware/kefir.toml"
overlay=0
[ -f files/overlay ] && overlay=1

on_chroot << CHROOT
set -e
apt-get update
apt-get install -y /tmp/kefir/kefir-pi_*_arm64.deb
rm -rf /tmp/kefir
systemctl enable kefir-pi.service
# The screen belongs to Kefir: no login prompt on tty1, boot messages quiet.
systemctl mask getty@tty1.service
if [ "$overlay" = 1 ]; then
	raspi-config nonint do_overlayfs 0
fi
CHROOT
# A quiet console on the HDMI output (kernel messages stay in the journal).
sed -i '1 s/$/ quiet loglevel=3 vt.global_cursor_default=0/' "${ROOTFS_DIR}/boot/firmware/cmdline.txt"
