#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make bench`: load gmm.ko, run the benchmark module
# gmm_bench.ko, print what it measured, unload gmm.ko.
#
# gmm_bench.ko does all its work in its init and then fails with EAGAIN so
# that it unloads itself (lib/test_vmalloc.c style); any other failure means
# the benchmark did not run.  Arguments are its module parameters, with ':'
# for ',' (the kernel command line splits gmm_args at commas), e.g.
# "iters=50000 sizes=8:64:4096".  Output (ttyS1):
#   GMM-BEGIN bench csv / csv,<test>,<size>,<cpus>,<ns_per_op>,<ops_per_s> /
#   GMM-END bench csv, then the module's own table between
#   GMM-BEGIN bench table / GMM-END bench table.
rc=0
insmod /lib/gmm/gmm.ko || exit 1

params=
for a in "$@"; do
	params="$params $(echo "$a" | tr : ,)"
done
echo "### insmod gmm_bench.ko$params"
# shellcheck disable=SC2086
out=$(insmod /lib/gmm/gmm_bench.ko $params 2>&1)
st=$?
echo "$out"
case "$out" in
*"temporarily unavailable"*|*"Try again"*)
	echo "gmm_bench.ko ran and unloaded itself (EAGAIN, as designed)" ;;
*)
	echo "gmm_bench.ko failed (insmod status $st)"
	rc=1 ;;
esac

echo "GMM-BEGIN bench csv"
dmesg | grep 'gmm_bench: csv,' | sed 's/^.*gmm_bench: //'
echo "GMM-END bench csv"
echo "GMM-BEGIN bench table"
dmesg | grep 'gmm_bench: ' | grep -v 'gmm_bench: csv,' | sed 's/^.*gmm_bench: //'
echo "GMM-END bench table"

rmmod gmm || rc=1
exit $rc
