#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the guest payloads (sourced, not a payload of its own):
#   kunit_results   load gmm_test.ko (its suites run at load), print the
#                   KTAP of every suite between GMM-BEGIN/GMM-END lines,
#                   unload it
#   run_selftests   run every /selftests program between such lines
kunit_results() {
	insmod /lib/gmm/gmm_test.ko
	for d in /sys/kernel/debug/kunit/*/; do
		s=$(basename "$d")
		echo "GMM-BEGIN kunit $s"
		cat "$d/results"
		echo "GMM-END kunit $s"
	done
	rmmod gmm_test
}

run_selftests() {
	for t in /selftests/*; do
		[ -x "$t" ] || continue
		echo "GMM-BEGIN selftest $(basename "$t")"
		"$t"
		echo "GMM-END selftest $(basename "$t") rc=$?"
	done
}
