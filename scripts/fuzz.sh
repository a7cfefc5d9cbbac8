#!/usr/bin/env bash
# Builds the libFuzzer target of the MQTT payload decoder with clang (ASan + UBSan) and
# runs it for SECONDS (default 60), starting from fuzz/corpus. A crash leaves its input
# in build-fuzz/ and fails the script.
#   scripts/fuzz.sh [SECONDS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
seconds="${1:-60}"
bash "$ROOT/scripts/setup.sh"
CXX=clang++ CC=clang cmake -S "$ROOT" -B "$ROOT/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DAIOEVT_BUILD_FUZZERS=ON -DAIOEVT_BUILD_TESTS=OFF -DAIOEVT_BUILD_EXAMPLES=OFF \
    -DAIOEVT_BUILD_BENCHMARKS=OFF -DAIOEVT_BUILD_QML=OFF -DAIOEVT_INSTALL=OFF >/dev/null
cmake --build "$ROOT/build-fuzz" --parallel "$JOBS" --target aioevt-fuzz-payload
work="$ROOT/build-fuzz/corpus"
mkdir -p "$work"
cd "$ROOT/build-fuzz"
ASAN_OPTIONS="detect_leaks=1" "$ROOT/build-fuzz/fuzz/aioevt-fuzz-payload" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 \
    "$work" "$ROOT/fuzz/corpus"
