#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make bench`: load gmm.ko, run the benchmark module
# gmm_bench.ko, print what it measured, unload gmm.ko.
#
# gmm_bench.ko does all its work in its init and then fails with EAGAIN so
# that it unloads itself (lib/test_vmalloc.c style); any other failure means
# the benchmark did not run.  It is loaded with kmod's insmod where the
# host put one in the image (/usr/lib/gmm/insmod): busybox's insmod retries
# a failed finit_module() with init_module(), which would run the whole
# benchmark twice (then only the last pass is reported).
#
# Before that, nearly all free guest RAM is written once through tmpfs: QEMU
# backs guest RAM lazily, and without this the first touch of every page
# (a host page fault) would be charged to whichever allocator meets it
# first - mostly gmm, which always takes fresh pages.
#
# Arguments are gmm_bench.ko's module parameters, with ':'
# for ',' (the kernel command line splits gmm_args at commas), e.g.
# "iters=50000 sizes=8:64:4096".  Output (ttyS1):
#   GMM-BEGIN bench csv / csv,<test>,<size>,<cpus>,<ns_per_op>,<ops_per_s>,... /
#   GMM-END bench csv, then the module's own table between
#   GMM-BEGIN bench table / GMM-END bench table.
rc=0
insmod /lib/gmm/gmm.ko || exit 1

# All but 256 MiB of the available memory, through a tmpfs big enough.
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
touch_mb=$((avail - 256))
echo "### touching ${touch_mb} MiB of guest memory once (MemAvailable ${avail} MiB)"
mkdir -p /tmp/touch
mount -t tmpfs -o size=${touch_mb}m touch /tmp/touch &&
	dd if=/dev/zero of=/tmp/touch/fill bs=1M count=$touch_mb 2>&1 | tail -n 1
umount /tmp/touch

params=
for a in "$@"; do
	params="$params $(echo "$a" | tr : ,)"
done
ins=insmod
[ -x /usr/lib/gmm/insmod ] && ins=/usr/lib/gmm/insmod
echo "### $ins gmm_bench.ko$params"
# shellcheck disable=SC2086
out=$($ins /lib/gmm/gmm_bench.ko $params 2>&1)
st=$?
echo "$out"
case "$out" in
*"temporarily unavailable"*|*"Try again"*)
	echo "gmm_bench.ko ran and unloaded itself (EAGAIN, as designed)" ;;
*)
	echo "gmm_bench.ko failed (insmod status $st)"
	rc=1 ;;
esac

# The module's lines of its last pass: from its last "iters=" line on.
dmesg | sed -n 's/^.*gmm_bench: //p' |
	awk '/^iters=/ { n = 0 } { l[n++] = $0 } END { for (i = 0; i < n; i++) print l[i] }' \
	> /tmp/bench.log
echo "GMM-BEGIN bench csv"
grep '^csv,' /tmp/bench.log
echo "GMM-END bench csv"
echo "GMM-BEGIN bench table"
grep -v '^csv,' /tmp/bench.log
echo "GMM-END bench table"

rmmod gmm || rc=1
exit $rc
