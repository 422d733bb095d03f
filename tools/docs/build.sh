#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh - build gmm's documentation with Sphinx (`make docs`): the pages
# of Documentation/ as HTML in $GMM_BUILD/docs/html (default build/docs),
# kernel-api.rst's reference pulled from the sources by kernel-doc.
#
# Any warning fails the build: Sphinx's (-W) and kernel-doc's, which the
# kernel-doc directive (sphinx/kerneldoc.py) only echoes on stderr.  The kernel-doc script comes
# from Debian's 6.1 headers (linux-headers-amd64), else from the cached
# debug tree, else from /usr/src/linux-source-6.1.tar.xz; KERNELDOC names
# another.
#
# Usage: build.sh [--in-check]
#   --in-check: from check.sh: one record in its records.txt, the log in
#   build/logs/docs.log.  Exit status: 0 clean, 1 warnings or errors, 2 no
#   Sphinx or no kernel-doc.
set -euo pipefail
# shellcheck source=../vm/lib.sh
. "$(dirname "$0")/../vm/lib.sh"

in_check=0
[ "${1:-}" = --in-check ] && in_check=1
[ $in_check = 1 ] || "$top/tools/vm/deps.sh" docs || exit 2

out=$build/docs
log=$out/sphinx.log
[ $in_check = 1 ] && log=$logs/docs.log
mkdir -p "$out" "$(dirname "$log")"

# finish STATUS MESSAGE: one record under check.sh, a line otherwise.
finish() {
	if [ $in_check = 1 ]; then
		rec "$1" "docs: make docs (Sphinx + kernel-doc, warnings are errors)" "${2:-}"
	else
		echo "docs: $1${2:+ -- $2}"
	fi
}

kerneldoc() {
	local c cache=${GMM_CACHE:-$HOME/.cache/gmm}
	[ -n "${KERNELDOC:-}" ] && { echo "$KERNELDOC"; return 0; }
	for c in $(printf '%s\n' /usr/src/linux-headers-6.1.*/scripts/kernel-doc | sort -rV) \
		 $(find "$cache" -maxdepth 3 -path '*/kernel-*/scripts/kernel-doc' 2>/dev/null | sort -r); do
		[ -f "$c" ] && { echo "$c"; return 0; }
	done
	c=$build/kscripts/scripts/kernel-doc
	if [ ! -f "$c" ] && [ -f /usr/src/linux-source-6.1.tar.xz ]; then
		mkdir -p "$build/kscripts"
		tar -C "$build/kscripts" --strip-components=1 -xJf \
			/usr/src/linux-source-6.1.tar.xz --wildcards '*/scripts/kernel-doc' >&2
	fi
	[ -f "$c" ] && echo "$c"
}

if ! command -v sphinx-build >/dev/null; then
	finish FAIL "no sphinx-build (python3-sphinx)"
	exit 2
fi
if ! kd=$(kerneldoc); then
	finish FAIL "no scripts/kernel-doc (linux-headers-amd64 or linux-source-6.1)"
	exit 2
fi

rm -rf "$out/html" "$out/doctrees"
st=0
KERNELDOC="$kd" sphinx-build -q -W --keep-going -b html \
	-c "$top/tools/docs" -d "$out/doctrees" "$top/Documentation" \
	"$out/html" > "$log" 2>&1 || st=$?
findings=$(grep -E -i 'warning|error' "$log" || true)
if [ $st != 0 ] || [ -n "$findings" ]; then
	echo "$findings" | head -n 40 >&2
	finish FAIL "$(echo "$findings" | grep -c .) finding(s), first: $(echo "$findings" | head -n 1) (see $log)"
	exit 1
fi
finish PASS
[ $in_check = 1 ] || echo "docs: $out/html/index.html"
