#!/usr/bin/env bash
X
# Reliability section for what it still reports and why).
#   scripts/tsan.sh [ctest arguments, e.g. -R stress]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/scripts/setup.sh"
configure_and_build "$ROOT/build-tsan" -DCMAKE_BUILD_TYPE=Debug -DAIOEVT_SANITIZE=thread \
    -DAIOEVT_BUILD_BENCHMARKS=OFF
cd "$ROOT/build-tsan"
TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 history_size=7" \
    ctest --output-on-failure --timeout 600 "$@"
