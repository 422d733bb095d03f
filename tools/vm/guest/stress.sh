#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make stress`: the KUnit suites with the collector's
# stress suite (gmm_gc_stress) running SECONDS long, checkmark on.
secs=${1:-600}
[ -w /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
insmod /lib/gmm/gmm.ko checkmark=1 kunit_stress_seconds="$secs" || exit 1
insmod /lib/gmm/gmm_test.ko
for d in /sys/kernel/debug/kunit/*/; do
	s=$(basename "$d")
	echo "GMM-BEGIN kunit $s"
	cat "$d/results"
	echo "GMM-END kunit $s"
done
dmesg | grep -E 'stress|checkmark' | tail -n 20
rmmod gmm_test
rmmod gmm || exit 1
