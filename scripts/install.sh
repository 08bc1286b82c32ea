#!/usr/bin/env bash
# Installs Kefir's C library (and optionally its GStreamer plugin) the way
# a distribution package would, on Linux:
#
#   <libdir>/libkefir.so.X.Y.Z, libkefir.so.<abi> (the soname), libkefir.so
#   <libdir>/libkefir.a
#   <includedir>/kefir/kefir.h
#   <libdir>/pkgconfig/kefir.pc               pkg-config --cflags --libs kefir
#   <libdir>/cmake/Kefir/KefirConfig*.cmake   find_package(Kefir): Kefir::kefir,
#                                             Kefir::kefir_static
#   <datadir>/kefir/presets/*.milk            the presets that come with Kefir
#   <libdir>/gstreamer-1.0/libgstkefir.so     with --gst
#
# Usage:
#   scripts/install.sh [--prefix DIR] [--libdir DIR] [--destdir DIR] [--gst]
#                      [--from DIR] [--debug]
#
#   --prefix DIR   where it goes (default /usr/local)
#   --libdir DIR   libraries (default PREFIX/lib; Debian-style multiarch:
#                  PREFIX/lib/x86_64-linux-gnu)
#   --destdir DIR  stage under DIR (for packaging); the files still name PREFIX
#   --gst          also build and install the GStreamer plugin (kefirvis);
#                  needs libgstreamer1.0-dev and libgstreamer-plugins-base1.0-dev
#   --from DIR     install the libraries already built in DIR (libkefir.so,
#                  libkefir.a, libgstkefir.so) instead of building
#   --debug        build the debug profile instead of release
#
# One command for a clean machine: bash scripts/setup.sh && bash scripts/install.sh
# (cargo-c would do the same, but it builds cargo itself from source first,
# which takes longer than building Kefir; see crates/capi/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
libdir=""
destdir=""
from=""
profile=release
gst=0
while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    --libdir) libdir="$2"; shift 2 ;;
    --libdir=*) libdir="${1#*=}"; shift ;;
    --destdir) destdir="$2"; shift 2 ;;
    --destdir=*) destdir="${1#*=}"; shift ;;
    --from) from="$2"; shift 2 ;;
    --from=*) from="${1#*=}"; shift ;;
    --debug) profile=debug; shift ;;
    --gst) gst=1; shift ;;
    -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

case "$(uname -s)" in
Linux) ;;
*) echo "install.sh: only Linux is supported so far (libkefir builds elsewhere with cargo build -p kefir-capi)" >&2; exit 2 ;;
esac

prefix="$(realpath -m "$prefix")"
libdir="$(realpath -m "${libdir:-$prefix/lib}")"
includedir="$prefix/include"
datadir="$prefix/share"

# The version from the workspace manifest; the soname as crates/capi/build.rs
# sets it (libkefir.so.MAJOR, libkefir.so.0.MINOR before 1.0).
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
major="${version%%.*}"
minor="${version#*.}"
minor="${minor%%.*}"
if [ "$major" = 0 ]; then abi="0.$minor"; else abi="$major"; fi

if [ -z "$from" ]; then
    args=(build --locked -p kefir-capi)
    [ "$gst" = 1 ] && args+=(-p gst-plugin-kefir)
    [ "$profile" = release ] && args+=(--release)
    echo "install.sh: cargo ${args[*]}"
    cargo "${args[@]}"
    from="$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')/$profile"
fi
for f in libkefir.so libkefir.a; do
    [ -f "$from/$f" ] || { echo "install.sh: $from/$f is missing" >&2; exit 1; }
done
if [ "$gst" = 1 ] && [ ! -f "$from/libgstkefir.so" ]; then
    echo "install.sh: $from/libgstkefir.so is missing" >&2
    exit 1
fi

# The libraries every static link of libkefir.a needs (rustc's
# native-static-libs on Linux; libasound comes from milk-audio's capture).
static_libs="-lasound -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

