#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make stress`:
#   stress.sh SECONDS [SUITES [selftests]]
# the KUnit suites (SUITES joined by '+'; default all) with the collector's
# stress suite (gmm_gc_stress) running SECONDS long, checkmark on; with
# "selftests", every selftest afterwards (the KCSAN kernel's run).
# shellcheck source=kunit.sh
. "$(dirname "$0")/kunit.sh"
secs=${1:-600}
suites=$(echo "${2:-}" | tr + ,)
[ -w /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
insmod /lib/gmm/gmm.ko checkmark=1 kunit_stress_seconds="$secs" \
	kunit_suites="$suites" || exit 1
kunit_results
dmesg | grep -E 'stress|checkmark' | tail -n 20
[ "${3:-}" = selftests ] && run_selftests
rmmod gmm || exit 1
