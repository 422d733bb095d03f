#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# install-test.sh - make check's tests of the ways gmm is installed, on the
# host (nothing is loaded):
#
#  1. `make install DESTDIR=<tmp>` against Debian's 6.1 headers puts exactly
#     the expected files there (gmm.ko, gmmctl, libgmm static and shared
#     with its soname links, both headers, both man pages); a program built
#     against the installed headers and library only links; `make
#     uninstall DESTDIR=<tmp>` leaves no file behind.
#  2. As root: `make dkms-install KVER=<Debian's 6.1>` registers, builds and
#     installs gmm.ko with DKMS (the host runs another kernel, so the
#     release is given), the module lands where DKMS puts it, depmod knows
#     it; `make dkms-remove` takes all of it away again.  Any gmm of this
#     version left registered by an earlier, failed run is removed first,
#     and the DKMS signing key is deleted again if this run created it.
#
# Works on a copy of the tree in $GMM_BUILD/src-install, so the checkout
# gets no build products.  Records go to records.txt like every test.
# Usage: install-test.sh   (called by check.sh; GMM_BUILD as there)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p "$logs"
[ -f "$record" ] || : > "$record"
version=$(sed -n 's/^#define GMM_VERSION "\(.*\)"$/\1/p' "$top/gmm/internal.h")

sv=$(stock_version) || {
	rec FAIL "install: make install" "no Debian 6.1 kernel with headers"
	exit 0
}
kdir=/usr/src/linux-headers-$sv

src=$build/src-install
mkdir -p "$src"
rsync -a --delete --exclude /build --exclude /.git --exclude '*.o' --exclude '*.ko' \
	--exclude '.*.cmd' --exclude '*.a' --exclude '*.so*' "$top/" "$src/"
# Programs built in the checkout (perhaps static, for a VM) are not reused.
make -s -C "$src/tools" clean > /dev/null 2>&1 || true

# --- make install / uninstall into a DESTDIR --------------------------------
dest=$build/install-root
rm -rf "$dest"
mkdir -p "$dest"
log=$logs/install.log
p=usr/local
expected=(
	"lib/modules/$sv/extra/gmm.ko"
	"$p/sbin/gmmctl"
	"$p/lib/libgmm.a"
	"$p/lib/libgmm.so"
	"$p/include/gmm.h"
	"$p/include/linux/gmm.h"
	"$p/share/man/man8/gmmctl.8"
	"$p/share/man/man3/libgmm.3"
)
# The page of gmmctl serve, every file of it.
for f in "$top"/tools/gmmctl/serve/www/*; do
	expected+=("$p/share/gmmctl/www/${f##*/}")
done
if make -C "$src" install DESTDIR="$dest" KDIR="$kdir" > "$log" 2>&1; then
	problems=()
	for f in "${expected[@]}"; do
		[ -e "$dest/$f" ] || problems+=("missing $f")
	done
	# The shared library: libgmm.so -> soname -> a real file with that soname.
	so=$dest/$p/lib/libgmm.so
	soname=$(readlink "$so" 2>/dev/null || true)
	real=$(readlink -f "$so" 2>/dev/null || true)
	if [ -z "$soname" ] || [ ! -f "$real" ]; then
		problems+=("libgmm.so is not a link to the library")
	else
		expected+=("$p/lib/$soname")
		[ "$(basename "$real")" = "$soname" ] || expected+=("$p/lib/$(basename "$real")")
		readelf -d "$real" | grep "Library soname: \[$soname\]" > /dev/null ||
			problems+=("libgmm.so links to $soname, which is not the library's SONAME")
	fi
	# Nothing unexpected: every file and link install made is in the list.
	while read -r f; do
		printf '%s\n' "${expected[@]}" | grep -xF "$f" > /dev/null || problems+=("unexpected $f")
	done < <(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort)
	mv="$(modinfo -F version "$dest/lib/modules/$sv/extra/gmm.ko" 2>/dev/null || true)"
	[ "$mv" = "$version" ] || problems+=("gmm.ko has version '$mv', not $version")
	# A user of the library needs nothing but what was installed: the
	# installed gmm.h, <linux/gmm.h> and libgmm.so (the tree's own include
	# directories are not on the compiler's path).
	cat > "$build/install-user.c" <<'EOF'
#include <gmm.h>
#include <linux/gmm.h>

