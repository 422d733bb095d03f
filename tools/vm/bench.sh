#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - what `make bench` runs: build gmm.ko, the benchmark modules
# (tests/bench: gmm_bench.ko, gmm_bench_mark.ko, gmm_bench_pause.ko,
# gmm_bench_heaps.ko, gmm_bench_pageheap.ko, gmm_bench_shrink.ko) and the
# binary-trees module (tests/workload) against Debian's stock 6.1 kernel
# headers, Go's peer program (tests/bench/go/*.go, Debian's golang-1.19,
# static), the snapshot timer (tests/bench/snap, static, on libgmm's
# sources) and the plotter (tests/bench/plot, cairo); boot that kernel
# under QEMU (TCG, BENCH_SMP vCPUs - 2 by default -, 4 GiB when the page
# heap part runs, which holds 2 GiB in one heap, 2 GiB otherwise) with
# all of them in the
# initramfs, run tools/vm/guest/bench.sh there - allocation, binary-trees
# (gmm, kmalloc/kfree, Go, and gmmctl's user-space path when it has one),
# marking, pauses, many heaps, the page heap at scale, a shrinking live
# set - and turn what it prints (tests/bench/report) into one
# table on stdout, build/bench/{alloc,bintree,mark,churn,pauses,pageheap,
# shrink}.csv, build/bench/bench.json and the plots build/bench/{alloc,
# alloc-ncpu,pauses,pageheap,shrink}.png, each checked with a PNG decoder
# of its own.
# Documentation/benchmarks.rst explains every figure.
#
#   tools/vm/bench.sh [PARAM=VALUE ...]     or   make bench BENCH_ARGS="..."
#
# PARAMs: gmm_bench.ko module parameters (iters, batch, runs, budget_mb,
# gmm_min_mb, cpus, tests, sizes);
# parts=alloc:bintree:mark:pause:heaps:pageheap:shrink (what to
# run; add profile for perf profiles of binary-trees and the churn load,
# with Debian's linux-perf in the image), depths=16:18 (binary-trees),
# ctl_depths=16 (gmmctl's user-space binary-trees; default the first depth);
# mark.PARAM (gmm_bench_mark.ko:
# mark_mb, chains, cycles, copy_mb, copy_reps) and pause.PARAM
# (gmm_bench_pause.ko: seconds, slots, gc_percent, gmm, explicit),
# heaps.PARAM (gmm_bench_heaps.ko: heaps, alloc_kb, threads),
# pageheap.PARAM (gmm_bench_pageheap.ko: arenas, ops, batch; arenas goes
# to benchsnap too), shrink.PARAM (gmm_bench_shrink.ko: start_mb, end_mb,
# step_s, tail_s, sample_ms, obj_bytes; Go's shrink mode too), gmm.PARAM
# (gmm.ko: gctrace=1 for diagnosis); write lists with ':'
# (sizes=8:64:4096).
# BENCH_SMP=4 runs the guest with 4 vCPUs (TCG emulates more vCPUs than
# the host has: a correctness and contention run, not a speed-up figure).
# Other QEMU instances on the host skew the figures: bench.sh waits up to
# BENCH_WAIT seconds (default 600) for them to end before it boots, and the
# report says how much of the host's CPU time other processes took and
# warns when other QEMUs ran alongside or that share was 10 % or more.
# Logs: build/logs/bench/.  Exit status non-zero when a build, the VM or
# the kernel log (BUG, WARNING, ...) failed, or a part gave no result.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

args=("$@")
if [ ${#args[@]} -eq 0 ] && [ -n "${BENCH_ARGS:-}" ]; then
	read -r -a args <<< "$BENCH_ARGS"
fi
for a in "${args[@]}"; do
	case "$a" in
	*,*) echo "bench: write lists with ':' not ',' ($a)" >&2; exit 2 ;;
	*=*) ;;
	*) echo "bench: arguments are PARAM=VALUE parameters ($a)" >&2; exit 2 ;;
	esac
done
vmargs=$(IFS=,; echo "${args[*]}")

"$top/tools/vm/deps.sh" bench || exit 2
mkdir -p "$logs" "$build/bench"
record=$logs/bench-records.txt
: > "$record"
sv=$(stock_version) || { echo "bench: no Debian 6.1 kernel image with headers" >&2; exit 2; }
kdir=/usr/src/linux-headers-$sv
smp=${BENCH_SMP:-2} mem=2048
# The page heap part holds 2 GiB in one heap (512 arenas of 4 MiB).
case " ${args[*]} " in
*" parts="*) case " ${args[*]} " in *" parts="*pageheap*) mem=4096 ;; esac ;;
*) mem=4096 ;;
esac
case "$smp" in
[1-9]|[1-9][0-9]) ;;
*) echo "bench: BENCH_SMP must be a number of vCPUs ($smp)" >&2; exit 2 ;;
esac

say "building gmm.ko against Debian's $sv headers"
mod=$(build_gmm "stock-$sv" "$kdir") || exit 1

say "building the benchmark modules against the same headers"
bsrc=$build/src-bench
mkdir -p "$bsrc/tests"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$top/include" "$top/gmm" "$bsrc/"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude go --exclude plot --exclude snap --exclude report "$top/tests/bench" "$bsrc/tests/"
blog=$logs/build-bench.log
if ! make -C "$kdir" M="$bsrc/tests/bench" W=1 \
	KBUILD_EXTRA_SYMBOLS="$mod/Module.symvers" modules > "$blog" 2>&1 ||
   grep -E 'warning:|error:' "$blog" >/dev/null; then
	grep -E -m5 'warning:|error:|Error' "$blog" >&2
	echo "bench: building the benchmark modules failed (see $blog)" >&2
	exit 1
fi
wl=$(build_workload "stock-$sv" "$kdir" "$mod") || exit 1

say "building Go's binary-trees peer (golang-1.19, static)"
gobin=/usr/lib/go-1.19/bin/go
[ -x "$gobin" ] || gobin=$(dpkg -L golang-1.19-go 2>/dev/null | grep '/bin/go$' | head -n 1)
if [ -z "$gobin" ] || ! GO111MODULE=off CGO_ENABLED=0 GOCACHE="$build/go-cache" \
	GOPATH="$build/go-path" "$gobin" build -trimpath -o "$build/bench/binarytrees" \
	"$top/tests/bench/go/"*.go > "$logs/build-go.log" 2>&1; then
	cat "$logs/build-go.log" >&2
	echo "bench: building tests/bench/go/*.go failed" >&2
	exit 1
fi
if ldd "$build/bench/binarytrees" > /dev/null 2>&1; then
	echo "bench: $build/bench/binarytrees is not static" >&2
	exit 1
fi

say "building the snapshot timer (static, on libgmm's sources)"
mkdir -p "$build/bench-snap"
if ! make -s -C "$top/tests/bench/snap" O="$build/bench-snap" > "$logs/build-snap.log" 2>&1; then
	cat "$logs/build-snap.log" >&2
	echo "bench: building tests/bench/snap/benchsnap failed" >&2
	exit 1
fi

say "building the plotter (cairo)"
mkdir -p "$build/bench-plot"
if ! make -s -C "$top/tests/bench/plot" O="$build/bench-plot" > "$logs/build-plot.log" 2>&1; then
	cat "$logs/build-plot.log" >&2
	echo "bench: building tests/bench/plot/benchplot failed" >&2
	exit 1
fi

# gmmctl, static, from a copy of its sources (the tree's own binary is
# left alone): only when it has the 'workload' command.
extra=()
ctl=$build/src-gmmctl
mkdir -p "$ctl/tools"
rsync -a --delete --exclude '*.o' "$top/include" "$ctl/"
rsync -a --delete --exclude '*.o' --exclude '*.a' --exclude gmmctl/gmmctl \
	--exclude gmmctl/gmmctl-static --exclude vm "$top/tools/" "$ctl/tools/"
if make -s -C "$ctl/tools/gmmctl" STATIC=1 > "$logs/build-gmmctl.log" 2>&1 &&
   "$ctl/tools/gmmctl/gmmctl" workload --help > /dev/null 2>&1; then
	extra+=("$ctl/tools/gmmctl/gmmctl=usr/lib/gmm/gmmctl")
else
	say "gmmctl has no 'workload' command (yet): the user-space binary-trees run is left out"
fi

# add_dynamic BINARY DEST: a dynamically linked host binary and its
# libraries, at their own paths, into the image.
add_dynamic() {
	local libs l
	libs=$(ldd "$1") || return 1
	extra+=("$1=$2")
	while read -r l; do
		extra+=("$l=${l#/}")
	done < <(awk '/=>/ { print $3 } /^[ \t]*\// { print $1 }' <<< "$libs")
}
# kmod's insmod, so that the guest loads the benchmark modules once (see
# tools/vm/guest/bench.sh); without it the guest falls back to busybox's
# insmod.
if kmod=$(command -v kmod); then
	add_dynamic "$kmod" usr/lib/gmm/insmod
fi
# perf (Debian's linux-perf) for parts=...:profile only.
case " ${args[*]} " in
*" parts="*profile*)
	if perf=$(command -v perf) && "$perf" --version > /dev/null 2>&1; then
		add_dynamic "$perf" usr/lib/gmm/perf
	else
		say "no perf on the host (apt-get install linux-perf): no profiles"
	fi ;;
esac
"$top/tools/vm/mkinitramfs.sh" "$build/initrd-bench.cpio.gz" \
	"$mod/gmm.ko=lib/gmm/gmm.ko" \
	"$bsrc/tests/bench/gmm_bench.ko=lib/gmm/gmm_bench.ko" \
	"$bsrc/tests/bench/gmm_bench_mark.ko=lib/gmm/gmm_bench_mark.ko" \
	"$bsrc/tests/bench/gmm_bench_pause.ko=lib/gmm/gmm_bench_pause.ko" \
	"$bsrc/tests/bench/gmm_bench_heaps.ko=lib/gmm/gmm_bench_heaps.ko" \
	"$bsrc/tests/bench/gmm_bench_pageheap.ko=lib/gmm/gmm_bench_pageheap.ko" \
	"$bsrc/tests/bench/gmm_bench_shrink.ko=lib/gmm/gmm_bench_shrink.ko" \
	"$build/bench-snap/benchsnap=usr/lib/gmm/benchsnap" \
	"$wl/gmm_bintree.ko=lib/gmm/gmm_bintree.ko" \
	"$build/bench/binarytrees=usr/lib/gmm/binarytrees" \
	"${extra[@]}" || exit 1

# Other VMs compete for the host's CPUs: wait up to BENCH_WAIT seconds
# (default 600) for them to end.
waited=0
while pgrep qemu-system >/dev/null && [ "$waited" -lt "${BENCH_WAIT:-600}" ]; do
	[ "$waited" = 0 ] && say "waiting up to ${BENCH_WAIT:-600}s for other QEMU instances to end"
	sleep 5
	waited=$((waited + 5))
done
if running=$(pgrep -a qemu-system); then
	echo "bench: warning: other QEMU instances run; the figures will suffer:" >&2
	echo "$running" >&2
fi
say "booting Debian's $sv kernel in QEMU (TCG, $smp vCPUs, $mem MiB); this takes 10-20 minutes"
date=$(date -u '+%Y-%m-%d %H:%M UTC')
# Every 2 s: how many QEMUs run (ours included), our QEMU's CPU time, the
# host's busy time (both in clock ticks, USER_HZ = 100) and its uptime.
# The vCPUs are host threads, and on a small host anything else running
# skews the figures.
mkdir -p "$logs/bench"
(
	while sleep 2; do
		t=0
		for p in $(pgrep qemu-system); do
			grep -q initrd-bench "/proc/$p/cmdline" 2>/dev/null &&
				t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
		done
		echo "$(pgrep -c qemu-system) ${t:-0}" \
			"$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat)" \
			"$(cut -d' ' -f1 /proc/uptime)"
	done
) > "$logs/bench/host.log" 2>/dev/null &
sampler=$!
"$top/tools/vm/run-vm.sh" -q -k "/boot/vmlinuz-$sv" -i "$build/initrd-bench.cpio.gz" \
	-p bench ${vmargs:+-a "$vmargs"} -s "$smp" -m "$mem" -t 5400 -o "$logs/bench"
