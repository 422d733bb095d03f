#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make check`: load gmm.ko, run the KUnit module (where the
# kernel has KUnit) and every selftest binary, unload, and ask kmemleak
# (where the kernel has it) for leaks.  Output is the results stream the
# host's scan-log.py reads:
#   GMM-CHECK <name> ok|fail [message]
#   GMM-BEGIN kunit|selftest|kmemleak <name> ... GMM-END ...
# shellcheck source=kunit.sh
. "$(dirname "$0")/kunit.sh"
# shellcheck source=bintree-rec.sh
. "$(dirname "$0")/bintree-rec.sh"
kml=/sys/kernel/debug/kmemleak
rc=0
check() {	# check NAME COMMAND... : one named pass/fail line
	name=$1; shift
	if "$@"; then echo "GMM-CHECK $name ok"; else echo "GMM-CHECK $name fail"; rc=1; fi
}

[ -w $kml ] && echo clear > $kml

check module_load insmod /lib/gmm/gmm.ko || exit 1
check dev_node_mode_0600 test "$(stat -c %a /dev/gmm)" = 600
check debugfs_info grep -q '^version: ' /sys/kernel/debug/gmm/info
check load_line_printed sh -c 'dmesg | grep -q "gmm: Go-style memory manager .* loaded"'

[ -f /lib/gmm/gmm_test.ko ] && kunit_results
run_selftests

# The binary-trees workload (GCBench shape) with gctrace on: bintree=DEPTH.
for a in "$@"; do
	case "$a" in
	bintree=*)
		d=${a#bintree=}
		echo 1 > /sys/module/gmm/parameters/gctrace
		if [ -x /bin/gmmctl ]; then
			# Recorded through debugfs for the pictures and the page
			# (check-pictures.sh, check-web.sh): every cycle in it.
			record_bintree "$d" /tmp/bintree-kernel.json /tmp/record.log
			check gmmctl_record_bintree_cycles \
				bintree_cycles_ok /tmp/bintree-kernel.json
		else
			insmod /lib/gmm/gmm_bintree.ko depth="$d" && rmmod gmm_bintree
		fi
		line=$(dmesg | grep 'gmm_bintree: result:' | tail -n 1)
		echo "$line"
		dmesg | grep 'gmm: bintree: gc ' | tail -n 3
		case "$line" in
		*"result: ok"*) echo "GMM-CHECK bintree_depth_$d ok" ;;
		*) echo "GMM-CHECK bintree_depth_$d fail ${line:-no result line}"; rc=1 ;;
		esac
		echo 0 > /sys/module/gmm/parameters/gctrace ;;
	esac
done

# The sample client (samples/gmm): an LRU cache with a weak index and
# cleanups; its load runs a check ("result:"), its unload destroys the heap
# and counts the resources the cleanups freed ("exit:").
if [ -f /lib/gmm/gmm_sample_cache.ko ]; then
	dmesg -c > /dev/null
	insmod /lib/gmm/gmm_sample_cache.ko && rmmod gmm_sample_cache
	lines=$(dmesg | grep 'gmm_sample_cache: ')
	echo "$lines"
	case "$lines" in
	*"result: ok"*"exit: ok"*) echo "GMM-CHECK sample_client ok" ;;
	*) echo "GMM-CHECK sample_client fail ${lines:-no result line}"; rc=1 ;;
	esac
fi

# --- gmmctl and libgmm (tools/): each command below opens a heap of its
# own.  The example program, every example script (their expect lines fail
# them), a batched workload that checks what it reads back, and the tour.
check gmmctl_present test -x /bin/gmmctl
check gmm_example /bin/gmm_example
for s in /share/gmmctl/examples/*.gmm; do
	n=${s##*/}
	check "gmmctl_run_${n%.gmm}" gmmctl run "$s"
done
check gmmctl_workload_binarytrees_depth_10 gmmctl workload binarytrees --depth 10 --quiet \
	--record /tmp/own-heap.json --map-every 2
check gmmctl_demo gmmctl demo --quiet --ops 30000
# --- end of gmmctl

# --- pictures (tools/vm/check-pictures.sh draws and checks them on the
# host): the binary-trees run above recorded its own heap (--record);
# here gmmctl record samples another process's heap through debugfs.  Both
# recordings are shipped on this port, gzip'd and base64'd between marker
# lines with their SHA-256.
if [ -x /bin/gmmctl ]; then
	gmmctl workload churn --seconds 3 --size 16-2048 --quiet > /tmp/churn.log 2>&1 &
	churn=$!
	check gmmctl_record_debugfs gmmctl record --heap "pid$churn" --wait \
		--seconds 10 --interval 20 --map-interval 0.5 -o /tmp/debugfs-heap.json
	check gmmctl_churn_while_recorded wait $churn
	# A stepped GC cycle, its object listings recorded (gmmctl serve's
	# objects panel; tools/vm/check-web.sh shows it in a browser).
	check gmmctl_run_step gmmctl run --step --record /tmp/step-heap.json \
		/share/gmmctl/examples/tricolour.gmm
	for f in /tmp/own-heap.json /tmp/debugfs-heap.json /tmp/step-heap.json \
		/tmp/bintree-kernel.json; do
		[ -s $f ] || continue
		gzip -c $f > $f.gz
		echo "GMM-FILE-BEGIN ${f##*/}.gz $(sha256sum < $f.gz | cut -d' ' -f1)"
		base64 < $f.gz
		echo "GMM-FILE-END ${f##*/}.gz"
	done