d="$destdir"
install -d "$d$libdir/pkgconfig" "$d$libdir/cmake/Kefir" "$d$includedir/kefir" "$d$datadir/kefir/presets"
install -m 0755 "$from/libkefir.so" "$d$libdir/libkefir.so.$version"
ln -sf "libkefir.so.$version" "$d$libdir/libkefir.so.$abi"
ln -sf "libkefir.so.$abi" "$d$libdir/libkefir.so"
install -m 0644 "$from/libkefir.a" "$d$libdir/libkefir.a"
install -m 0644 crates/capi/include/kefir.h "$d$includedir/kefir/kefir.h"
install -m 0644 presets/*.milk "$d$datadir/kefir/presets/"

cat >"$d$libdir/pkgconfig/kefir.pc" <<EOF
prefix=$prefix
libdir=$libdir
includedir=$includedir
datadir=$datadir
presetdir=\${datadir}/kefir/presets

Name: kefir
Description: Kefir, a MilkDrop-compatible music visualizer (C API)
Version: $version
Libs: -L\${libdir} -lkefir
Libs.private: $static_libs
Cflags: -I\${includedir}/kefir
EOF

# CMake finds the package from the prefix (CMAKE_PREFIX_PATH); paths are
# relative to the config file, so a staged or moved install still works.
to_prefix="$(realpath -m --relative-to="$libdir/cmake/Kefir" "$prefix")"
to_libdir="$(realpath -m --relative-to="$libdir/cmake/Kefir" "$libdir")"
cmake_static_libs="$(echo "$static_libs" | sed 's/-l//g; s/ /;/g')"
cat >"$d$libdir/cmake/Kefir/KefirConfig.cmake" <<EOF
# Kefir $version: find_package(Kefir) gives
#   Kefir::kefir         the shared library (libkefir.so.$abi)
#   Kefir::kefir_static  the static library, with the system libraries it needs
# and KEFIR_PRESET_DIR, the presets that come with Kefir.
get_filename_component(_kefir_prefix "\${CMAKE_CURRENT_LIST_DIR}/$to_prefix" ABSOLUTE)
get_filename_component(_kefir_libdir "\${CMAKE_CURRENT_LIST_DIR}/$to_libdir" ABSOLUTE)
set(KEFIR_PRESET_DIR "\${_kefir_prefix}/share/kefir/presets")
if(NOT TARGET Kefir::kefir)
  add_library(Kefir::kefir SHARED IMPORTED)
  set_target_properties(Kefir::kefir PROPERTIES
    IMPORTED_LOCATION "\${_kefir_libdir}/libkefir.so.$version"
    IMPORTED_SONAME "libkefir.so.$abi"
    INTERFACE_INCLUDE_DIRECTORIES "\${_kefir_prefix}/include/kefir")
endif()
if(NOT TARGET Kefir::kefir_static)
  add_library(Kefir::kefir_static STATIC IMPORTED)
  set_target_properties(Kefir::kefir_static PROPERTIES
    IMPORTED_LOCATION "\${_kefir_libdir}/libkefir.a"
    INTERFACE_INCLUDE_DIRECTORIES "\${_kefir_prefix}/include/kefir"
    INTERFACE_LINK_LIBRARIES "$cmake_static_libs")
endif()
unset(_kefir_prefix)
unset(_kefir_libdir)
EOF
cat >"$d$libdir/cmake/Kefir/KefirConfigVersion.cmake" <<EOF
# Compatible: same major version (same minor too while the major is 0), not
# older than asked for.
set(PACKAGE_VERSION "$version")
set(PACKAGE_VERSION_COMPATIBLE FALSE)
if(PACKAGE_FIND_VERSION_MAJOR EQUAL $major AND NOT PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
  if(NOT $major EQUAL 0 OR PACKAGE_FIND_VERSION_MINOR EQUAL $minor OR PACKAGE_FIND_VERSION_COUNT LESS 2)
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
  endif()
endif()
if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
  set(PACKAGE_VERSION_EXACT TRUE)
endif()
EOF

if [ "$gst" = 1 ]; then
    install -d "$d$libdir/gstreamer-1.0"
    install -m 0755 "$from/libgstkefir.so" "$d$libdir/gstreamer-1.0/libgstkefir.so"
fi

echo "install.sh: Kefir $version installed in $d$prefix"
echo "  pkg-config: PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --cflags --libs kefir"
echo "  CMake:      -DCMAKE_PREFIX_PATH=$prefix, find_package(Kefir), Kefir::kefir"
if [ "$gst" = 1 ]; then
    echo "  GStreamer:  GST_PLUGIN_PATH=$libdir/gstreamer-1.0 gst-inspect-1.0 kefirvis"
fi
