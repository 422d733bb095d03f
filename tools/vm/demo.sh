#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what `make demo` runs: build gmm.ko against Debian's stock 6.1
# kernel headers, the binary-trees workload module and gmmctl, boot that
# kernel under QEMU with a busybox initramfs, load the module and run the
# guided tour (tools/vm/guest/demo.sh: the binary-trees module, then
# `gmmctl demo` on a heap of /dev/gmm), showing everything it prints.
# GMM_DEMO_DEPTH sets the workload's tree depth (default 16).
# Logs: build/logs/demo/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$top/tools/vm/deps.sh" demo || exit 2
mkdir -p "$logs"
record=$logs/demo-records.txt
: > "$record"
sv=$(stock_version) || { echo "demo: no Debian 6.1 kernel image with headers" >&2; exit 2; }
say "building gmm.ko against Debian's $sv headers"
mod=$(build_gmm "stock-$sv" "/usr/src/linux-headers-$sv") || exit 1
wl=$(build_workload "stock-$sv" "/usr/src/linux-headers-$sv" "$mod") || exit 1
say "building gmmctl and libgmm (static, for the VM)"
mapfile -t tools < <(build_tools)
[ ${#tools[@]} -gt 0 ] || { say "building gmmctl failed: see $logs/build-tools-static.log"; exit 1; }
"$top/tools/vm/mkinitramfs.sh" "$build/initrd-demo.cpio.gz" \
	"$mod/gmm.ko=lib/gmm/gmm.ko" "$wl/gmm_bintree.ko=lib/gmm/gmm_bintree.ko" \
	"${tools[@]}"
say "booting Debian's $sv kernel in QEMU (TCG, 2 vCPUs); the guest's output follows"
# The recordings the guest ships (base64 between GMM-FILE-BEGIN/END lines)
# are kept out of the live output; results.log has them.
"$top/tools/vm/run-vm.sh" -k "/boot/vmlinuz-$sv" -i "$build/initrd-demo.cpio.gz" \
	-p demo -a "${GMM_DEMO_DEPTH:-16}" -s 2 -m 1024 -t 600 -o "$logs/demo" |
	awk '/^GMM-FILE-BEGIN / { print "    " $2 " (base64, " $3 ")"; skip = 1; fflush(); next }
	     /^GMM-FILE-END / { skip = 0; next }
	     !skip { print; fflush() }'
st=${PIPESTATUS[0]}
echo
if [ "$st" = 0 ]; then
	say "demo finished; kernel log in $logs/demo/console.log"
else
	say "demo FAILED (status $st); kernel log in $logs/demo/console.log"
fi
# Pictures of the recordings (Documentation/pictures.rst), drawn here.
say "drawing the recorded heaps (gmmctl map, gmmctl trace)"
if "$top/tools/vm/pictures.sh" draw "$logs/demo/results.log" "$build/demo/pictures"; then
	say "pictures of the heaps in $build/demo/pictures/ (how to read them: Documentation/pictures.rst)"
else
	say "drawing the pictures FAILED"
	[ "$st" = 0 ] && st=1
fi
recs=$build/demo/pictures/recordings
# binary-trees' recording must hold every cycle its heap ran (NumGC of the
# module's memstats line): the ones the recorder read along the way, and
# those counted lost; the other recordings every cycle their samples saw.
numgc=$(grep -o 'NumGC=[0-9]*' "$logs/demo/results.log" | tail -n 1 | cut -d= -f2)
for r in "$recs"/*.json; do
	[ -f "$r" ] || continue
	n=$(basename "$r" .json)
	want=()
	[ "$n" = bintree-kernel ] && want=(--num-gc "${numgc:-0}")
	if o=$(python3 "$top/tools/gmmctl/tests/check-picture.py" cycles "$r" "${want[@]}" 2>&1); then
		rec PASS "demo: $n: its cycles (${o#*: })"
		echo "    $n: ${o#*: }"
	else
		rec FAIL "demo: $n: its cycles" "${o#check-picture: }"
		[ "$st" = 0 ] && st=1
	fi
done
if [ "$st" = 0 ] && [ ! -f "$recs/bintree-kernel.json" ]; then
	rec FAIL "demo: binary-trees recorded through debugfs" "no $recs/bintree-kernel.json"
	st=1
fi
# The page (gmmctl serve) on the recordings: the host's gmmctl, built with
# libmicrohttpd by pictures.sh above.
hg=$build/src-tools-host/tools/gmmctl/gmmctl
say "watch them in a browser (each command prints the address to open; Ctrl-C ends it):"
[ -f "$recs/tricolour.json" ] &&
	echo "    a GC cycle colouring a graph step by step:  $hg serve --input $recs/tricolour.json"
[ -f "$recs/bintree-kernel.json" ] &&
	echo "    binary-trees' cycles, to scrub through:     $hg serve --input $recs/bintree-kernel.json"
echo "    gmmctl demo's heap:                         $hg serve --input $recs/heap.json"
exit "$st"
