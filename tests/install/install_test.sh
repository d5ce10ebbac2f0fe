#!/usr/bin/env bash
# `cmake --install BUILD --prefix TMP`, then the installed tree must work on
# its own: the binary runs its offline demo (prompts and the recorded session
# are embedded), and the man page and completions are where shells and man
# look for them. Registered in CMakeLists.txt as the ctest test install_demo.
set -euo pipefail
build=${1:?usage: install_test.sh BUILD_DIR}
prefix=$(mktemp -d /tmp/ds-install-XXXXXX)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || { cat "$prefix.log" >&2; rm -f "$prefix.log"; fail "cmake --install failed"; }
rm -f "$prefix.log"

for f in bin/diffsmith share/man/man1/diffsmith.1.gz share/bash-completion/completions/diffsmith \
         share/zsh/vendor-completions/_diffsmith share/fish/vendor_completions.d/diffsmith.fish \
         share/doc/diffsmith/README.md share/doc/diffsmith/batch.md share/doc/diffsmith/copyright \
         share/diffsmith/merge-shards.sh; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
# Only those: the binary needs nothing else at run time (no prompts directory).
extra=$(cd "$prefix" && find . -type f | grep -v -e '^./bin/diffsmith$' -e '^./share/' || true)
[ -z "$extra" ] || fail "unexpected files installed: $extra"

# The installed binary, from a directory that is not the source tree, with a
# HOME of its own.
home=$prefix/home
mkdir -p "$home"
cd "$home"
env -u OPENAI_API_KEY HOME="$home" NO_COLOR=1 "$prefix/bin/diffsmith" --version | grep -q '^diffsmith ' \
  || fail "--version of the installed binary"
out=$(env -u OPENAI_API_KEY HOME="$home" NO_COLOR=1 "$prefix/bin/diffsmith" demo 2>&1) \
  || { echo "$out" >&2; fail "the installed binary's demo failed"; }
grep -q 'run solved' <<<"$out" || { echo "$out" >&2; fail "the demo did not end solved"; }

# The man page renders without warnings, and documents the run options.
if command -v man >/dev/null; then
  page=$(MANWIDTH=100 man --warnings -l "$prefix/share/man/man1/diffsmith.1.gz" 2>"$prefix/man.err")
  [ ! -s "$prefix/man.err" ] || { cat "$prefix/man.err" >&2; fail "man reports problems in diffsmith.1"; }
  grep -q -- '--max-turns' <<<"$page" || fail "the man page lacks --max-turns"
fi
echo "install_test: ok ($prefix)"
