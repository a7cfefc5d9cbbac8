#!/usr/bin/env bash
# Builds and runs one consumer project against aioevt.
# usage: run-consumer.sh KIND SOURCE_DIR WORK_DIR PREFIX AIOEVT_SOURCE_DIR
#   KIND: find-package | add-subdirectory | fetchcontent | qmake-pkgconfig | qmake-module
#         | qml-plugin | qml-register | coro | mqtt
set -euo pipefail
kind="$1" src="$2" work="$3" prefix="$4" aioevt_src="$5"
rm -rf "$work"
mkdir -p "$work"
libdir="$(find "$prefix" -name 'libaioevt.so' -printf '%h\n' | head -n 1)"

case "$kind" in
find-package | qml-register | coro | mqtt)
    cmake -S "$src" -B "$work" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
    cmake --build "$work" >/dev/null
    ;;
qml-plugin)
    cmake -S "$src" -B "$work" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
    cmake --build "$work" >/dev/null
    # No LD_LIBRARY_PATH: the plugin and its library must find each other by RPATH.
    exec "$work/consumer" "$(dirname "$(find "$prefix" -name qmldir -path '*Aioevt*')")/.."
    ;;
add-subdirectory)
    cmake -S "$src" -B "$work" -G Ninja -DAIOEVT_SOURCE_DIR="$aioevt_src" >/dev/null
    cmake --build "$work" >/dev/null
    ;;
fetchcontent)
    commit="$(git -C "$aioevt_src" rev-parse HEAD)"
    cmake -S "$src" -B "$work" -G Ninja -DAIOEVT_SOURCE_DIR="$aioevt_src" \
        -DAIOEVT_GIT_COMMIT="$commit" >/dev/null
    cmake --build "$work" >/dev/null
    ;;
qmake-pkgconfig)
    (cd "$work" && PKG_CONFIG_PATH="$libdir/pkgconfig" qmake6 "$src/consumer.pro" >/dev/null &&
        make -s >/dev/null)
    ;;
qmake-module)
    (cd "$work" && QMAKEPATH="$prefix" qmake6 "$src/consumer.pro" >/dev/null && make -s >/dev/null)
    ;;
*)
    echo "unknown consumer kind: $kind" >&2
    exit 2
    ;;
esac
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/consumer"