int main(void)
{
	struct gmm *g = gmm_open(NULL, 0);

	if (g)
		gmm_close(g);
	return GMM_ABI_MAJOR == 0;
}
EOF
	if ! gcc -std=c11 -Wall -Wextra -Werror -I"$dest/$p/include" \
		-o "$build/install-user" "$build/install-user.c" \
		-L"$dest/$p/lib" -lgmm >> "$log" 2>&1; then
		problems+=("a program using the installed gmm.h and libgmm does not build (see $log)")
	fi
	if [ ${#problems[@]} = 0 ]; then
		rec PASS "install: make install DESTDIR puts the ${#expected[@]} expected files"
	else
		rec FAIL "install: make install DESTDIR puts the ${#expected[@]} expected files" \
			"$(printf '%s; ' "${problems[@]}")"
	fi
	if make -C "$src" uninstall DESTDIR="$dest" KDIR="$kdir" >> "$log" 2>&1; then
		left=$(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\./||' | tr '\n' ' ')
		if [ -z "$left" ]; then
			rec PASS "install: make uninstall DESTDIR removes them all"
		else
			rec FAIL "install: make uninstall DESTDIR removes them all" "left: $left"
		fi
	else
		rec FAIL "install: make uninstall DESTDIR" "see $log"
	fi
else
	rec FAIL "install: make install DESTDIR" \
		"$(grep -E 'cannot|No such file or directory$|error:|\*\*\*' "$log" | grep -v 'SSL error' |
		   tail -n 3 | tr '\n' ' ')(see $log)"
fi

# --- DKMS on Debian's 6.1 headers --------------------------------------------
if [ "$(id -u)" != 0 ]; then
	rec SKIP "dkms: install and remove on $sv" "needs root"
	exit 0
fi
if ! command -v dkms >/dev/null; then
	rec FAIL "dkms: install and remove on $sv" "dkms is not installed (tools/vm/deps.sh check installs it)"
	exit 0
fi
log=$logs/dkms.log
: > "$log"
# One DKMS test at a time on this machine.
exec 8>/run/lock/gmm-dkms.lock
flock 8
mok_before=0
[ -e /var/lib/dkms/mok.key ] && mok_before=1
moddir=/lib/modules/$sv/updates/dkms
if make -C "$src" dkms-install KVER="$sv" >> "$log" 2>&1; then
	problems=()
	ko=$( { find "/lib/modules/$sv/updates" "/lib/modules/$sv/extra" -name 'gmm.ko*' 2>/dev/null || true; } | head -n 1)
	if [ -z "$ko" ]; then
		problems+=("no gmm.ko under /lib/modules/$sv/updates or extra")
	else
		case "$ko" in "$moddir"/gmm.ko*) ;; *) problems+=("gmm.ko is at $ko, not in $moddir") ;; esac
		mv=$(modinfo -F version "$ko" 2>/dev/null || true)
		[ "$mv" = "$version" ] || problems+=("installed gmm.ko has version '$mv'")
		grep -q '/gmm\.ko' "/lib/modules/$sv/modules.dep" ||
			problems+=("gmm.ko is not in modules.dep")
	fi
	dkms status -m gmm -v "$version" -k "$sv" 2>/dev/null | grep ': installed' > /dev/null ||
		problems+=("dkms status does not say installed: $(dkms status -m gmm 2>&1 | tr '\n' ' ')")
	[ -f "/usr/src/gmm-$version/dkms.conf" ] || problems+=("no /usr/src/gmm-$version/dkms.conf")
	if [ ${#problems[@]} = 0 ]; then
		rec PASS "dkms: make dkms-install KVER=$sv installs ${ko#/lib/modules/"$sv"/}"
	else
		rec FAIL "dkms: make dkms-install KVER=$sv" "$(printf '%s; ' "${problems[@]}")(see $log)"
	fi
else
	rec FAIL "dkms: make dkms-install KVER=$sv" \
		"$(grep -E -m3 'rror|failed' "$log" | tr '\n' ' ')(see $log)"
fi

# Remove it whatever happened above, and check that nothing is left.
make -C "$src" dkms-remove >> "$log" 2>&1 || true
left=()
[ -z "$(dkms status -m gmm -v "$version" 2>/dev/null)" ] || left+=("dkms still lists gmm/$version")
[ ! -e "/usr/src/gmm-$version" ] || left+=("/usr/src/gmm-$version")
[ ! -e "/var/lib/dkms/gmm/$version" ] || left+=("/var/lib/dkms/gmm/$version")
for f in "$moddir"/gmm.ko* "$moddir"/gmm_test.ko*; do
	[ ! -e "$f" ] || left+=("$f")
done
! grep -q '/gmm\.ko' "/lib/modules/$sv/modules.dep" || left+=("gmm.ko still in modules.dep")
if [ $mok_before = 0 ]; then
	rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
fi
if [ ${#left[@]} = 0 ]; then
	rec PASS "dkms: make dkms-remove leaves nothing behind"
else
	rec FAIL "dkms: make dkms-remove leaves nothing behind" "$(printf '%s; ' "${left[@]}")(see $log)"
fi
