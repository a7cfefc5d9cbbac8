#!/usr/bin/env bash
# Runs the stress test (tests/tst_stress.cpp) in a loop for N minutes and prints, after
# every round: time, events emitted and delivered, waits fulfilled and timed out,
# register/unregister cycles, drops (none are expected: every target thread lives), the
# heap in use (which must stay flat: it would grow with a leak) and the resident memory
# (which keeps the allocator's peak). Not part of CI.
#   scripts/soak.sh [MINUTES=10] [EVENTS_PER_EMITTER_PER_ROUND=20000]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
minutes="${1:-10}"
events="${2:-20000}"
bash "$ROOT/scripts/setup.sh"
configure_and_build "$ROOT/build-release" -DCMAKE_BUILD_TYPE=Release -DAIOEVT_BUILD_TESTS=ON \
    -DAIOEVT_BUILD_EXAMPLES=OFF >/dev/null
AIOEVT_SOAK_SECONDS=$((minutes * 60)) AIOEVT_STRESS_EVENTS="$events" \
    "$ROOT/build-release/tests/tst_stress" -maxwarnings 0
