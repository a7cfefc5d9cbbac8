#!/usr/bin/env bash
# Builds everything and runs the whole test suite with CTest: once in a normal build,
# then again under AddressSanitizer + UndefinedBehaviorSanitizer with leak checking.
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
