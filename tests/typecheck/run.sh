#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh KDIR [OUTDIR]: prove GMM_TYPE()'s build-time checks against the
# kernel tree KDIR: case 0 (every kind of field it takes) must build, and
# each bad case must fail to compile with GMM_TYPE's own message.
# Exit status 0 when all cases behave, 1 otherwise.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:?usage: run.sh KDIR [OUTDIR]}
out=${2:-$(mktemp -d)}
mkdir -p "$out/tests" "$out/include"
rsync -a --delete "$here/" "$out/tests/typecheck/"
rsync -a --delete "$here/../../include/" "$out/include/"
want=(""
      "is not aligned to a pointer"
      "is not a pointer or an array of pointers"
      "lies beyond GMM_TYPE_MAP_BITS words")
rc=0
for c in 0 1 2 3; do
	log=$out/case$c.log
	make -C "$kdir" M="$out/tests/typecheck" CASE=$c W=1 clean > /dev/null 2>&1
	if make -C "$kdir" M="$out/tests/typecheck" CASE=$c W=1 modules > "$log" 2>&1; then
		built=1
	else
		built=0
	fi
	if [ $c = 0 ]; then
		if [ $built = 1 ] && ! grep -q 'warning:' "$log"; then
			echo "typecheck case 0 (good struct): builds, ok"
		else
			echo "typecheck case 0 (good struct): FAILED to build cleanly (see $log)"
			rc=1
		fi
	elif [ $built = 0 ] && grep -q "GMM_TYPE: field .* ${want[$c]}" "$log"; then
		echo "typecheck case $c (${want[$c]}): refused, ok"
	else
		echo "typecheck case $c (${want[$c]}): NOT refused as expected (see $log)"
		rc=1
	fi
done
exit $rc
