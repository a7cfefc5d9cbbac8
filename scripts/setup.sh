#!/usr/bin/env bash
# Installs every Debian package aioevt needs to build, test, run its examples and
# build its documentation. Idempotent: prints nothing and changes nothing when all
# packages are already present. Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build clang clang-format git
  qt6-base-dev qt6-base-dev-tools qmake6
  qt6-declarative-dev qt6-declarative-dev-tools
  qml6-module-qtqml-workerscript qml6-module-qtqml-models
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-templates qml6-module-qtquick-window
  qt6-qpa-plugins libgl-dev
  qcoro-qt6-dev
  doxygen gnuplot-nox
  mosquitto mosquitto-clients libmosquitto-dev libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
