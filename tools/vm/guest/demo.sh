#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make demo`: load gmm.ko and show it at work: the
# binary-trees workload (GCBench shape) on a gmm heap with gctrace=1, then
# the heap's MemStats and the collector's numbers, then gmmctl's guided
# tour on a heap of /dev/gmm.  Both heaps are recorded (gmmctl record
# through debugfs; gmmctl demo --record) and the recordings shipped to the
# host, which draws heap maps and timelines of them.
step() { echo; echo "### $*"; }
# shellcheck source=bintree-rec.sh
. "$(dirname "$0")/bintree-rec.sh"
depth=${1:-14}

# ship FILE: the file for the host, gzip'd and base64'd between marker
# lines on this (the results) port, with its SHA-256; tools/vm/pictures.sh
# takes it out of results.log and draws it (Documentation/pictures.rst).
ship() {
	gzip -c "$1" > "$1.gz" || return 1
	echo "GMM-FILE-BEGIN ${1##*/}.gz $(sha256sum < "$1.gz" | cut -d' ' -f1)"
	base64 < "$1.gz"
	echo "GMM-FILE-END ${1##*/}.gz"
}

step "insmod gmm.ko gctrace=1"
insmod /lib/gmm/gmm.ko gctrace=1 || exit 1
dmesg | grep 'gmm:' | tail -n 1
ls -l /dev/gmm

step "gmmctl info"
gmmctl info || exit 1

step "cat /sys/kernel/debug/gmm/info"
cat /sys/kernel/debug/gmm/info

step "binary-trees, depth $depth: a long-lived tree plus millions of short-lived nodes"
echo "(one gctrace line per GC cycle: gc N @time CPU%: STW1+mark+STW2 ms clock,"
echo " cpu times, heap at start->at mark end->live MB, goal MB, CPUs)"
# Its heap, recorded through debugfs while it runs, for the pictures
# (bintree-rec.sh: the heap stays until the recorder has read its end).
record_bintree "$depth" /tmp/bintree-kernel.json /tmp/record.log
dmesg | grep -E 'gmm: bintree: gc ' | sed 's/^\[[ 0-9.]*\] //' | head -n 8
n=$(dmesg | grep -c 'gmm: bintree: gc ')
[ "$n" -gt 12 ] && echo "... ($n cycles in all; the last ones:)"
[ "$n" -gt 8 ] && dmesg | grep -E 'gmm: bintree: gc ' | sed 's/^\[[ 0-9.]*\] //' | tail -n 4

step "the heap at the end (MemStats) and the run's result"
for what in memstats result; do
	echo "$what:"
	dmesg | grep "gmm_bintree: $what:" | sed 's/^.*'"$what"': //' | tr ' ' '\n' | sed 's/^/    /'
done

step "gmmctl demo: the same collector from user space, on a heap of /dev/gmm"
echo "(recorded for the pictures: --record takes the heap's statistics every"
echo " 20 ms, its spans every 3rd GC cycle and its cycle log)"
gmmctl demo --quiet --record /tmp/heap.json --map-every 3
tour=$?

step "tri-colour marking, one grey object at a time: gmmctl run --step"
echo "(examples/tricolour.gmm: a small tree, a garbage cycle; each step scans"
echo " grey objects - they turn black, what they point to grey - until none is"
echo " left; what stays white is freed.  Recorded for gmmctl serve's page.)"
gmmctl run --step --record /tmp/tricolour.json /share/gmmctl/examples/tricolour.gmm

step "the recordings, shipped to the host to be drawn"
ship /tmp/heap.json
ship /tmp/tricolour.json
[ -s /tmp/bintree-kernel.json ] && ship /tmp/bintree-kernel.json
sed 's/^/    /' /tmp/record.log
bintree_cycles_ok /tmp/bintree-kernel.json | sed 's/^/    /'

step "rmmod gmm"
rmmod gmm || exit 1
dmesg | grep 'gmm:' | tail -n 1
dmesg | grep 'gmm_bintree: result: ok' >/dev/null && [ $tour = 0 ]