fi
# --- end of pictures

# ---- gmm:* tracepoints through tracefs (begin) --------------------------
# The judge of the trace: reads /tmp/gmm-trace.txt, prints one
# "GMM-CHECK trace_<event> ok|fail" line per event (lost: events the ring
# buffer overwrote).
# shellcheck disable=SC2016 # an awk program, not shell
gmm_trace_awk='
function bad(e, why) {
	if (!(e in err))
		err[e] = why
}
{
	e = ""
	for (i = 1; i <= NF; i++)
		if ($i ~ /^gmm_[a-z_]+:$/) {
			e = substr($i, 1, length($i) - 1)
			break
		}
	if (e == "")
		next
	split("", f)
	for (j = i + 1; j <= NF; j++) {
		k = index($j, "=")
		if (k)
			f[substr($j, 1, k - 1)] = substr($j, k + 1)
	}
	n[e]++
	h = f["heap"]
	if (h == "")
		bad(e, "no heap field")
	rest = substr($0, index($0, e ":"))
	if (rest ~ /0x|ffff/)
		bad(e, "looks like an address: " rest)
	if (e == "gmm_gc_cycle_start") {
		if (f["num"] != last_start[h] + 1)
			bad(e, "num " f["num"] " after " last_start[h] + 0)
		last_start[h] = f["num"]
		if (f["goal"] + 0 <= 0 || f["trigger"] + 0 <= 0)
			bad(e, rest)
		starts[h]++
	} else if (e == "gmm_gc_cycle_end") {
		if (f["num"] != last_start[h])
			bad(e, "num " f["num"] " but started " last_start[h] + 0)
		# A cycle may legitimately mark nothing (the pacer
		# started it just as the workload dropped its last
		# root), so heap2 may be 0; the next goal is never
		# below what was marked, and some cycle of every
		# heap marked something (binary-trees keeps a
		# long-lived tree for its whole run).
		if (f["stw1_ns"] + 0 <= 0 || f["stw2_ns"] + 0 <= 0 ||
		    f["mark_ns"] + 0 <= 0 || f["goal"] + 0 <= 0 ||
		    f["next_goal"] + 0 < f["heap2"] + 0 ||
		    f["next_goal"] + 0 <= 0 || f["heap2"] == "")
			bad(e, rest)
		if (f["heap2"] + 0 > 0)
			marked[h]++
		ends[h]++
	} else if (e == "gmm_gc_phase") {
		cur = (h in phase) ? phase[h] : "off"
		if (f["old"] != cur || f["num"] != last_start[h] ||
		    !((f["old"] == "off" && f["new"] == "mark") ||
		      (f["old"] == "mark" && f["new"] == "markterm") ||
		      (f["old"] == "markterm" && f["new"] == "off") ||
		      (f["old"] == "mark" && f["new"] == "off")))
			bad(e, "in phase " cur ": " rest)
		phase[h] = f["new"]
	} else if (e == "gmm_gc_stw") {
		want = (pause[h] == 1) ? 2 : 1
		if (f["pause"] != want || f["duration_ns"] + 0 <= 0 ||
		    f["latency_ns"] == "" || f["num"] != last_start[h])
			bad(e, "expected pause " want ": " rest)
		pause[h] = f["pause"]
		stws[h]++
	} else if (e == "gmm_gc_assist") {
		if (f["owed"] + 0 <= 0 || f["scanned"] + 0 <= 0 ||
		    f["duration_ns"] == "")
			bad(e, rest)
	} else if (e == "gmm_span_alloc" || e == "gmm_span_free") {
		if (f["npages"] + 0 < 1 || f["spanclass"] + 0 > 135 ||
		    f["arena"] == "" || f["page"] == "")
			bad(e, rest)
		key = h SUBSEP f["arena"] SUBSEP f["page"]
		if (e == "gmm_span_alloc") {
			if (spans[key] != "")
				bad(e, "span made twice: " rest)
			spans[key] = f["npages"] SUBSEP f["spanclass"]
		} else {
			if (!lost && spans[key] != f["npages"] SUBSEP f["spanclass"])
				bad(e, "not a live span: " rest)
			delete spans[key]
		}
	} else if (e == "gmm_arena_alloc" || e == "gmm_arena_free") {
		p = 1	# 2 ^ order: busybox awk may lack pow()
		for (o = 0; o < f["order"] + 0 && o < 20; o++)
			p *= 2
		if (f["pages"] + 0 != p || f["order"] + 0 > 10 ||
		    f["arena"] == "")
			bad(e, rest)
		arenas[h] += (e == "gmm_arena_alloc") ? 1 : -1
	}
}
END {
	split("gmm_gc_cycle_start gmm_gc_cycle_end gmm_gc_phase gmm_gc_stw gmm_gc_assist gmm_span_alloc gmm_span_free gmm_arena_alloc gmm_arena_free", need)
	# Whether a run assists at all depends on timing: an assist
	# event must be well formed, but the KUnit gmm_trace and
	# gmm_gc suites prove that one fires (a cycle held in mark).
	for (i = 1; i in need; i++)
		if (!n[need[i]] && need[i] != "gmm_gc_assist")
			bad(need[i], "never fired")
	for (h in ends)
		if (!marked[h])
			bad("gmm_gc_cycle_end", "no cycle of heap " h " marked anything")
	for (h in starts)
		if (stws[h] < 2 * ends[h] || stws[h] > 2 * starts[h])
			bad("gmm_gc_stw", stws[h] " pauses for " starts[h] " cycles started, " ends[h] " ended")
	if (!lost) {
		for (k in spans)
			bad("gmm_span_free", "a span was never freed")
		for (h in arenas)
			if (arenas[h])
				bad("gmm_arena_free", arenas[h] " arenas of heap " h " never freed")
	}
	for (i = 1; i in need; i++) {
		e = need[i]
		if (e in err)
			print "GMM-CHECK trace_" e " fail " err[e]
		else
			print "GMM-CHECK trace_" e " ok " n[e] " events"
	}
}'

