#!/usr/bin/env bash
# Tests of apps/pi (kefir-pi) that need no Raspberry Pi:
#   unit     cargo test -p kefir-pi and milk-audio's card_match tests
#   window   the x86 build under Xvfb with --display window and the demo
#            signal: non-blank, moving, switches presets (screenshots + the
#            JSON lines of --log-state); a config with a bad value: its
#            message is on screen (the `overlay` event names it, and the
#            screenshot has light text on a dark panel where it says), and
#            the preset name shows after a switch
#   unitfile systemd-analyze verify on apps/pi/packaging/kefir-pi.service
#   cross    aarch64 build; --version, --print-config and a bad config under
#            qemu-aarch64-static (no GPU work under qemu)
#   deb      the arm64 .deb (cargo-deb, installed when missing; the debug
#            build, KEFIR_PI_DEB_PROFILE=dist for the release one): contents, conffile, postinst, stripped binary, the
#            sysusers file in a scratch root
# Usage: scripts/test-pi.sh [STEP...]   (default: unit window unitfile cross)
# Installs missing apt packages only when they are missing (needs root/sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${KEFIR_PI_OUT:-$ROOT/target/test-pi}
mkdir -p "$OUT"
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(unit window unitfile cross)
TARGET=aarch64-unknown-linux-gnu

