#!/usr/bin/env bash
# The GitHub Action's install step: puts diffsmith on this runner and writes
# its path as the step output `path` (and its folder to GITHUB_PATH, so later
# steps can call `diffsmith`). In order:
#   1. DIFFSMITH_ACTION_BIN, when it names an executable (a self-hosted runner
#      with diffsmith installed, or the tests);
#   2. a .deb: INPUT_DEB (a path or an https URL), else the release asset
#      diffsmith_<version>_<arch>.deb of the action's own ref; installed with
#      `apt-get install ./…deb`, which refuses when the runner's distribution
#      cannot meet its Depends (the .deb is built on Debian 12);
#   3. otherwise, a build of the binary from the action's own source.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${GITHUB_OUTPUT:-/dev/null}
tmp=$(mktemp -d "${RUNNER_TEMP:-/tmp}/diffsmith-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

found() {  # found PATH HOW
  echo "diffsmith: using $1 ($2)"
  "$1" --version
  echo "path=$1" >>"$out"
  if [ -n "${GITHUB_PATH:-}" ]; then dirname "$1" >>"$GITHUB_PATH"; fi
  exit 0
}

if [ -n "${DIFFSMITH_ACTION_BIN:-}" ]; then
  [ -x "$DIFFSMITH_ACTION_BIN" ] || { echo "::error::DIFFSMITH_ACTION_BIN=$DIFFSMITH_ACTION_BIN is not an executable" >&2; exit 2; }
  found "$DIFFSMITH_ACTION_BIN" "DIFFSMITH_ACTION_BIN"
fi

install_deb() {  # install_deb FILE: 0 when installed
  command -v apt-get >/dev/null || { echo "diffsmith: no apt-get on this runner"; return 1; }
  echo "diffsmith: installing $1"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1"
}

deb="${INPUT_DEB:-}"
arch=$(dpkg --print-architecture 2>/dev/null || echo unknown)
version=$(sed -n 's/^project(diffsmith VERSION \([0-9.]*\).*/\1/p' "$here/CMakeLists.txt")
if [ -z "$deb" ] && [ -n "${GITHUB_ACTION_REPOSITORY:-}" ] && [ -n "${GITHUB_ACTION_REF:-}" ]; then
  deb="https://github.com/$GITHUB_ACTION_REPOSITORY/releases/download/$GITHUB_ACTION_REF/diffsmith_${version}_${arch}.deb"
fi
case "$deb" in
  https://* | http://* | file://*)
    if curl -fsSL --retry 2 -o "$tmp/diffsmith_${version}_${arch}.deb" "$deb"; then
      deb="$tmp/diffsmith_${version}_${arch}.deb"
    else
      echo "diffsmith: no package at $deb"
      deb=""
    fi
    ;;
esac
if [ -n "$deb" ]; then
  [ -f "$deb" ] || { echo "::error::input deb: $deb does not exist" >&2; exit 2; }
  case "$deb" in /*) ;; *) deb="$PWD/$deb" ;; esac  # apt-get needs a path, not a name
  if install_deb "$deb" && command -v diffsmith >/dev/null; then
    found "$(command -v diffsmith)" "from $deb"
  fi
  echo "diffsmith: the package does not install here; building from source instead"
fi

# The build dependencies of scripts/packages.txt, then the binary only (the
# test suite needs Catch2 v2, which other distributions may not have).
echo "diffsmith: building from $here"
missing=$(while read -r p; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done <"$here/scripts/packages.txt")
if [ -n "$missing" ]; then
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
fi
cmake -S "$here" -B "$here/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
cmake --build "$here/build" --target diffsmith >&2
found "$here/build/diffsmith" "built from source"
