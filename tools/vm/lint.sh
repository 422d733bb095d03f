#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lint.sh - the static checks of gmm's sources (`make lint`; make check runs
# them too).  One record per kind of check; any finding fails it, and the
# findings are printed.
#
#   checkpatch  scripts/checkpatch.pl --no-tree --strict on every kernel
#               source: gmm/, include/, tests/kunit, tests/workload,
#               tests/bench and the harness's broken modules
#   kernel-doc  scripts/kernel-doc -none -Wall (-v where -Wall is unknown) on
#               every kernel source that exports symbols and on both gmm.h
#   build       gmm.ko (and gmm_test.ko on the debug tree) with W=1 and
#               sparse (C=2): against the cached debug kernel when it is
#               built for the current inputs, else against Debian's 6.1
#               headers.  Not under --in-check: check.sh builds that already.
#   tools       the user-space tools (tools/Makefile, -Wall -Wextra -Werror)
#   man         the man pages through groff -ww (make -C tools check-man)
#   shell       shellcheck on every shell script in the tree
#   rst         Documentation/*.rst through docutils, warnings are errors
#               (tools/vm/rst-check.py)
#   params      every module_param of gmm/ and tests/ is documented in
#               Documentation/admin-guide.rst
#   kconfig     tests/kunit/.kunitconfig and tests/selftests/config ask for
#               nothing tools/vm/debug.config does not set
#   version     dkms.conf's PACKAGE_VERSION is gmm/internal.h's GMM_VERSION
#
# Usage: lint.sh [--in-check]
#   alone:      logs and records in $GMM_BUILD/lint/ (default build/lint/),
#               ends with "N passed, N failed", exits 1 on any finding;
#   --in-check: from check.sh: records appended to its records.txt, logs in
#               build/logs/lint/.
# checkpatch.pl and kernel-doc come from the cached debug kernel tree
# (~/.cache/gmm/kernel-*, tools/vm/build-kernel.sh) or, without one, from
# Debian's linux-source-6.1 tarball.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

in_check=0
[ "${1:-}" = --in-check ] && in_check=1

if [ $in_check = 1 ]; then
	ldir=$logs/lint
else
	"$top/tools/vm/deps.sh" lint || exit 2
	ldir=$build/lint
	record=$ldir/records.txt
	rm -rf "$ldir"
fi
mkdir -p "$ldir"
[ $in_check = 1 ] || : > "$record"
cache=${GMM_CACHE:-$HOME/.cache/gmm}

# finish KIND NAME: record KIND's result from $ldir/KIND.log (one finding
# per line; empty means clean) and print the findings.
finish() {
	local kind=$1 name=$2 log=$ldir/$1.log n
	n=$(grep -c . "$log" || true)
	if [ "$n" = 0 ]; then
		rec PASS "lint: $name"
	else
		rec FAIL "lint: $name" "$n finding(s), first: $(head -n 1 "$log") (see $log)"
		{
			echo "---- $kind: $n finding(s)"
			head -n 200 "$log"
		} >&2
	fi
}

# kscripts: a directory with the kernel's checkpatch.pl (and its
# spelling.txt and const_structs.checkpatch) and kernel-doc.
kscripts() {
	local t
	for t in $(find "$cache" -maxdepth 1 -name 'kernel-*' -type d 2>/dev/null | sort -r); do
		if [ -x "$t/scripts/checkpatch.pl" ] && [ -f "$t/scripts/spelling.txt" ]; then
			echo "$t/scripts"
			return 0
		fi
	done
	t=$build/kscripts
	if [ ! -x "$t/scripts/checkpatch.pl" ]; then
		say "extracting checkpatch.pl and kernel-doc from /usr/src/linux-source-6.1.tar.xz"
		rm -rf "$t"
		mkdir -p "$t"
		tar -C "$t" --strip-components=1 -xJf /usr/src/linux-source-6.1.tar.xz \
			--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' '*/scripts/kernel-doc' >&2 ||
			return 1
	fi
	echo "$t/scripts"
}

cd "$top"
ks=$(kscripts) || { rec FAIL "lint: checkpatch" "no checkpatch.pl (linux-source-6.1 missing?)"; ks=; }

