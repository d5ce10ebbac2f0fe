#!/usr/bin/env bash
# Installs the Debian 12 packages diffsmith builds with (scripts/packages.txt),
# with sudo when not root; installs nothing when all are there.
# Usage: scripts/install-deps.sh [EXTRA_PACKAGE ...]
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=$(for p in $(cat scripts/packages.txt) "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi
