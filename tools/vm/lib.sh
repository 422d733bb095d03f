# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh - helpers shared by check.sh, demo.sh and bench.sh: where things
# are, how to build gmm against a kernel tree, how to record results.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${GMM_BUILD:-$top/build}
logs=$build/logs
record=$logs/records.txt

say() { printf '%s\n' "==> $*" >&2; }

# stock_version: newest Debian 6.1 kernel with both image and headers.
stock_version() {
	local v img
	for img in $(printf '%s\n' /boot/vmlinuz-6.1.*-amd64 | sort -V -r); do
		[ -f "$img" ] || continue
		v=${img#/boot/vmlinuz-}
		[ -d "/usr/src/linux-headers-$v" ] && { echo "$v"; return 0; }
	done
	return 1
}

# headers612: newest Debian 6.12 headers tree.
headers612() {
	local d
	d=$(printf '%s\n' /usr/src/linux-headers-6.12.*-amd64 | sort -V | tail -n 1)
	[ -d "$d" ] && echo "$d"
	return 0
}

# rec STATUS NAME [REASON]: append one test record.
rec() {
	if [ -n "${3:-}" ]; then
		echo "$1 $2 -- $3" >> "$record"
	else
		echo "$1 $2" >> "$record"
	fi
	[ "$1" = FAIL ] && echo "FAIL $2${3:+ -- $3}" >&2
	return 0
}

# build_gmm NAME KDIR [MAKEFLAGS...]: build gmm.ko (and gmm_test.ko where
# KDIR has KUnit) from a copy of the sources in $build/src-NAME, W=1, and
# record whether the build was clean.  Prints the output directory.
build_gmm() {
	local name=$1 kdir=$2 out=$build/src-$1 log
	shift 2
	log=$logs/build-$name.log
	mkdir -p "$out"
	rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
		"$top/Kbuild" "$top/gmm" "$top/include" "$top/tests" "$out/"
	if make -C "$kdir" M="$out" W=1 "$@" modules > "$log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$log" >/dev/null; then
		rec PASS "build: gmm.ko on $name (W=1 $* clean)"
	else
		rec FAIL "build: gmm.ko on $name (W=1 $* clean)" \
			"$(grep -E -m3 'warning:|error:|Error' "$log" | tr '\n' ' ')(see $log)"
		return 1
	fi
	echo "$out"
}

# build_samples NAME KDIR GMMDIR: build samples/gmm (gmm_sample_cache.ko,
# the sample client) against KDIR and gmm.ko's symbols in GMMDIR.  Prints
# the output dir.
build_samples() {
	local out=$build/src-samples-$1 log=$logs/build-samples-$1.log
	mkdir -p "$out/samples"
	rsync -a --delete "$top/samples/gmm" "$out/samples/"
	rsync -a --delete "$top/include" "$out/"
	if make -C "$2" M="$out/samples/gmm" W=1 \
		KBUILD_EXTRA_SYMBOLS="$3/Module.symvers" modules > "$log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$log" >/dev/null; then
		rec PASS "build: sample client (samples/gmm) on $1 (W=1 clean)"
	else
		rec FAIL "build: sample client (samples/gmm) on $1" "see $log"
		return 1
	fi
	echo "$out/samples/gmm"
}

# build_workload NAME KDIR GMMDIR: build tests/workload (gmm_bintree.ko)
# against KDIR and gmm.ko's symbols in GMMDIR.  Prints the output dir.
build_workload() {
	local out=$build/src-workload-$1 log=$logs/build-workload-$1.log
	mkdir -p "$out/tests"
	rsync -a --delete "$top/tests/workload" "$out/tests/"
	rsync -a --delete "$top/include" "$top/gmm" "$out/"
	if make -C "$2" M="$out/tests/workload" W=1 \
		KBUILD_EXTRA_SYMBOLS="$3/Module.symvers" modules > "$log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$log" >/dev/null; then
		rec PASS "build: workload modules on $1 (W=1 clean)"
	else
		rec FAIL "build: workload modules on $1" "see $log"
		return 1
	fi
	echo "$out/tests/workload"
}

# build_tools: libgmm, gmmctl and the libgmm example program, linked
# statically for the busybox VMs, from a copy of tools/ and include/ in
# $build/src-tools.  Prints the mkinitramfs FILE=DEST arguments that put
# them in an image (gmmctl and gmm_example in /bin, the example scripts
# in /share/gmmctl/examples), one per line.
build_tools() {
	local out=$build/src-tools log=$logs/build-tools-static.log f
	mkdir -p "$out"
	rsync -a --delete "$top/tools" "$top/include" "$out/"
	if make -C "$out/tools/gmmctl" clean > "$log" 2>&1 &&
	   make -C "$out/tools/lib/gmm" clean all >> "$log" 2>&1 &&
	   make -C "$out/tools/gmmctl" all STATIC=1 >> "$log" 2>&1 &&
	   make -C "$out/tools/examples" clean all STATIC=1 >> "$log" 2>&1; then
		rec PASS "build: gmmctl, libgmm, gmm_example (static, for the VMs)"
	else
		rec FAIL "build: gmmctl, libgmm, gmm_example (static)" \
			"$(grep -E -m3 'warning:|error:|Error' "$log" | tr '\n' ' ')(see $log)"
		return 1
	fi
	echo "$out/tools/gmmctl/gmmctl=bin/gmmctl"
	echo "$out/tools/examples/gmm_example=bin/gmm_example"
	for f in "$out"/tools/gmmctl/examples/*.gmm; do
		echo "$f=share/gmmctl/examples/${f##*/}"
	done
}

# kernel tree of the debug kernel (built or reused).
debug_tree() {
	"$top/tools/vm/build-kernel.sh"
}

summary() {
	local p f s
	p=$(grep -c '^PASS' "$record" || true)
	f=$(grep -c '^FAIL' "$record" || true)
	s=$(grep -c '^SKIP' "$record" || true)
	if [ "$f" != 0 ]; then
		echo
		echo "Failures (full list in $record, logs in $logs):"
		grep '^FAIL' "$record" | head -n 40
	fi
	echo
	if [ "$s" != 0 ]; then
		echo "$p passed, $f failed, $s skipped"
	else
		echo "$p passed, $f failed"
	fi
	[ "$f" = 0 ]
}
