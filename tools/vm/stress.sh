#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh - what `make stress` runs, on two kernels, 4 vCPUs each:
#  1. the debug kernel (KASAN, lockdep, kmemleak): every KUnit suite, with
#     the collector's stress suite running GMM_STRESS_SECONDS (default 600)
#     and checkmark=1;
#  2. the KCSAN kernel (tools/vm/kcsan.config: KCSAN instead of KASAN,
#     lockdep and the rest as in 1; built and cached like the debug
#     kernel): the collector's and the allocator's stress suites and the
#     collector invariants for GMM_STRESS_SECONDS, then every selftest.
#     Every KCSAN report ("BUG: KCSAN: data-race ...") fails the run.
# Each run is judged like make check's (console scan, KTAP); the end is
# "N passed, N failed".  GMM_STRESS_KERNELS=debug or =kcsan runs one.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

secs=${GMM_STRESS_SECONDS:-600}
kernels=${GMM_STRESS_KERNELS:-debug kcsan}
"$top/tools/vm/deps.sh" check || exit 2
rm -rf "$logs"
mkdir -p "$logs"
: > "$record"

# stress_run NAME TREE SUITES EXTRA: build against TREE and boot it.
stress_run() {
	local name=$1 tree=$2 suites=$3 extra=$4 out selftests=() t st
	out=$(build_gmm "$name" "$tree") || return 1
	if [ "$extra" = selftests ]; then
		make -s -C "$top/tests/selftests" KSFT_DIR="$tree/tools/testing/selftests" \
			OUTPUT="$build/selftests-$name" > "$logs/build-selftests-$name.log" 2>&1 ||
			rec FAIL "build: selftests for $name" "see $logs/build-selftests-$name.log"
		for t in $(make -s -C "$top/tests/selftests" list); do
			[ -x "$build/selftests-$name/$t" ] &&
				selftests+=("$build/selftests-$name/$t=selftests/$t")
		done
	fi
	"$top/tools/vm/mkinitramfs.sh" "$build/initrd-stress-$name.cpio.gz" \
		"$out/gmm.ko=lib/gmm/gmm.ko" "$out/gmm_test.ko=lib/gmm/gmm_test.ko" \
		"${selftests[@]}"
	say "VM: $name kernel, stress for $secs s (4 vCPUs)"
	"$top/tools/vm/run-vm.sh" -k "$tree/arch/x86/boot/bzImage" \
		-i "$build/initrd-stress-$name.cpio.gz" -p stress \
		-a "$secs,$suites,$extra" -s 4 -m 2048 \
		-t $((secs * 4 + 1500)) -o "$logs/stress-$name"
	st=$?
	"$top/tools/vm/scan-log.py" --name "stress-$name" \
		--console "$logs/stress-$name/console.log" \
		--results "$logs/stress-$name/results.log" --vm-status $st \
		--kunit-py "$tree/tools/testing/kunit/kunit.py" --record "$record"
}

for k in $kernels; do
	case $k in
	debug)	tree=$(debug_tree) || { rec FAIL "build: debug kernel"; continue; }
		stress_run debug "$tree" "" "" ;;
	kcsan)	tree=$("$top/tools/vm/build-kernel.sh" kcsan) ||
			{ rec FAIL "build: KCSAN kernel"; continue; }
		stress_run kcsan "$tree" \
			"gmm_gc_stress+gmm_alloc_stress+gmm_gc_invariants" selftests ;;
	*)	echo "stress: unknown kernel $k (debug or kcsan)" >&2; exit 2 ;;
	esac
done
summary
