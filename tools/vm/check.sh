#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - everything `make check` runs.
#
#  1. installs missing Debian packages (as root; otherwise says what to run);
#  2. builds or reuses the debug kernel (tools/vm/build-kernel.sh);
#  3. builds gmm.ko against the debug kernel (W=1, sparse C=2), Debian's 6.1
#     headers and Debian's 6.12 headers, all warning-free;
#  4. checks that the committed size-class table matches its generator;
#     lints (tools/vm/lint.sh: checkpatch, kernel-doc, tools with -Werror,
#     shell scripts, reST, ...); builds the documentation (tools/docs/build.sh,
#     make docs); tests make install/uninstall into a DESTDIR
#     and DKMS on Debian's 6.1 headers (tools/vm/install-test.sh);
#  5. boots the debug kernel: gmm.ko, the KUnit suites, the selftests,
#     unload, kmemleak;
#  6. boots Debian's stock 6.1 kernel with the module built against its
#     headers: the selftests; then draws the heap recordings both VMs
#     shipped and checks the pictures (tools/vm/check-pictures.sh), and
#     shows them with gmmctl serve in headless Chromium, then a stepped
#     GC cycle live from the stock kernel (tools/vm/check-web.sh);
#  7. proves the harness fails when it should: canned logs of every kind of
#     kernel report, and VMs running a failing KUnit case, a failing selftest,
#     a WARN_ON, a leak, a hang and a crash;
#  8. prints one record per test and ends with "N passed, N failed".
#
# Logs of the last run: build/logs/ (records.txt has every result).
# Environment: GMM_CACHE (kernel cache, default ~/.cache/gmm), GMM_BUILD
# (default ./build), GMM_VM_TIMEOUT (seconds per debug VM, default 1200).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

start=$(date +%s)
"$top/tools/vm/deps.sh" check || exit 2

rm -rf "$logs"
mkdir -p "$logs"
: > "$record"

say "debug kernel"
ktree=$(debug_tree) || { rec FAIL "build: debug kernel" "see output above"; summary; exit 1; }
rec PASS "build: debug kernel ($(basename "$ktree"))"
kunit_py=$ktree/tools/testing/kunit/kunit.py
ksft=$ktree/tools/testing/selftests

say "building gmm.ko against the debug kernel, Debian 6.1 and Debian 6.12"
dbg=$(build_gmm debug "$ktree" C=2)
sv=$(stock_version) || { rec FAIL "build: stock kernel" "no /boot/vmlinuz-6.1.*-amd64 with headers"; }
stock=
[ -n "${sv:-}" ] && stock=$(build_gmm "stock-$sv" "/usr/src/linux-headers-$sv")
h612=$(headers612)
if [ -n "$h612" ]; then
	build_gmm "$(basename "$h612")" "$h612" >/dev/null
else
	rec FAIL "build: gmm.ko on 6.12 headers" "no linux-headers-6.12.*-amd64"
fi

# GMM_TYPE()'s build-time checks: a good struct builds, bad fields do not.
if "$top/tests/typecheck/run.sh" "$ktree" "$build/typecheck" > "$logs/typecheck.log" 2>&1; then
	rec PASS "build: GMM_TYPE() refuses bad pointer fields at build time (tests/typecheck)"
else
	rec FAIL "build: GMM_TYPE() build-time checks" "see $logs/typecheck.log"
fi

say "user-space tests and tools"
sft=$build/selftests
if make -s -C "$top/tests/selftests" KSFT_DIR="$ksft" OUTPUT="$sft" > "$logs/build-selftests.log" 2>&1; then
	rec PASS "build: selftests (-Wall -Wextra -Werror)"
else
	rec FAIL "build: selftests" "see $logs/build-selftests.log"
fi
# Every selftest program that built, as FILE=DEST for mkinitramfs.sh.
selftests=()
for t in $(make -s -C "$top/tests/selftests" list); do
	[ -x "$sft/$t" ] && selftests+=("$sft/$t=selftests/$t")
done
# gmmctl, libgmm's example program and the example scripts (static),
# for both VMs: guest/check.sh runs them.
tools=()
mapfile -t tools < <(build_tools)
if [ -f "$top/tools/mksizeclasses/Makefile" ]; then
	if make -s -C "$top/tools/mksizeclasses" check > "$logs/sizeclasses.log" 2>&1; then
		rec PASS "sizeclasses: committed table matches tools/mksizeclasses"
	else
		rec FAIL "sizeclasses: committed table matches tools/mksizeclasses" \
			"see $logs/sizeclasses.log"
	fi
fi

say "lint: checkpatch, kernel-doc, user-space -Werror, shellcheck, reST"
"$top/tools/vm/lint.sh" --in-check ||
	rec FAIL "lint: tools/vm/lint.sh" "exited with status $?"
say "docs: Sphinx and kernel-doc (make docs), warnings are errors"
"$top/tools/docs/build.sh" --in-check ||
	rec FAIL "docs: tools/docs/build.sh" "exited with status $?"
say "install: make install/uninstall into a DESTDIR, DKMS on Debian's headers"
"$top/tools/vm/install-test.sh" ||
	rec FAIL "install: tools/vm/install-test.sh" "exited with status $?"

# The binary-trees workload module, for both kernels.
wl_dbg='' wl_stock=''
[ -n "$dbg" ] && wl_dbg=$(build_workload debug "$ktree" "$dbg")
[ -n "$stock" ] && wl_stock=$(build_workload "stock-$sv" "/usr/src/linux-headers-$sv" "$stock")
# The sample client (samples/gmm), for both kernels.
sm_dbg='' sm_stock=''
[ -n "$dbg" ] && sm_dbg=$(build_samples debug "$ktree" "$dbg")
[ -n "$stock" ] && sm_stock=$(build_samples "stock-$sv" "/usr/src/linux-headers-$sv" "$stock")

