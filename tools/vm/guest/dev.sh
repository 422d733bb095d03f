#!/bin/sh
. "$(dirname "$0")/kunit.sh"
insmod /lib/gmm/gmm.ko kunit_suites=gmm_trace,gmm_scavenge,gmm_pagesum || exit 1
kunit_results
for t in gmm_scavenge_test gmm_limits_test; do
	echo "GMM-BEGIN selftest $t"
	/selftests/$t
	echo "GMM-END selftest $t rc=$?"
done
for h in /sys/kernel/debug/gmm/*/; do cat $h/pageheap 2>/dev/null | head -3; done
