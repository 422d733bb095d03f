#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-web.sh STOCK_GMM_DIR - make check's test of gmmctl serve and its
# page, run by check.sh after the pictures (Documentation/pictures.rst,
# "Watching in a browser"):
#
#  1. tools/gmmctl/tests/test-serve.py: the server against bad requests,
#     slow clients and the --listen rules, on a recording the VMs shipped;
#  2. tools/gmmctl/tests/test-browser.py in Debian's headless Chromium on
#     every recording the VMs shipped (check-pictures.sh took them out;
#     binary-trees' kernel heap recorded through debugfs among them,
#     guest/bintree-rec.sh):
#     spans drawn = the frame's spans, cycle bands = the cycles, object
#     colours = the listing's at each step, a step moves an object from
#     grey to black, no console errors;
#  3. live: Debian's stock kernel (STOCK_GMM_DIR has its gmm.ko) boots
#     with an e1000 NIC on QEMU's isolated user network, 127.0.0.1:PORT
#     forwarded to it (run-vm.sh -f); guest/web.sh serves a stepped cycle
#     of examples/tricolour.gmm, and the browser clicks Step until the
#     script ends, checking each step against what the server recorded.
#     The guest's gmmctl is a dynamic build with libmicrohttpd (no cairo),
#     shipped with the libraries ldd names.
#
# Screenshots and logs go to $logs/web/; one record per check in $record.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

stock=${1:-}
out=$logs/web
rm -rf "$out"
mkdir -p "$out"
py=/usr/bin/python3
tests=$top/tools/gmmctl/tests
st=0

# Records from a test's output; its status into st.
collect() {
	grep -E '^(PASS|FAIL|SKIP) ' "$1" >> "$record"
	grep '^FAIL ' "$1" >&2
	[ "$2" = 0 ] || st=1
}

if ! hg=$("$top/tools/vm/pictures.sh" gmmctl 2> "$out/build.log"); then
	rec FAIL "web: gmmctl for the host" "$(tail -n 2 "$out/build.log" | tr '\n' ' ')"
	exit 1
fi
if ! ldd "$hg" | grep libmicrohttpd > /dev/null; then
	rec FAIL "web: gmmctl for the host has libmicrohttpd" "pkg-config libmicrohttpd failed?"
	exit 1
fi
mapfile -t recs < <(ls -S "$logs"/pictures/recordings/*.json 2>/dev/null)

# 1. Bad clients, on the biggest recording.
if [ ${#recs[@]} -gt 0 ]; then
	$py "$tests/test-serve.py" "$hg" "${recs[0]}" > "$out/serve.log" 2>&1
	collect "$out/serve.log" $?
else
	rec FAIL "web: recordings to serve" "none in $logs/pictures/recordings"
	st=1
fi

# serve_port LOG: the port a gmmctl serve printed into LOG (waits for it).
serve_port() {
	local _
	for _ in $(seq 100); do
		sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1" | grep . && return 0
		sleep 0.1
	done
	return 1
}

# 2. Every recording in the browser.
for r in "${recs[@]}"; do
	n=$(basename "$r" .json)
	"$hg" serve --input "$r" > "$out/serve-$n.log" 2>&1 &
	pid=$!
	if port=$(serve_port "$out/serve-$n.log"); then
		$py "$tests/test-browser.py" --url "http://127.0.0.1:$port/" \
			--name "$n" --shots "$out" --recording "$r" > "$out/browser-$n.log" 2>&1
		collect "$out/browser-$n.log" $?
	else
		rec FAIL "web: $n: gmmctl serve --input" "no address (see $out/serve-$n.log)"
		st=1
	fi
	kill "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
done

# 3. Live from the stock VM.
sv=$(stock_version) || sv=
if [ -z "$stock" ] || [ -z "$sv" ]; then
	rec FAIL "web: live from the stock VM" "no stock gmm.ko or kernel"
	exit 1
fi
"$top/tools/vm/web-initrd.sh" "$stock" "$sv" "$build/initrd-web.cpio.gz" \
	> "$out/initrd.log" 2>&1 ||
	{ rec FAIL "web: the live VM's initramfs" "see $out/initrd.log"; exit 1; }
port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$top/tools/vm/run-vm.sh" -q -k "/boot/vmlinuz-$sv" -i "$build/initrd-web.cpio.gz" \
	-p web -a 8080 -s 2 -m 1024 -t 900 -f "$port:8080" -o "$out/vm" &
vm=$!
$py "$tests/test-browser.py" --url "http://127.0.0.1:$port/" --name live-stock \
	--shots "$out" --live > "$out/browser-live.log" 2>&1
collect "$out/browser-live.log" $?
wait "$vm"
vst=$?
"$top/tools/vm/scan-log.py" --name "web vm" --console "$out/vm/console.log" \
	--results "$out/vm/results.log" --vm-status $vst \
	--kunit-py /dev/null --record "$record" || st=1
exit $st
