#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of the harness self-tests: do one broken thing (see
# tests/harness/broken/) and report it the way check.sh reports real runs,
# so the host can prove that scan-log.py catches it.
kml=/sys/kernel/debug/kmemleak
case "$1" in
kunit-fail)
	insmod /lib/gmm/gmm_broken_test.ko
	echo "GMM-BEGIN kunit gmm_broken"
	cat /sys/kernel/debug/kunit/gmm_broken/results
	echo "GMM-END kunit gmm_broken"
	rmmod gmm_broken_test ;;
selftest-fail)
	echo "GMM-BEGIN selftest broken_selftest"
	/harness/broken_selftest
	echo "GMM-END selftest broken_selftest rc=$?" ;;
warning)
	insmod /lib/gmm/gmm_broken.ko mode=warning
	rmmod gmm_broken ;;
kmemleak)
	echo clear > $kml
	insmod /lib/gmm/gmm_broken.ko mode=leak
	rmmod gmm_broken
	sleep 6
	echo scan > $kml
	echo scan > $kml
	echo "GMM-BEGIN kmemleak all"
	cat $kml
	echo "GMM-END kmemleak all" ;;
hang)
	insmod /lib/gmm/gmm_broken.ko mode=hang ;;
crash)
	insmod /lib/gmm/gmm_broken.ko mode=crash ;;
*)
	echo "harness.sh: unknown mode '$1'"
	exit 2 ;;
esac
exit 0
