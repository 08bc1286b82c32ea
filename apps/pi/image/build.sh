#!/usr/bin/env bash
# Builds a Raspberry Pi OS Lite image that boots straight into Kefir, with
# pi-gen (github.com/RPi-Distro/pi-gen, branch arm64 for 64-bit images).
# Needs: an arm64 .deb of kefir-pi (cargo deb -p kefir-pi --target
# aarch64-unknown-linux-gnu), docker (pi-gen's build-docker.sh), ~10 GB disk.
#   apps/pi/image/build.sh PATH/TO/kefir-pi_VERSION_arm64.deb [PI_GEN_DIR]
# KEFIR_OVERLAY=1 turns on the read-only overlay root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deb=$(realpath "${1:?the kefir-pi .deb}")
pigen=${2:-$here/pi-gen}
if [ ! -d "$pigen" ]; then
	git clone --depth 1 --branch arm64 https://github.com/RPi-Distro/pi-gen "$pigen"
fi
rm -rf "$pigen/stage-kefir"
cp -a "$here/stage-kefir" "$pigen/stage-kefir"
cp "$deb" "$pigen/stage-kefir/00-kefir/files/"
cp "$here/../packaging/kefir.toml" "$pigen/stage-kefir/00-kefir/files/"
rm -f "$pigen/stage-kefir/00-kefir/files/overlay"
[ "${KEFIR_OVERLAY:-0}" = 1 ] && touch "$pigen/stage-kefir/00-kefir/files/overlay"
# Only the Kefir image is exported, not a plain Lite one.
touch "$pigen/stage2/SKIP_IMAGES"
{
	cat "$here/config"
	echo "STAGE_LIST=\"stage0 stage1 stage2 stage-kefir\""
} >"$pigen/config"
cd "$pigen"
./build-docker.sh
ls -l deploy/