st=$?
kill "$sampler" 2>/dev/null
wait "$sampler" 2>/dev/null
# Other QEMUs seen, and the share of the host's CPU time used by anything
# but our QEMU while it ran: only the samples taken while it ran count
# (run-vm.sh may first wait for another VM to end).
read -r others otherpct < <(awk -v ncpu="$(nproc)" '
	$2 > 0 { if ($1 > n) n = $1; if (!seen) { b0 = $3; u0 = $4; q0 = $2; seen = 1 }
		 q = $2; b = $3; u = $4 }
	END { busy = b - b0; span = (u - u0) * 100 * ncpu
	      o = busy - (q - q0); if (o < 0) o = 0
	      printf "%d %.0f\n", (n > 1 ? n - 1 : 0), (span > 0 ? 100 * o / span : 0) }' \
	"$logs/bench/host.log")
"$top/tools/vm/scan-log.py" --name "bench $sv" --console "$logs/bench/console.log" \
	--results "$logs/bench/results.log" --vm-status "$st" --kunit-py /dev/null \
	--record "$record" || { [ "$st" = 0 ] && st=1; }

if ! grep -q '^GMM-BEGIN ' "$logs/bench/results.log"; then
	echo "bench: no results (VM status $st); see $logs/bench/" >&2
	exit $(( st ? st : 1 ))
fi

rm -f "$build/bench/"*.png
cmd="make bench"
[ ${#args[@]} -gt 0 ] && cmd="make bench BENCH_ARGS=\"${args[*]}\""
python3 "$top/tests/bench/report" --results "$logs/bench/results.log" \
	--out "$build/bench" --kernel "$sv" --others "${others:-0}" \
	--otherpct "${otherpct:-0}" --host-cpus "$(nproc)" \
	--host-cpu "$(sed -n 's/^model name[ \t]*: //p' /proc/cpuinfo | head -n 1)" \
	--qemu "$(qemu-system-x86_64 --version | head -n 1)" --smp "$smp" --mem "$mem" \
	--command "$cmd" --date "$date" --plot "$build/bench-plot/benchplot" ||
	{ [ "$st" = 0 ] && st=1; }

# Each plot read back by a decoder of its own (not cairo's): signature,
# chunk CRCs, IHDR, and the inflated image data's exact size.
for png in "$build/bench/"*.png; do
	[ -e "$png" ] || continue
	if ! python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
pos, idat, ihdr, end = 8, b"", None, False
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    crc, = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])
    assert zlib.crc32(kind + body) & 0xffffffff == crc, f"bad CRC in {kind!r}"
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    elif kind == b"IEND":
        end = True
        break
    pos += 12 + n
assert ihdr and end, "no IHDR or IEND"
w, h, depth, ctype, _, _, interlace = ihdr
chans = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
assert depth == 8 and interlace == 0, "unexpected bit depth or interlacing"
raw = zlib.decompress(idat)
assert len(raw) == h * (1 + w * chans), "image data of the wrong size"
assert w >= 300 and h >= 200, "image too small"
print(f"  {sys.argv[1]}: PNG {w}x{h}, colour type {ctype}, {len(raw)} bytes of image data: ok")
PY
	then
		echo "bench: $png is not a valid PNG" >&2
		[ "$st" = 0 ] && st=1
	fi
done

echo
if [ "$st" = 0 ]; then
	say "bench finished; logs in $logs/bench/"
else
	say "bench FAILED (status $st); see $logs/bench/ and $record"
fi
exit "$st"
