#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make stress`:
#   stress.sh SECONDS [SUITES [selftests]]
# the KUnit suites (SUITES joined by '+'; default all) with the collector's
# stress suite (gmm_gc_stress) running SECONDS long, checkmark on; with
# "selftests", every selftest afterwards (the KCSAN kernel's run).
secs=${1:-600}
suites=$(echo "${2:-}" | tr + ,)
[ -w /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
insmod /lib/gmm/gmm.ko checkmark=1 kunit_stress_seconds="$secs" \
	kunit_suites="$suites" || exit 1
insmod /lib/gmm/gmm_test.ko
for d in /sys/kernel/debug/kunit/*/; do
	s=$(basename "$d")
	echo "GMM-BEGIN kunit $s"
	cat "$d/results"
	echo "GMM-END kunit $s"
done
dmesg | grep -E 'stress|checkmark' | tail -n 20
rmmod gmm_test
if [ "${3:-}" = selftests ]; then
	for t in /selftests/*; do
		[ -x "$t" ] || continue
		echo "GMM-BEGIN selftest $(basename "$t")"
		"$t"
		echo "GMM-END selftest $(basename "$t") rc=$?"
	done
fi
rmmod gmm || exit 1
