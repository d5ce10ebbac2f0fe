#!/usr/bin/env bash
# Checks a diffsmith .deb (CI runs it after scripts/package.sh):
#   1. dpkg-deb --info: the control fields, computed Depends included;
#   2. lintian: warnings are listed, errors fail;
#   3. a clean root: the files of the package plus those of its declared
#      Depends and their dependencies (as installed here), and python3 and
#      dash for the demo's test command -- nothing else -- and, inside it
#      (bubblewrap), `diffsmith --version` and `diffsmith demo`. A library the
#      binary needs but the package does not declare is missing there.
# Usage: scripts/check-deb.sh DEB
set -euo pipefail
deb=$(realpath "${1:?usage: check-deb.sh DEB}")
root=$(mktemp -d /tmp/ds-debroot-XXXXXX)
trap 'rm -rf "$root"' EXIT

echo "-- dpkg-deb --info"
dpkg-deb --info "$deb"
depends=$(dpkg-deb -f "$deb" Depends)
[ -n "$depends" ] || { echo "check-deb: the package declares no Depends" >&2; exit 1; }

echo "-- lintian"
if command -v lintian >/dev/null; then
  # Exit status 1 means errors (or a lintian failure); warnings only print.
  if ! lintian --tag-display-limit 0 "$deb"; then
    echo "check-deb: lintian reports errors" >&2
    exit 1
  fi
else
  echo "check-deb: lintian is not installed (apt-get install lintian)" >&2
  exit 1
fi

echo "-- clean root"
# The dependency closure of the declared Depends: first installed alternative,
# versions and architecture qualifiers dropped.
first_installed() {  # first_installed "a | b": the first installed alternative
  local alt
  for alt in $(tr '|' '\n' <<<"$1" | sed -e 's/([^)]*)//g' -e 's/:[a-z0-9]*//' -e 's/[[:space:]]//g'); do
    if dpkg-query -W -f='${Status}' "$alt" 2>/dev/null | grep -q 'ok installed'; then echo "$alt"; return; fi
  done
}
declare -A seen=()
queue=()
while IFS= read -r group; do queue+=("$group"); done < <(printf '%s\n' "$depends, python3, dash" | tr ',' '\n')
while [ ${#queue[@]} -gt 0 ]; do
  group=${queue[0]}
  queue=("${queue[@]:1}")
  [ -n "${group// /}" ] || continue
  pkg=$(first_installed "$group")
  if [ -z "$pkg" ]; then
    echo "check-deb: none of \"$group\" is installed here; cannot build the clean root" >&2
    exit 1
  fi
  [ -z "${seen[$pkg]:-}" ] || continue
  seen[$pkg]=1
  deps=$(dpkg-query -W -f='${Pre-Depends}, ${Depends}' "$pkg")
  while IFS= read -r g; do queue+=("$g"); done < <(tr ',' '\n' <<<"$deps")
done
echo "${#seen[@]} packages: ${!seen[*]}"
mkdir -p "$root/usr/bin" "$root/usr/lib" "$root/usr/lib64" "$root/usr/sbin"
for d in bin lib lib64 sbin; do ln -s "usr/$d" "$root/$d"; done
for pkg in "${!seen[@]}"; do dpkg-query -L "$pkg"; done |
  grep -v -e '^/usr/share/doc' -e '^/usr/share/man' -e '^/usr/share/locale' |
  while IFS= read -r f; do if [ -f "$f" ] || [ -L "$f" ]; then echo "${f#/}"; fi; done |
  tar -C / --no-recursion -cf - -T - | tar -C "$root" --keep-directory-symlink -xf -
dpkg -x "$deb" "$root"
echo "clean root: $(du -sh "$root" | cut -f1)"
in_root() {
  bwrap --bind "$root" / --proc /proc --dev /dev --tmpfs /tmp --clearenv \
    --setenv PATH /usr/bin:/bin --setenv HOME /tmp --setenv NO_COLOR 1 "$@"
}
in_root /usr/bin/diffsmith --version
in_root /usr/bin/diffsmith demo
echo "check-deb: ok"