say() { echo "== test-pi: $*"; }
fail() { echo "test-pi: FAIL: $*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO=sudo

# apt_need PACKAGE... : installs the ones dpkg does not list as installed.
apt_need() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    if printf '%s\n' "${missing[@]}" | grep -q ':arm64'; then
        dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

step_unit() {
    say "unit tests"
    cargo test -p kefir-pi 2>&1 | grep -E '^test result|FAILED|panicked' | tee "$OUT/unit.txt"
    cargo test -p milk-audio --lib card_match 2>&1 | grep -E '^test result|FAILED|panicked' | tee -a "$OUT/unit.txt"
    ! grep -q -E 'FAILED|panicked' "$OUT/unit.txt" || fail "unit tests"
    [ "$(grep -c '^test result: ok' "$OUT/unit.txt")" -ge 2 ] || fail "unit tests did not run"
}

step_window() {
    say "window under Xvfb (lavapipe)"
    # Debian's Python with its Pillow reads the screenshots (a `python3`
    # earlier in PATH, pyenv's say, need not have Pillow).
    apt_need xvfb xauth imagemagick mesa-vulkan-drivers libvulkan1 python3 python3-pil
    cargo build -p kefir-pi 2>&1 | tail -3
    export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$HOME/.cache/xdg}
    mkdir -p -m 700 "$XDG_RUNTIME_DIR"
    rm -f "$OUT"/shot-*.png "$OUT/window.jsonl"
    # A bad value (the window ignores display.mode, so nothing else changes)
    # and the preset name after each switch.
    printf '[display]\nmode = "1920x"\n[overlay]\npreset_name = 2\n' >"$OUT/window.toml"
    # 2 s presets, blend 0.5 s: at least two switches in 9 s. Screenshots
    # 0.5 s apart show motion.
    timeout -s KILL 120 xvfb-run -a -s "-screen 0 640x360x24 -nolisten tcp" bash -c '
        "$0" --display window --demo --size 640x360 --preset-seconds 2 --log-state \
             --config "$1/window.toml" \
             --quit-after 9 --seed 7 >"$1/window.jsonl" 2>"$1/window.err" &
        pid=$!
        sleep 6; import -window root "$1/shot-a.png"
        sleep 0.5; import -window root "$1/shot-b.png"
        wait $pid' "$ROOT/target/debug/kefir-pi" "$OUT" || { cat "$OUT/window.err" >&2; fail "kefir-pi under Xvfb"; }
    /usr/bin/python3 - "$OUT" <<'PY'
import json, sys
from PIL import Image, ImageChops, ImageStat
out = sys.argv[1]
events = [json.loads(l) for l in open(f"{out}/window.jsonl") if l.startswith("{")]
kinds = [e["event"] for e in events]
assert "ready" in kinds, f"no ready event: {kinds}"
names = [e["name"] for e in events if e["event"] == "preset"]
fps = [e["fps"] for e in events if e["event"] == "fps"]
a = Image.open(f"{out}/shot-a.png").convert("RGB")
b = Image.open(f"{out}/shot-b.png").convert("RGB")
lit = sum(ImageStat.Stat(a).mean) / 3
change = sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3
print(f"presets {names}\nfps {fps}\nmean brightness {lit:.1f}/255, change between shots {change:.2f}/255")
assert len(set(names)) >= 2, f"presets did not switch: {names}"
assert fps and max(fps) > 1, f"no frames: {fps}"
assert lit > 2.0, f"blank screen (mean {lit:.2f})"
assert change > 0.2, f"not moving (change {change:.3f})"
assert kinds[-1] == "quit", f"did not quit cleanly: {kinds[-3:]}"
# The bad value's message on screen: named by the overlay event, and in the
# screenshot light text on the dark panel at the place the event gives (the
# window sits at the root's origin; warnings stay 10 s, the shot is at 6 s).
shown = [e["shown"] for e in events if e["event"] == "overlay" and e["shown"]]
bad = [s for s in shown if any("window.toml:2:8: display.mode" in t for t in s["toasts"])]
assert bad, f"the bad value is not on screen: {shown[:2]}"
x0, y0, x1, y1 = (int(v) for v in bad[0]["regions"]["toasts"])
box = a.crop((x0, y0, x1, y1))
raw = box.convert("RGB").tobytes()
px = [raw[i:i + 3] for i in range(0, len(raw), 3)]
text = sum(1 for p in px if min(p) > 170)
dark = sorted(sum(p) / 3 for p in px)[len(px) // 2]
print(f"message region {x0},{y0}-{x1},{y1}: {text} text pixels, median {dark:.0f}/255")
assert text > 80, f"no text where the message should be ({text} light pixels)"
assert dark < 90, f"no dark panel under the message (median {dark:.0f})"
captions = {s["caption"] for s in shown if s["caption"]}
assert captions & set(names), f"the preset name did not show: {captions}"
PY
    # A lost GPU device (a GPU reset; destroyed on purpose at 2 s here): the
    # process fails, so systemd starts it again, and the preset that played
    # is in the cost file as gpu-lost; started again, it never plays it, not
    # even first.
    rm -rf "$OUT/state" && mkdir -p "$OUT/state"
    local rc=0
    STATE_DIRECTORY="$OUT/state" KEFIR_PI_TEST_GPU_LOSS_SECONDS=2 timeout -s KILL 120 \
        xvfb-run -a -s "-screen 0 640x360x24 -nolisten tcp" \
        "$ROOT/target/debug/kefir-pi" --display window --demo --size 640x360 --log-state \
        --seed 7 >"$OUT/lost.jsonl" 2>"$OUT/lost.err" || rc=$?
    [ "$rc" = 1 ] || { cat "$OUT/lost.err" >&2; fail "a lost GPU should end kefir-pi with status 1 (got $rc)"; }
    STATE_DIRECTORY="$OUT/state" timeout -s KILL 120 \
        xvfb-run -a -s "-screen 0 640x360x24 -nolisten tcp" \
        "$ROOT/target/debug/kefir-pi" --display window --demo --size 640x360 --log-state \
        --seed 7 --preset-seconds 1 --quit-after 4 >"$OUT/after.jsonl" 2>"$OUT/after.err" \
        || { cat "$OUT/after.err" >&2; fail "kefir-pi after a lost GPU"; }
    /usr/bin/python3 - "$OUT" <<'PY'
import glob, json, sys
out = sys.argv[1]
events = lambda f: [json.loads(l) for l in open(f"{out}/{f}") if l.startswith("{")]
lost = [e for e in events("lost.jsonl") if e["event"] == "gpu_lost"]
assert lost and lost[0]["preset"], f"no gpu_lost event: {events('lost.jsonl')[-3:]}"
name = lost[0]["preset"]
(costs,) = glob.glob(f"{out}/state/costs-*.json")
entry = json.load(open(costs))["presets"][f"{name}.milk"]
assert entry["source"] == "gpu-lost", entry
played = [e["name"] for e in events("after.jsonl") if e["event"] == "preset"]
print(f"GPU lost with {name!r}; started again, it played {played}")
assert played and name not in played, f"{name} played again: {played}"
PY
}

step_unitfile() {
    say "systemd-analyze verify"
    command -v systemd-analyze >/dev/null || apt_need systemd
    # verify wants ExecStart to exist: point it at the host build.
    cargo build -p kefir-pi 2>&1 | tail -1
    local unit="$OUT/unit/kefir-pi.service"
    mkdir -p "$OUT/unit"
    sed "s|^ExecStart=/usr/bin/kefir-pi|ExecStart=$ROOT/target/debug/kefir-pi|" \
        apps/pi/packaging/kefir-pi.service >"$unit"
    local log; log=$(systemd-analyze verify "$unit" 2>&1) || { echo "$log" >&2; fail "systemd-analyze verify"; }
    # Warnings about the unit itself (not about other units on this machine) fail too.
    if echo "$log" | grep -i 'kefir-pi.service' | grep -v -i 'ExecStart'; then fail "unit warnings"; fi
    echo "ok"
}

cross_env() {
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc PKG_CONFIG_ALLOW_CROSS=1 \
        PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig PKG_CONFIG_SYSROOT_DIR=/
}

step_cross() {
    say "aarch64 build + qemu"
    apt_need gcc-aarch64-linux-gnu libc6-dev-arm64-cross libasound2-dev:arm64 qemu-user-static
    rustup target list --installed | grep -qx $TARGET || rustup target add $TARGET
    cross_env
    local t0=$SECONDS
    cargo build -p kefir-pi --target $TARGET 2>&1 | tail -3
    echo "cross build: $((SECONDS - t0)) s"
    local bin="$ROOT/target/$TARGET/debug/kefir-pi"
    file "$bin" | grep -q 'ARM aarch64' || fail "not an aarch64 binary: $(file "$bin")"
    local q=(timeout -s KILL 60 qemu-aarch64-static -L /usr/aarch64-linux-gnu "$bin")
    "${q[@]}" --version | tee "$OUT/qemu-version.txt"
    grep -q '^kefir-pi ' "$OUT/qemu-version.txt" || fail "--version"
    "${q[@]}" --print-config --config apps/pi/packaging/kefir.toml >"$OUT/qemu-config.txt"
    grep -q '^render_scale = "auto"' "$OUT/qemu-config.txt" || fail "--print-config"
    # A bad value: a message naming file and line, the default used, exit 0.
    printf '[audio]\ndevice = "usb"\n[display]\nmode = "1920x"\nrender_scale = 4\n' >"$OUT/bad.toml"
    "${q[@]}" --print-config --config "$OUT/bad.toml" >"$OUT/qemu-bad.txt" 2>"$OUT/qemu-bad.err" || fail "bad config stopped it"
    cat "$OUT/qemu-bad.err"
    grep -q "bad.toml:4:8: display.mode: .*using \"auto\"" "$OUT/qemu-bad.err" || fail "no message for the bad mode"
    grep -q "bad.toml:5:16: display.render_scale: 4 is out of range" "$OUT/qemu-bad.err" || fail "no message for render_scale"
    grep -q '^mode = "auto"' "$OUT/qemu-bad.txt" && grep -q '^device = "usb"' "$OUT/qemu-bad.txt" || fail "defaults / good values"
}

step_deb() {
    say "deb (arm64, cargo-deb)"
    # cargo-deb 3.8.0: installing it took 39 s wall / 68 s CPU here (2 cores,
    # crates already downloaded).
    if ! cargo deb --version 2>/dev/null | grep -q '^cargo-deb 3\.'; then
        local t0=$SECONDS
        cargo install cargo-deb --version 3.8.0 --locked 2>&1 | tail -2
        echo "cargo-deb install: $((SECONDS - t0)) s"
    fi
    apt_need gcc-aarch64-linux-gnu libc6-dev-arm64-cross libasound2-dev:arm64
    rustup target list --installed | grep -qx $TARGET || rustup target add $TARGET
    cross_env
    rm -f "$OUT"/kefir-pi_*_arm64.deb
    # The package from the cross step's debug build, stripped (no second
    # build in CI). The release package is the `dist` profile
    # ([package.metadata.deb] profile, see apps/pi/README.md): a clean build
    # of it took 3m59s wall / 7m43s CPU here.
    local t0=$SECONDS
    cargo deb -p kefir-pi --target $TARGET --profile "${KEFIR_PI_DEB_PROFILE:-dev}" --output "$OUT/" 2>&1 | tail -3
    echo "deb build: $((SECONDS - t0)) s"
    local deb; deb=$(ls -t "$OUT"/kefir-pi_*_arm64.deb | head -1)
    echo "$(basename "$deb"): $(stat -c %s "$deb") bytes"
    dpkg-deb -c "$deb" >"$OUT/deb-contents.txt"
    for f in ./usr/bin/kefir-pi ./usr/lib/systemd/system/kefir-pi.service \
             ./usr/lib/sysusers.d/kefir-pi.conf ./etc/kefir/kefir.toml \
             ./usr/share/doc/kefir-pi/README.md ./usr/share/doc/kefir-pi/kefir.toml.example; do
        grep -q " $f\$" "$OUT/deb-contents.txt" || fail "the .deb lacks $f"
    done
    local want; want=$(ls presets/*.milk | wc -l)
    [ "$(grep -c ' ./usr/share/kefir-pi/presets/.*\.milk$' "$OUT/deb-contents.txt")" -eq "$want" ] \
        || fail "the .deb does not hold the $want bundled presets"
    dpkg-deb -I "$deb" >"$OUT/deb-info.txt"
    grep -q '^ Architecture: arm64' "$OUT/deb-info.txt" || fail "not arm64"
    grep -q '^ Depends:.*libasound2.*libvulkan1.*mesa-vulkan-drivers' "$OUT/deb-info.txt" || fail "Depends: $(grep Depends "$OUT/deb-info.txt")"
    local x="$OUT/deb-x"
    rm -rf "$x" && mkdir -p "$x/root/etc"
    dpkg-deb -e "$deb" "$x/control"
    dpkg-deb -x "$deb" "$x/data"
    grep -qx /etc/kefir/kefir.toml "$x/control/conffiles" || fail "kefir.toml is not a conffile"
    grep -q 'systemd-sysusers.*kefir-pi.conf' "$x/control/postinst" || fail "postinst makes no user"
    grep -q 'deb-systemd-helper enable kefir-pi.service' "$x/control/postinst" || fail "postinst does not enable the unit"
    file "$x/data/usr/bin/kefir-pi" | grep 'ARM aarch64' | grep -q ', stripped' || fail "binary: $(file "$x/data/usr/bin/kefir-pi")"
    # The sysusers file makes the user (in a scratch root, not this machine).
    if command -v systemd-sysusers >/dev/null; then
        systemd-sysusers --root="$x/root" "$x/data/usr/lib/sysusers.d/kefir-pi.conf" >/dev/null 2>&1 || fail "systemd-sysusers"
        grep -q '^kefir:.*:/var/lib/kefir-pi:' "$x/root/etc/passwd" || fail "no kefir user from sysusers"
    fi
    echo "ok: $(grep -c . "$OUT/deb-contents.txt") entries, binary $(stat -c %s "$x/data/usr/bin/kefir-pi") bytes"
    rm -rf "$x"
}

for s in "${STEPS[@]}"; do "step_$s"; done
say "ok: ${STEPS[*]}"
