#!/usr/bin/env bash
# Builds everything and runs the whole test suite with CTest: once in a normal build,
# then again under AddressSanitizer + UndefinedBehaviorSanitizer with leak checking, then
# the threading tests (stress, faults, model, ordering, emit, callbacks) under
# ThreadSanitizer.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/scripts/setup.sh"

echo "== build (RelWithDebInfo)"
configure_and_build "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "== tests"
(cd "$ROOT/build" && ctest --output-on-failure --timeout 300)

echo "== API documentation (Doxygen; a warning fails)"
cmake --build "$ROOT/build" --target docs
echo "== formatting (clang-format)"
(cd "$ROOT" && git ls-files '*.h' '*.cpp' | xargs clang-format --dry-run --Werror)

echo "== build (ASan + UBSan)"
configure_and_build "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug \
    -DAIOEVT_SANITIZE="address;undefined"
echo "== tests under ASan + UBSan"
(cd "$ROOT/build-asan" &&
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp" \
    ctest --output-on-failure --timeout 600)

echo "== build (ThreadSanitizer: the threading tests)"
tsan_tests=(tst_stress tst_faults tst_model tst_ordering tst_emit tst_callbacks)
cmake -S "$ROOT" -B "$ROOT/build-tsan" -G Ninja -DAIOEVT_WARNINGS_AS_ERRORS=ON \
    -DCMAKE_BUILD_TYPE=Debug -DAIOEVT_SANITIZE=thread -DAIOEVT_BUILD_EXAMPLES=OFF \
    -DAIOEVT_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$ROOT/build-tsan" --parallel "$JOBS" --target "${tsan_tests[@]}"
echo "== threading tests under ThreadSanitizer"
(cd "$ROOT/build-tsan" &&
    TSAN_OPTIONS="suppressions=$ROOT/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 history_size=7" \
    ctest --output-on-failure --timeout 600 -R "^(stress|faults|model|ordering|emit|callbacks)$")

echo "== fuzzing the MQTT payload decoder (libFuzzer, 30 s)"
bash "$ROOT/scripts/fuzz.sh" 30 2>&1 | tail -n 25