# Kernel sources: the C files every Kbuild file names (as x.o in obj-m or
# in a module's -y list), the headers beside them, and include/.  User-space
# programs that share a directory with a module are not kernel sources.
ksources() {
	local kb d o
	for kb in Kbuild $(find tests samples -name Kbuild 2>/dev/null | sort); do
		d=$(dirname "$kb")
		sed -e 's/#.*//' "$kb" | grep -Eo '[A-Za-z0-9_./-]+\.o' |
			while read -r o; do
				o=${o#./}
				[ -f "$d/${o%.o}.c" ] || continue
				echo "$d/${o%.o}.c" | sed 's|^\./||'
			done
	done | sort -u > "$ldir/ksources.c"
	{
		cat "$ldir/ksources.c"
		xargs -r -n 1 dirname < "$ldir/ksources.c" | sort -u |
			while read -r d; do find "$d" -maxdepth 1 -name '*.h'; done
		find include -name '*.h'
	} | sort -u
}
mapfile -t kfiles < <(ksources)

# checkpatch.  The harness's broken module calls BUG() on purpose: that is
# the crash the harness must catch.
if [ -n "$ks" ]; then
	mapfile -t broken < <(printf '%s\n' "${kfiles[@]}" | grep '^tests/harness/broken/' || true)
	mapfile -t others < <(printf '%s\n' "${kfiles[@]}" | grep -v '^tests/harness/broken/' || true)
	{
		"$ks/checkpatch.pl" --no-tree --strict --terse --show-types -f "${others[@]}" 2>&1
		if [ ${#broken[@]} -gt 0 ]; then
			"$ks/checkpatch.pl" --no-tree --strict --terse --show-types \
				--ignore AVOID_BUG -f "${broken[@]}" 2>&1
		fi
	} | grep -v -E '^total: |^$' > "$ldir/checkpatch.log" || true
	finish checkpatch "checkpatch --no-tree --strict (${#kfiles[@]} files)"
fi

# kernel-doc: the newest one that knows -Wall (Debian's 6.12 headers have
# one), else the debug tree's with -v (6.1 knows no -Wall).
kd='' kdflags=''
for c in $(printf '%s\n' /usr/src/linux-headers-*/scripts/kernel-doc | sort -rV) \
	 ${ks:+"$ks/kernel-doc"}; do
	[ -f "$c" ] || continue
	if perl "$c" -none -Wall /dev/null >/dev/null 2>&1; then
		kd=$c kdflags=-Wall
		break
	fi
done
if [ -z "$kd" ] && [ -n "$ks" ]; then
	kd=$ks/kernel-doc kdflags=-v
fi
if [ -n "$kd" ]; then
	mapfile -t docfiles < <({ grep -l 'EXPORT_SYMBOL' "${kfiles[@]}" || true
				 echo include/linux/gmm.h
				 echo include/uapi/linux/gmm.h; } | sort -u)
	perl "$kd" -none "$kdflags" "${docfiles[@]}" 2>&1 |
		grep -E 'warning:|error:' > "$ldir/kernel-doc.log" || true
	finish kernel-doc "kernel-doc -none $kdflags (${#docfiles[@]} files)"
else
	rec FAIL "lint: kernel-doc" "no scripts/kernel-doc found"
fi

# W=1 + sparse build of gmm.ko, standalone only (check.sh builds it).
if [ $in_check = 0 ]; then
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
	key=$(cat "$top/tools/vm/debug.config" "$top/tools/vm/build-kernel.sh" | sha256sum | cut -c1-12)
	dtree=$cache/kernel-$srcver-$key
	logs=$ldir
	if [ -f "$dtree/.gmm-built" ]; then
		build_gmm lint-debug "$dtree" C=2 >/dev/null || true
	elif sv=$(stock_version); then
		build_gmm "lint-$sv" "/usr/src/linux-headers-$sv" C=2 >/dev/null || true
	else
		rec FAIL "lint: W=1 C=2 build" "no debug tree and no Debian 6.1 headers"
	fi
fi

# User space, -Wall -Wextra -Werror, built from a copy of the tree.
usrc=$ldir/src
mkdir -p "$usrc"
rsync -a --delete --exclude '*.o' --exclude '*.a' --exclude '*.so*' \
	"$top/tools" "$top/include" "$usrc/"
if make -C "$usrc/tools" clean all > "$ldir/tools-build.log" 2>&1 &&
   { [ ! -f "$usrc/tools/lib/gmm/Makefile" ] ||
     make -C "$usrc/tools/lib/gmm" clean all >> "$ldir/tools-build.log" 2>&1; }; then
	grep -E 'warning:|error:' "$ldir/tools-build.log" > "$ldir/tools.log" || true
else
	grep -E 'warning:|error:|Error|\*\*\*' "$ldir/tools-build.log" > "$ldir/tools.log" ||
		echo "make -C tools failed (see $ldir/tools-build.log)" > "$ldir/tools.log"
fi
finish tools "user-space tools build with -Wall -Wextra -Werror"

# Man pages through groff's warnings (tools/Makefile's check-man).
if grep -q '^check-man:' tools/Makefile; then
	make -s -C "$usrc/tools" check-man > "$ldir/man-out.log" 2>&1 || true
	grep -v ': no groff warnings$' "$ldir/man-out.log" > "$ldir/man.log" || true
	finish man "man pages without groff warnings (make -C tools check-man)"
fi

# Shell scripts: every file with a sh, bash or busybox sh shebang.
if command -v shellcheck >/dev/null; then
	mapfile -t scripts < <(find tools tests .ci -type f -not -path '*/go/*' \
		-exec sh -c 'head -n 1 "$1" | grep -Eq "^#!.*[/ ](ba|busybox )?sh( |$)"' _ {} \; \
		-print | sort)
	# build-kernel.sh's `ls -dt` (SC2012) sorts the kernel cache by age,
	# which find cannot; its names are ours.  The script is not edited for
	# a directive because its hash keys the debug kernel's cache: any edit
	# rebuilds the kernel and prunes the trees other runs may be using.
	{
		shellcheck -x -P SCRIPTDIR -f gcc -e SC2012 tools/vm/build-kernel.sh
		for f in "${scripts[@]}"; do
			[ "$f" = tools/vm/build-kernel.sh ] || echo "$f"
		done | xargs shellcheck -x -P SCRIPTDIR -f gcc
	} > "$ldir/shellcheck.log" 2>&1 || true
	finish shellcheck "shellcheck (${#scripts[@]} scripts)"
else
	rec FAIL "lint: shellcheck" "shellcheck is not installed (tools/vm/deps.sh lint)"
fi

# reST: docutils, with warnings as errors.
py=
for c in python3 /usr/bin/python3; do
	if "$c" -c 'import docutils' 2>/dev/null; then
		py=$c
		break
	fi
done
if [ -n "$py" ]; then
	"$py" "$top/tools/vm/rst-check.py" Documentation/*.rst > "$ldir/rst.log" 2>&1 || true
	finish rst "reST of Documentation/ builds with docutils, no warnings"
else
	rec FAIL "lint: rst" "docutils is not installed (python3-docutils)"
fi

# Module parameters: each one in the admin guide as ``name``.
: > "$ldir/params.log"
while IFS=: read -r f l name; do
	grep -q "\`\`$name\`\`" Documentation/admin-guide.rst ||
		echo "$f:$l: module parameter '$name' is not in Documentation/admin-guide.rst" \
			>> "$ldir/params.log"
done < <(grep -n -E -o 'module_param(_named|_array)?\([a-z_0-9]+' "${kfiles[@]}" |
	 sed -E 's/module_param(_named|_array)?\(//')
finish params "every module parameter documented in admin-guide.rst"

# The option lists of the suites (kunit.py's .kunitconfig, the kselftest
# config fragment) describe the debug kernel make check boots.
: > "$ldir/kconfig.log"
for frag in tests/kunit/.kunitconfig tests/selftests/config; do
	[ -f "$frag" ] || continue
	grep -n -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS=: read -r l opt; do
		grep -qxF "$opt" tools/vm/debug.config ||
			echo "$frag:$l: $opt is not in tools/vm/debug.config"
	done >> "$ldir/kconfig.log"
done
finish kconfig "tests' kernel option lists are in tools/vm/debug.config"

# DKMS package version.
: > "$ldir/version.log"
gv=$(sed -n 's/^#define GMM_VERSION "\(.*\)"$/\1/p' gmm/internal.h)
dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
[ -n "$gv" ] && [ "$gv" = "$dv" ] ||
	echo "dkms.conf: PACKAGE_VERSION '$dv' is not GMM_VERSION '$gv' (gmm/internal.h)" > "$ldir/version.log"
finish version "dkms.conf PACKAGE_VERSION = GMM_VERSION ($gv)"

if [ $in_check = 0 ]; then
	echo
	echo "logs in $ldir"
	summary
fi
