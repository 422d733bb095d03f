#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh - build (or reuse) one of gmm's test kernels.
#
# Usage: build-kernel.sh [debug|kcsan]   (default: debug)
#
# The kernel is Debian's linux-source-6.1 configured from `make tinyconfig`
# plus tools/vm/debug.config (KUnit, KASAN, lockdep, kmemleak, fault
# injection, ...).  The kcsan profile adds tools/vm/kcsan.config on top:
# KCSAN instead of KASAN (the two exclude each other), for make stress.
# The build lives outside the checkout, in
#   ${GMM_CACHE:-~/.cache/gmm}/kernel-<source version>-<inputs hash>/   (debug)
#   ${GMM_CACHE:-~/.cache/gmm}/kernel-kcsan-<source version>-<hash>/    (kcsan)
# and is reused as long as the source package version, the config fragments
# and this script are unchanged.  Prints the tree's path on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${GMM_CACHE:-$HOME/.cache/gmm}
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${GMM_JOBS:-$(( $(nproc) + 1 ))}

log() { echo "build-kernel: $*" >&2; }

[ -f "$tarball" ] || { log "missing $tarball (apt-get install linux-source-6.1)"; exit 2; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %Y "$tarball")
profile=${1:-debug}
case "$profile" in
debug)	frags=("$here/debug.config"); prefix=kernel; sanitizer=KASAN ;;
kcsan)	frags=("$here/debug.config" "$here/kcsan.config"); prefix=kernel-kcsan
	sanitizer=KCSAN ;;
*)	log "unknown profile $profile (debug or kcsan)"; exit 2 ;;
esac
key=$(cat "${frags[@]}" "$here/build-kernel.sh" | sha256sum | cut -c1-12)
tree="$cache/$prefix-$srcver-$key"

mkdir -p "$cache"
exec 9>"$cache/.kernel.lock"
flock 9

if [ -f "$tree/.gmm-built" ]; then
	log "reusing $tree"
	echo "$tree"
	exit 0
fi

work="$tree.tmp"
rm -rf "$work"
mkdir -p "$work"
log "extracting $tarball (linux-source $srcver)"
tar -C "$work" --strip-components=1 -xJf "$tarball"

cd "$work"
log "configuring: tinyconfig + ${frags[*]##*/}"
make -s tinyconfig >&2
scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >&2
make -s olddefconfig >&2

# merge_config silently drops options whose dependencies are not met:
# insist on the ones the tests rely on.
missing=0
for opt in BUG DEBUG_VM KUNIT $sanitizer PROVE_LOCKING DEBUG_KMEMLEAK FAIL_PAGE_ALLOC DEBUG_FS \
	   MODULE_UNLOAD SERIAL_8250_CONSOLE BLK_DEV_INITRD DEVTMPFS_MOUNT \
	   DEBUG_ATOMIC_SLEEP DEBUG_LIST DEBUG_PREEMPT EVENT_TRACING MEMCG \
	   HOTPLUG_CPU FAULT_INJECTION_DEBUG_FS SLUB ACPI; do
	if ! grep -q "^CONFIG_$opt=y" .config; then
		log "CONFIG_$opt did not make it into .config"
		missing=1
	fi
done
[ $missing -eq 0 ] || exit 1

log "building bzImage and modules with -j$jobs (about 10 minutes on 2 cores)"
start=$(date +%s)
make -s -j"$jobs" bzImage modules >&2
log "built in $(( $(date +%s) - start )) s"

touch .gmm-built
cd /
rm -rf "$tree"
mv "$work" "$tree"
# Keep only the newest few trees of this profile.
ls -dt "$cache/$prefix"-[0-9]*/ 2>/dev/null | tail -n +3 | xargs -r rm -rf
echo "$tree"
