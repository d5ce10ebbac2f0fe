#!/usr/bin/env bash
# Installs diffsmith's build dependencies (Debian 12 packages only) and
# builds it into ./build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${DIFFSMITH_CMAKE_ARGS:-}
cmake --build build
