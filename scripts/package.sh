#!/usr/bin/env bash
# Builds the desktop app's packages into target/packages/:
#
#   bash scripts/package.sh                 # the packages of this OS
#   bash scripts/package.sh --target x86_64-pc-windows-gnu
#                                           # the Windows zip, cross-built on Linux
#
#   Linux:   kefir_<version>_<arch>.deb (cargo-packager) and
#            kefir-<version>-<arch>-linux.tar.gz
#   macOS:   Kefir.app and Kefir_<version>_<arch>.dmg (cargo-packager)
#   Windows: kefir-<version>-x86_64-windows.zip, and with --installer an NSIS
#            installer (cargo-packager downloads NSIS on first use)
#
# Every package carries the bundled presets as a folder beside the binary
# (the binary embeds them too) and the licences. cargo-packager's settings
# live in apps/desktop/Cargo.toml ([package.metadata.packager]); it is
# installed with `cargo install` the first time it is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

target=""
installer=0
while [ $# -gt 0 ]; do
    case "$1" in
    --target) target="$2"; shift 2 ;;
    --target=*) target="${1#--target=}"; shift ;;
    --installer) installer=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=target/packages
mkdir -p "$out"

case "${target:-$(rustc -vV | sed -n 's/^host: //p')}" in
*-windows-*) os=windows ;;
*-apple-darwin) os=macos ;;
*-linux-*) os=linux ;;
*) echo "package.sh: no packages for target '${target}'" >&2; exit 2 ;;
esac

build_dir=target/release
if [ -n "$target" ]; then
    rustup target list --installed | grep -qx "$target" || rustup target add "$target"
    if [ "$target" = x86_64-pc-windows-gnu ] && ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
        echo "package.sh: the Windows cross build links with MinGW-w64: apt-get install gcc-mingw-w64-x86-64" >&2
        exit 1
    fi
    build_dir=target/$target/release
fi

echo "== cargo build --release -p kefir ${target:+--target $target}"
cargo build --release -p kefir ${target:+--target "$target"}

packager() {
    if ! cargo packager --version >/dev/null 2>&1; then
        echo "== installing cargo-packager (once)"
        cargo install cargo-packager --locked
    fi
    cargo packager --release -p kefir --out-dir "$out" "$@"
}

# A folder with the binary, the presets, the README and the licences,
# the layout of the tarball and the zip.
stage() {
    local name=$1 exe=$2
    local dir=target/packages/stage/$name
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$build_dir/$exe" "$dir/"
    cp -r presets "$dir/presets"
    cp README.md LICENSE-MIT LICENSE-APACHE "$dir/"
    echo "$dir"
}

case "$os" in
linux)
    arch=$(uname -m)
    [ -n "$target" ] && arch=${target%%-*}
    if [ -z "$target" ]; then
        packager --formats deb
    fi
    dir=$(stage "kefir-$version-$arch-linux" kefir)
    tar -C "$(dirname "$dir")" -czf "$out/kefir-$version-$arch-linux.tar.gz" "$(basename "$dir")"
    echo "== $out/kefir-$version-$arch-linux.tar.gz"
    ;;
macos)
    packager --formats app,dmg
    ;;
windows)
    name="kefir-$version-x86_64-windows"
    dir=$(stage "$name" kefir.exe)
    rm -f "$out/$name.zip"
    if command -v zip >/dev/null; then
        (cd "$(dirname "$dir")" && zip -qr "$OLDPWD/$out/$name.zip" "$name")
    elif command -v powershell.exe >/dev/null; then
        powershell.exe -NoProfile -Command "Compress-Archive -Path '$dir' -DestinationPath '$out/$name.zip'"
    else
        python3 -c 'import shutil,sys; shutil.make_archive(sys.argv[1], "zip", sys.argv[2], sys.argv[3])' \
            "$out/$name" "$(dirname "$dir")" "$name"
    fi
    echo "== $out/$name.zip"
    if [ "$installer" = 1 ]; then
        packager --formats nsis
    fi
    ;;
esac
rm -rf target/packages/stage
ls -l "$out"
