#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make check`: load gmm.ko, run the KUnit module (where the
# kernel has KUnit) and every selftest binary, unload, and ask kmemleak
# (where the kernel has it) for leaks.  Output is the results stream the
# host's scan-log.py reads:
#   GMM-CHECK <name> ok|fail [message]
#   GMM-BEGIN kunit|selftest|kmemleak <name> ... GMM-END ...
kml=/sys/kernel/debug/kmemleak
rc=0
check() {	# check NAME COMMAND... : one named pass/fail line
	name=$1; shift
	if "$@"; then echo "GMM-CHECK $name ok"; else echo "GMM-CHECK $name fail"; rc=1; fi
}

[ -w $kml ] && echo clear > $kml

check module_load insmod /lib/gmm/gmm.ko || exit 1
check dev_node_mode_0600 test "$(stat -c %a /dev/gmm)" = 600
check debugfs_info grep -q '^version: ' /sys/kernel/debug/gmm/info
check load_line_printed sh -c 'dmesg | grep -q "gmm: Go-style memory manager .* loaded"'

if [ -f /lib/gmm/gmm_test.ko ]; then
	insmod /lib/gmm/gmm_test.ko
	for d in /sys/kernel/debug/kunit/*/; do
		s=$(basename "$d")
		echo "GMM-BEGIN kunit $s"
		cat "$d/results"
		echo "GMM-END kunit $s"
	done
	rmmod gmm_test
fi

for t in /selftests/*; do
	[ -x "$t" ] || continue
	echo "GMM-BEGIN selftest $(basename "$t")"
	"$t"
	echo "GMM-END selftest $(basename "$t") rc=$?"
done

# The binary-trees workload (GCBench shape) with gctrace on: bintree=DEPTH.
for a in "$@"; do
	case "$a" in
	bintree=*)
		d=${a#bintree=}
		echo 1 > /sys/module/gmm/parameters/gctrace
		insmod /lib/gmm/gmm_bintree.ko depth="$d" && rmmod gmm_bintree
		line=$(dmesg | grep 'gmm_bintree: result:' | tail -n 1)
		echo "$line"
		dmesg | grep 'gmm: bintree: gc ' | tail -n 3
		case "$line" in
		*"result: ok"*) echo "GMM-CHECK bintree_depth_$d ok" ;;
		*) echo "GMM-CHECK bintree_depth_$d fail ${line:-no result line}"; rc=1 ;;
		esac
		echo 0 > /sys/module/gmm/parameters/gctrace ;;
	esac
done

# --- gmmctl and libgmm (tools/): each command below opens a heap of its
# own.  The example program, every example script (their expect lines fail
# them), a batched workload that checks what it reads back, and the tour.
check gmmctl_present test -x /bin/gmmctl
check gmm_example /bin/gmm_example
for s in /share/gmmctl/examples/*.gmm; do
	n=${s##*/}
	check "gmmctl_run_${n%.gmm}" gmmctl run "$s"
done
check gmmctl_workload_binarytrees_depth_10 gmmctl workload binarytrees --depth 10 --quiet \
	--record /tmp/own-heap.json --map-every 2
check gmmctl_demo gmmctl demo --quiet --ops 30000
# --- end of gmmctl

# --- pictures (tools/vm/check-pictures.sh draws and checks them on the
# host): the binary-trees run above recorded its own heap (--record);
# here gmmctl record samples another process's heap through debugfs.  Both
# recordings are shipped on this port, gzip'd and base64'd between marker
# lines with their SHA-256.
if [ -x /bin/gmmctl ]; then
	gmmctl workload churn --seconds 3 --size 16-2048 --quiet > /tmp/churn.log 2>&1 &
	churn=$!
	check gmmctl_record_debugfs gmmctl record --heap "pid$churn" --wait \
		--seconds 10 --interval 20 --map-interval 0.5 -o /tmp/debugfs-heap.json
	check gmmctl_churn_while_recorded wait $churn
	for f in /tmp/own-heap.json /tmp/debugfs-heap.json; do
		[ -s $f ] || continue
		gzip -c $f > $f.gz
		echo "GMM-FILE-BEGIN ${f##*/}.gz $(sha256sum < $f.gz | cut -d' ' -f1)"
		base64 < $f.gz
		echo "GMM-FILE-END ${f##*/}.gz"
	done
fi
# --- end of pictures

check module_unload rmmod gmm
check dev_node_gone test ! -e /dev/gmm

if [ -w $kml ]; then
	# kmemleak only reports objects older than 5 s; scan twice so the
	# second pass confirms what the first found.
	sleep 6
	echo scan > $kml
	echo scan > $kml
	echo "GMM-BEGIN kmemleak all"
	cat $kml
	echo "GMM-END kmemleak all"
fi
exit $rc