# With every gmm event enabled, run the binary-trees workload again (depth
# as asked, at most 14) and check the trace buffer: every event the
# workload causes fired with sane fields, the per-heap sequences hold
# (cycle numbers, phases off->mark->markterm->off, pauses 1 then 2), and
# after the heap's destruction every span and arena made was freed.
# gmm_scavenge and gmm_shrink need idle arenas at the right moment: only
# their registration is checked here (KUnit's gmm_trace suite fires them).
gmm_trace_check() {
	tr=/sys/kernel/tracing
	ev=$tr/events/gmm
	d=$1
	[ "$d" -gt 14 ] && d=14
	if [ ! -d $ev ]; then
		echo "GMM-CHECK trace_events_registered fail no $ev (tracefs not mounted or no CONFIG_EVENT_TRACING)"
		rc=1
		return
	fi
	missing=
	for e in gmm_gc_cycle_start gmm_gc_cycle_end gmm_gc_phase gmm_gc_stw \
		 gmm_gc_assist gmm_span_alloc gmm_span_free gmm_arena_alloc \
		 gmm_arena_free gmm_scavenge gmm_shrink; do
		[ -f $ev/$e/format ] || missing="$missing $e"
	done
	if [ -z "$missing" ]; then
		echo "GMM-CHECK trace_events_registered ok"
	else
		echo "GMM-CHECK trace_events_registered fail missing:$missing"
		rc=1
	fi
	echo 0 > $tr/tracing_on
	echo 16384 > $tr/buffer_size_kb
	# One clock for all CPUs: a span made on one and freed on the other
	# must show in that order.
	echo global > $tr/trace_clock
	echo > $tr/trace
	echo 1 > $ev/enable
	echo 1 > $tr/tracing_on
	insmod /lib/gmm/gmm_bintree.ko depth="$d" && rmmod gmm_bintree
	echo 0 > $tr/tracing_on
	echo 0 > $ev/enable
	lost=$(cat $tr/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }')
	grep ' gmm_[a-z_]*: ' $tr/trace > /tmp/gmm-trace.txt
	echo "trace: $(wc -l < /tmp/gmm-trace.txt) gmm events at depth $d, $lost overwritten"
	grep -m 2 'gmm_gc_cycle_end: ' /tmp/gmm-trace.txt
	awk -v lost="$lost" "$gmm_trace_awk" /tmp/gmm-trace.txt > /tmp/gmm-trace.res ||
		echo "GMM-CHECK trace_parse fail awk exited with $?" >> /tmp/gmm-trace.res
	cat /tmp/gmm-trace.res
	if [ "$(grep -c '^GMM-CHECK trace_gmm_' /tmp/gmm-trace.res)" != 9 ]; then
		echo "GMM-CHECK trace_parse fail no verdict for some events"
		rc=1
	fi
	grep -q '^GMM-CHECK [^ ]* fail' /tmp/gmm-trace.res && rc=1
	rm -f /tmp/gmm-trace.txt /tmp/gmm-trace.res
	echo > $tr/trace
	echo local > $tr/trace_clock
	echo 1408 > $tr/buffer_size_kb
}

for a in "$@"; do
	case "$a" in
	bintree=*) gmm_trace_check "${a#bintree=}" ;;
	esac
done
# ---- gmm:* tracepoints through tracefs (end) ----------------------------

check module_unload rmmod gmm
check dev_node_gone test ! -e /dev/gmm

if [ -w $kml ]; then
	# kmemleak only reports objects older than 5 s; scan twice so the
	# second pass confirms what the first found.
	sleep 6
	echo scan > $kml
	echo scan > $kml
	echo "GMM-BEGIN kmemleak all"
	cat $kml
	echo "GMM-END kmemleak all"
fi
exit $rc
