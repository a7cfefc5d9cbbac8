# SPDX-License-Identifier: MIT
# Shared by the scripts: where things are, and one configure+build step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOBS="${JOBS:-$(nproc)}"

# configure_and_build DIR [cmake args...]: configures once, then builds incrementally.
configure_and_build() {
    local dir="$1"
    shift
    cmake -S "$ROOT" -B "$dir" -G Ninja -DAIOEVT_WARNINGS_AS_ERRORS=ON "$@" >/dev/null
    cmake --build "$dir" --parallel "$JOBS"
}
