#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the guest payloads demo.sh and check.sh (sourced, not a
# payload of its own):
#   record_bintree DEPTH OUT LOG
#       run the binary-trees module (gmm_bintree.ko depth=DEPTH) while
#       `gmmctl record --heap bintree` records its heap through debugfs
#       into OUT (its summary into LOG); returns insmod's status.  The
#       module keeps its heap until rmmod (keep_heap=1), and the recorder
#       is stopped with SIGINT while the heap is still there: its last
#       poll then reads the last sample and every cycle, which the heap
#       going away first would cut short.
#   bintree_cycles_ok OUT
#       whether OUT has cycles, as many as the module's memstats line says
#       the heap ran (NumGC), the cycles_lost of its end line counted
#       with them; prints what it found.
record_bintree() {
	gmmctl record --heap bintree --wait --seconds 600 --interval 100 \
		--map-interval 1 -o "$2" 2> "$3" &
	_rec=$!
	insmod /lib/gmm/gmm_bintree.ko depth="$1" keep_heap=1
	_st=$?
	kill -INT "$_rec"
	wait "$_rec"
	[ "$_st" = 0 ] && rmmod gmm_bintree
	return "$_st"
}

bintree_cycles_ok() {
	_n=$(grep -c '"type": "cycle"' "$1" 2> /dev/null)
	_lost=$(sed -n 's/.*"type": "end".*"cycles_lost": \([0-9]*\).*/\1/p' "$1" 2> /dev/null)
	_gc=$(dmesg | sed -n 's/.*gmm_bintree: memstats:.* NumGC=\([0-9]*\).*/\1/p' | tail -n 1)
	echo "bintree recording: ${_n:-no} cycles, ${_lost:-?} lost; the heap ran ${_gc:-?}"
	[ -n "$_gc" ] && [ "${_n:-0}" -gt 0 ] && [ $((_n + ${_lost:-0})) -ge "$_gc" ]
}