# Harness pieces: broken modules and a failing selftest.
brk=$build/src-broken
mkdir -p "$brk"
rsync -a --delete "$top/tests/harness/broken/" "$brk/"
harness_ok=1
make -C "$ktree" M="$brk" modules > "$logs/build-broken.log" 2>&1 || harness_ok=0
gcc -std=gnu11 -O2 -isystem "$ksft" -static -pthread -o "$brk/broken_selftest" \
	"$brk/broken_selftest.c" >> "$logs/build-broken.log" 2>&1 || harness_ok=0
[ $harness_ok = 1 ] || rec FAIL "build: harness self-test pieces" "see $logs/build-broken.log"

# One initramfs per kernel.
if [ -n "$dbg" ]; then
	"$top/tools/vm/mkinitramfs.sh" "$build/initrd-debug.cpio.gz" \
		"$dbg/gmm.ko=lib/gmm/gmm.ko" "$dbg/gmm_test.ko=lib/gmm/gmm_test.ko" \
		"${selftests[@]}" "${tools[@]}" \
		${wl_dbg:+"$wl_dbg/gmm_bintree.ko=lib/gmm/gmm_bintree.ko"} \
		${sm_dbg:+"$sm_dbg/gmm_sample_cache.ko=lib/gmm/gmm_sample_cache.ko"} \
		"$brk/gmm_broken.ko=lib/gmm/gmm_broken.ko" \
		"$brk/gmm_broken_test.ko=lib/gmm/gmm_broken_test.ko" \
		"$brk/broken_selftest=harness/broken_selftest"
	say "VM: debug kernel (KASAN, lockdep, kmemleak, KUnit) - a few minutes under TCG"
	"$top/tools/vm/run-vm.sh" -q -k "$ktree/arch/x86/boot/bzImage" \
		-i "$build/initrd-debug.cpio.gz" -p check -a bintree=12 -s 2 -m 2048 \
		-t "${GMM_VM_TIMEOUT:-1200}" -o "$logs/debug"
	st=$?
	"$top/tools/vm/scan-log.py" --name debug --console "$logs/debug/console.log" \
		--results "$logs/debug/results.log" --vm-status $st \
		--kunit-py "$kunit_py" --record "$record"
fi

if [ -n "$stock" ]; then
	"$top/tools/vm/mkinitramfs.sh" "$build/initrd-stock.cpio.gz" \
		"$stock/gmm.ko=lib/gmm/gmm.ko" \
		${wl_stock:+"$wl_stock/gmm_bintree.ko=lib/gmm/gmm_bintree.ko"} \
		${sm_stock:+"$sm_stock/gmm_sample_cache.ko=lib/gmm/gmm_sample_cache.ko"} \
		"${selftests[@]}" "${tools[@]}"
	say "VM: Debian's stock kernel $sv"
	"$top/tools/vm/run-vm.sh" -q -k "/boot/vmlinuz-$sv" \
		-i "$build/initrd-stock.cpio.gz" -p check -a bintree=16 -s 2 -m 1024 \
		-t "${GMM_VM_TIMEOUT:-1200}" -o "$logs/stock"
	st=$?
	"$top/tools/vm/scan-log.py" --name "stock $sv" --console "$logs/stock/console.log" \
		--results "$logs/stock/results.log" --vm-status $st \
		--kunit-py "$kunit_py" --record "$record"
fi

# --- pictures: the recordings the VMs shipped, drawn by gmmctl map and
# trace and checked with independent decoders (tools/vm/check-pictures.sh)
say "pictures: heap maps and timelines of the VMs' recordings"
"$top/tools/vm/check-pictures.sh" ||
	say "pictures: failures above (records in $record)"
# --- end of pictures

# --- web: gmmctl serve and its page in Debian's headless Chromium, on the
# recordings above and live from the stock kernel's VM (check-web.sh)
say "web: gmmctl serve in a real browser, recorded and live"
"$top/tools/vm/check-web.sh" "${stock:-}" ||
	say "web: failures above (records in $record)"
# --- end of web

say "harness self-tests: the harness must fail on each of these"
"$top/tests/harness/run-samples.sh" "$kunit_py" "$record"
if [ $harness_ok = 1 ] && [ -n "$dbg" ]; then
	harness_vm() {
		local mode=$1 t=240
		[ "$mode" = hang ] && t=90
		"$top/tools/vm/run-vm.sh" -q -k "$ktree/arch/x86/boot/bzImage" \
			-i "$build/initrd-debug.cpio.gz" -p harness -a "$mode" -s 1 \
			-m 1024 -t $t -o "$logs/harness-$mode" 2>/dev/null
		"$top/tools/vm/scan-log.py" --name "harness vm $mode" \
			--console "$logs/harness-$mode/console.log" \
			--results "$logs/harness-$mode/results.log" --vm-status $? \
			--kunit-py "$kunit_py" --record "$record" --expect "$mode"
	}
	export -f harness_vm
	export top build logs record ktree kunit_py
	printf '%s\n' kunit-fail selftest-fail warning kmemleak hang crash |
		xargs -P 2 -I{} bash -c 'harness_vm {}'
fi

echo
echo "make check took $(( $(date +%s) - start )) s; logs in $logs"
summary
