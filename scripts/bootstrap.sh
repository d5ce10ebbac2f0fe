#!/usr/bin/env bash
# Installs diffsmith's build dependencies (Debian 12 packages only) and
# builds it into ./build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=$(while read -r p; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done < scripts/packages.txt)
if [ -n "$missing" ]; then
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${DIFFSMITH_CMAKE_ARGS:-}
cmake --build build
