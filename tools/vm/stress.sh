#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh - what `make stress` runs: the debug kernel (KASAN, lockdep,
# kmemleak) with the KUnit module, the collector's stress suite running
# GMM_STRESS_SECONDS (default 600) with checkmark=1, 4 vCPUs; the run is
# judged like make check's (console scan, KTAP) and ends with
# "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

secs=${GMM_STRESS_SECONDS:-600}
"$top/tools/vm/deps.sh" check || exit 2
rm -rf "$logs"
mkdir -p "$logs"
: > "$record"
ktree=$(debug_tree) || exit 1
dbg=$(build_gmm debug "$ktree") || { summary; exit 1; }
"$top/tools/vm/mkinitramfs.sh" "$build/initrd-stress.cpio.gz" \
	"$dbg/gmm.ko=lib/gmm/gmm.ko" "$dbg/gmm_test.ko=lib/gmm/gmm_test.ko"
say "VM: debug kernel, stress suite for $secs s (4 vCPUs)"
"$top/tools/vm/run-vm.sh" -k "$ktree/arch/x86/boot/bzImage" \
	-i "$build/initrd-stress.cpio.gz" -p stress -a "$secs" -s 4 -m 2048 \
	-t $((secs * 3 + 900)) -o "$logs/stress"
st=$?
"$top/tools/vm/scan-log.py" --name stress --console "$logs/stress/console.log" \
	--results "$logs/stress/results.log" --vm-status $st \
	--kunit-py "$ktree/tools/testing/kunit/kunit.py" --record "$record"
summary
