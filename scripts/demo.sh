#!/usr/bin/env bash
# Builds and runs the demo: two worker QThreads and the main thread exchanging events.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bash "$ROOT/scripts/setup.sh"
configure_and_build "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
exec "$ROOT/build/examples/aioevt-example-01"
