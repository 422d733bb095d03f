#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make demo`: load gmm.ko and show it at work: the
# binary-trees workload (GCBench shape) on a gmm heap with gctrace=1, then
# the heap's MemStats and the collector's numbers, then gmmctl's guided
# tour on a heap of /dev/gmm.
step() { echo; echo "### $*"; }
depth=${1:-14}

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
insmod /lib/gmm/gmm_bintree.ko depth="$depth" && rmmod gmm_bintree
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
gmmctl demo --quiet
tour=$?

step "rmmod gmm"
rmmod gmm || exit 1
dmesg | grep 'gmm:' | tail -n 1
dmesg | grep 'gmm_bintree: result: ok' >/dev/null && [ $tour = 0 ]
