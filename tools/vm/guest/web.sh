#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of make check's live web test (tools/vm/check-web.sh):
#   web.sh PORT
# loads gmm.ko and the e1000 driver, gives eth0 QEMU's user-network
# address and serves a stepped GC cycle of examples/tricolour.gmm with
# gmmctl serve on 10.0.2.15:PORT (run-vm.sh -f forwards the host's
# 127.0.0.1 to it; inside this isolated VM the address is not loopback,
# hence --allow-remote).  The host's browser test clicks Step until the
# script has ended; the server exits once the page has stopped asking
# for 20 s, and so does this payload.
port=${1:-8080}
rc=0
check() {	# check NAME COMMAND... : one named pass/fail line
	name=$1; shift
	if "$@"; then echo "GMM-CHECK $name ok"; else echo "GMM-CHECK $name fail"; rc=1; fi
}

check web_module_load insmod /lib/gmm/gmm.ko || exit 1
check web_nic_driver insmod /lib/net/e1000.ko
ip link set lo up
ip link set eth0 up
check web_nic_address ip addr add 10.0.2.15/24 dev eth0
# gmmctl with libmicrohttpd: linked dynamically, its libraries beside it
# (the static gmmctl of the other payloads has no serve).
/bin/gmmctl-web serve \
	--script /share/gmmctl/examples/tricolour.gmm --step \
	--listen 10.0.2.15 --allow-remote --port "$port" \
	--www /share/gmmctl/www --idle-exit 20
st=$?
echo "GMM-CHECK web_serve_exit $([ $st = 0 ] && echo ok || echo "fail status $st")"
[ $st = 0 ] || rc=1
check web_module_unload rmmod gmm
exit $rc
