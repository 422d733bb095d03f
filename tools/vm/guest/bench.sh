#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest payload of `make bench`: everything in one boot, in this order:
#   alloc    gmm_bench.ko: ns per object, gmm vs kmalloc/kmem_cache/mempool
#   bintree  binary-trees at each depth: gmm_bintree.ko on gmm, the same
#            module with explicit_free=1 (kmalloc/kfree), Go's runtime
#            (/usr/lib/gmm/binarytrees), and `gmmctl workload binarytrees`
#            when the image has a gmmctl that knows it
#   mark     gmm_bench_mark.ko (mark throughput, memcpy bandwidth), and Go
#            marking the same heap (GODEBUG=gctrace=1)
#   heaps    gmm_bench_heaps.ko (kernel threads with 1000 heaps open)
#   pause    gmm_bench_pause.ko (pauses under a steady load, alloc+reclaim
#            per pair on gmm and kmalloc/kfree), and Go's churn mode
#   pageheap gmm_bench_pageheap.ko (span and large allocations with 1 to
#            512 arenas held) and benchsnap (a SPANS snapshot's longest
#            hold of the page-heap lock, from the heap's debugfs params);
#            the module-wide limit max_total_mb is raised to all but
#            256 MiB of RAM while it runs
#   shrink   gmm_bench_shrink.ko (retained memory while the live set
#            shrinks from 256 to 16 MiB) and Go's shrink mode, twice:
#            scattered survivors (old objects in blocks of block_kb KiB)
#            and churned ones (block_kb=0: the newest objects)
#   profile  (only when asked for with parts=) perf's cpu-clock profile of
#            binary-trees on gmm, kmalloc and Go, of the churn load, and of
#            marking (64 MiB live, 3 forced cycles; building it included)
#
# The benchmark modules do all their work in their init and then fail with
# EAGAIN so that they unload themselves (lib/test_vmalloc.c style); any
# other failure means the benchmark did not run.  They are loaded with
# kmod's insmod where the host put one in the image (/usr/lib/gmm/insmod):
# busybox's insmod retries a failed finit_module() with init_module(),
# which would run the whole benchmark twice.
#
# Before that, nearly all free guest RAM is written once through tmpfs: QEMU
# backs guest RAM lazily, and without this the first touch of every page
# (a host page fault) would be charged to whichever allocator meets it
# first - mostly gmm, which always takes fresh pages.
#
# Arguments (write ',' as ':', the kernel command line splits gmm_args at
# commas):
#   PARAM=VALUE         gmm_bench.ko's module parameters (iters, sizes, ...)
#   parts=alloc:bintree:mark:pause:heaps:pageheap:shrink
#                       what to run (the default; add profile for perf
#                       profiles)
#   depths=16:18        binary-trees depths
#   ctl_depths=16       depths of gmmctl's user-space binary-trees (default:
#                       the first of depths; depth 18 takes 15-30 minutes)
#   mark.PARAM=VALUE    gmm_bench_mark.ko's parameters (mark_mb, chains,
#                       cycles, copy_mb, copy_reps); mark_mb, chains and
#                       cycles go to Go's mark run too
#   heaps.PARAM=VALUE   gmm_bench_heaps.ko's (heaps, alloc_kb, threads)
#   pageheap.PARAM=VALUE gmm_bench_pageheap.ko's (arenas, ops, batch);
#                       arenas goes to benchsnap too
#   shrink.PARAM=VALUE  gmm_bench_shrink.ko's (start_mb, end_mb, step_s,
#                       tail_s, sample_ms, obj_bytes, block_kb); all go to
#                       Go's too (block_kb: of the scattered run)
#   pause.PARAM=VALUE   gmm_bench_pause.ko's (seconds, slots, gc_percent,
#                       gmm, explicit); seconds and slots go to Go's churn too
#   gmm.PARAM=VALUE     gmm.ko's (gctrace=1 to see every cycle on the
#                       console - it slows the runs down)
#
# Output (ttyS1): sections between "GMM-BEGIN <name>" and "GMM-END <name>":
#   bench csv / bench table   gmm_bench.ko's CSV lines and its own table
#   bintree   "bintree <impl> <depth> <result line>" per run (gmmctl's:
#             "json <its JSON result>")
#   mark      gmm_bench_mark.ko's lines, "gctrace ..." and "mark: ... go"
#   pause     gmm_bench_pause.ko's lines, Go's "churn:" and "hist,go,..."
#   pageheap  gmm_bench_pageheap.ko's lines and benchsnap's "snap" lines
#   shrink, shrink churn   the scattered and the churned run:
#             "released_semantics go|cumulative" (debugfs info says
#             whether HeapReleased means Go's bytes-released-and-not-
#             reused; otherwise it is cumulative), gmm_bench_shrink.ko's
#             lines and Go's "step,", "sample," and "shrink:" lines
#   profile <what>   perf report's lines
rc=0
ncpu=$(grep -c ^processor /proc/cpuinfo)

parts=alloc:bintree:mark:pause:heaps:pageheap:shrink
depths=16:18
ctl_depths=
params='' mark_params='' pause_params='' gmm_params='' heaps_params=''
pageheap_params='' shrink_params='' snap_args=''
go_mark='' go_churn='' go_shrink=''
for a in "$@"; do
	a=$(echo "$a" | tr : ,)
	case "$a" in
	parts=*) parts=$(echo "${a#parts=}" | tr , :) ;;
	depths=*) depths=$(echo "${a#depths=}" | tr , :) ;;
	ctl_depths=*) ctl_depths=$(echo "${a#ctl_depths=}" | tr , :) ;;
	gmm.*) gmm_params="$gmm_params ${a#gmm.}" ;;
	heaps.*) heaps_params="$heaps_params ${a#heaps.}" ;;
	pageheap.*)
		a=${a#pageheap.}
		pageheap_params="$pageheap_params $a"
		case "$a" in
		arenas=*) snap_args="-a ${a#arenas=}" ;;
		esac ;;
	shrink.*)
		a=${a#shrink.}
		shrink_params="$shrink_params $a"
		go_shrink="$go_shrink -$a" ;;
	mark.*)
		a=${a#mark.}
		mark_params="$mark_params $a"
		case "$a" in
		mark_mb=*|chains=*|cycles=*) go_mark="$go_mark -$a" ;;
		esac ;;
	pause.*)
		a=${a#pause.}
		pause_params="$pause_params $a"
		case "$a" in
		seconds=*|slots=*) go_churn="$go_churn -$a" ;;
		esac ;;
	*) params="$params $a" ;;
	esac
done
want() { case ":$parts:" in *":$1:"*) return 0 ;; esac; return 1; }
# gmmctl's user-space binary-trees takes minutes at depth 16 under TCG (a
# batched ioctl per 4096 operations or fewer): by default the first depth.
[ -n "$ctl_depths" ] || ctl_depths=$(echo "$depths" | cut -d: -f1)

echo "### insmod gmm.ko$gmm_params"
# shellcheck disable=SC2086
insmod /lib/gmm/gmm.ko $gmm_params || exit 1

# All but 256 MiB of the available memory, through a tmpfs big enough.
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
touch_mb=$((avail - 256))
echo "### touching ${touch_mb} MiB of guest memory once (MemAvailable ${avail} MiB)"
mkdir -p /tmp/touch
mount -t tmpfs -o size=${touch_mb}m touch /tmp/touch &&
	dd if=/dev/zero of=/tmp/touch/fill bs=1M count=$touch_mb 2>&1 | tail -n 1
umount /tmp/touch

ins=insmod
[ -x /usr/lib/gmm/insmod ] && ins=/usr/lib/gmm/insmod

# run_bench MODULE PARAMS...: load a benchmark module that ends with
# EAGAIN; its kernel log lines (prefix stripped) go to /tmp/MODULE.log.
run_bench() {
	m=$1
	shift
	dmesg -c > /dev/null
	echo "### $ins $m.ko $*"
	# shellcheck disable=SC2068
	out=$($ins "/lib/gmm/$m.ko" $@ 2>&1)
	st=$?
	echo "$out"
	dmesg | sed -n "s/^.*$m: //p" > "/tmp/$m.log"
	case "$out" in
	*"temporarily unavailable"*|*"Try again"*)
		echo "$m.ko ran and unloaded itself (EAGAIN, as designed)" ;;
	*)
		echo "$m.ko failed (insmod status $st)"
		rc=1 ;;
	esac
}

if want alloc; then
	# shellcheck disable=SC2086
	run_bench gmm_bench $params
	# The module's lines of its last pass: from its last "iters=" line on.
	awk '/^iters=/ { n = 0 } { l[n++] = $0 } END { for (i = 0; i < n; i++) print l[i] }' \
		/tmp/gmm_bench.log > /tmp/bench.log
	echo "GMM-BEGIN bench csv"
	grep '^csv,' /tmp/bench.log
	echo "GMM-END bench csv"
	echo "GMM-BEGIN bench table"
	grep -v '^csv,' /tmp/bench.log
	echo "GMM-END bench table"
fi

gobin=/usr/lib/gmm/binarytrees
gmmctl=/usr/lib/gmm/gmmctl
ctl_workload=0
[ -x $gmmctl ] && $gmmctl workload --help > /dev/null 2>&1 && ctl_workload=1

if want bintree; then
	: > /tmp/bintree.out
	for d in $(echo "$depths" | tr : ' '); do
		for impl in gmm kmalloc go gmmctl; do
			dmesg -c > /dev/null
			line=
			case $impl in
			gmm|kmalloc)
				ef=0
				[ $impl = kmalloc ] && ef=1
				echo "### insmod gmm_bintree.ko depth=$d explicit_free=$ef"
				if insmod /lib/gmm/gmm_bintree.ko depth="$d" \
					explicit_free=$ef heap_bound_mb=1024; then
					rmmod gmm_bintree
				fi
				line=$(dmesg | grep 'gmm_bintree: result:' | tail -n 1 |
					sed 's/^.*gmm_bintree: //') ;;
			go)
				[ -x $gobin ] || continue
				echo "### GOMAXPROCS=$ncpu GOGC=100 binarytrees -mode bintree -depth $d"
				line=$(GOMAXPROCS=$ncpu GOGC=100 $gobin -mode bintree -depth "$d" 2>&1 |
					grep '^result:' | tail -n 1) ;;
			gmmctl)
				# its JSON line, "json" in front
				[ $ctl_workload = 1 ] || continue
				case ":$ctl_depths:" in *":$d:"*) ;; *) continue ;; esac
				echo "### gmmctl -j workload binarytrees --depth $d --gc-percent 100 -q"
				$gmmctl -j workload binarytrees --depth "$d" --gc-percent 100 -q \
					> /tmp/gmmctl.out 2>&1
				line="json $(grep '^{' /tmp/gmmctl.out | tail -n 1)"
				grep -v '^{' /tmp/gmmctl.out ;;
			esac
			echo "$line"
			case "$line" in
			"result: ok"*|"json {"*'"result": "ok"'*) ;;
			*) echo "bintree $impl depth $d failed"; rc=1 ;;
			esac
			echo "bintree $impl $d $line" >> /tmp/bintree.out
		done
	done
	[ $ctl_workload = 1 ] || echo "### gmmctl has no 'workload' command: user-space binary-trees left out"
	echo "GMM-BEGIN bintree"
	cat /tmp/bintree.out
	echo "GMM-END bintree"
fi

if want mark; then
	# shellcheck disable=SC2086
	run_bench gmm_bench_mark $mark_params
	: > /tmp/gomark.out
	if [ -x $gobin ]; then
		echo "### GOMAXPROCS=$ncpu GOGC=100 GODEBUG=gctrace=1 binarytrees -mode mark$go_mark"
		# shellcheck disable=SC2086
		GOMAXPROCS=$ncpu GOGC=100 GODEBUG=gctrace=1 $gobin -mode mark $go_mark \
			> /tmp/gomark.out 2>&1 || rc=1
		cat /tmp/gomark.out
	fi
	echo "GMM-BEGIN mark"
	cat /tmp/gmm_bench_mark.log
	sed -n 's/^\(gc [0-9]* @.*(forced)\)$/gctrace \1/p' /tmp/gomark.out
	grep '^mark: ' /tmp/gomark.out
	echo "GMM-END mark"
fi

if want pause; then
	# shellcheck disable=SC2086
	run_bench gmm_bench_pause $pause_params
	: > /tmp/gochurn.out
	if [ -x $gobin ]; then
		echo "### GOMAXPROCS=$ncpu GOGC=100 binarytrees -mode churn$go_churn"
		# shellcheck disable=SC2086
		GOMAXPROCS=$ncpu GOGC=100 $gobin -mode churn $go_churn \
			> /tmp/gochurn.out 2>&1 || rc=1
		grep '^churn:' /tmp/gochurn.out
	fi
	echo "GMM-BEGIN pause"
	cat /tmp/gmm_bench_pause.log
	grep -E '^(churn:|hist,)' /tmp/gochurn.out
	echo "GMM-END pause"
fi

if want heaps; then
	# shellcheck disable=SC2086
	run_bench gmm_bench_heaps $heaps_params
	echo "GMM-BEGIN heaps"
	cat /tmp/gmm_bench_heaps.log
	echo "GMM-END heaps"
fi

if want pageheap; then
	# 512 arenas are 2 GiB: more than the module-wide limit's default
	# (half of RAM) allows.
	lim=/sys/module/gmm/parameters/max_total_mb
	old_lim=$(cat $lim)
	total=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
	echo $((total - 256)) > $lim
	# shellcheck disable=SC2086
	run_bench gmm_bench_pageheap $pageheap_params
	: > /tmp/benchsnap.out
	if [ -x /usr/lib/gmm/benchsnap ]; then
		echo "### benchsnap $snap_args"
		# shellcheck disable=SC2086
		/usr/lib/gmm/benchsnap $snap_args > /tmp/benchsnap.out 2>&1 || rc=1
		cat /tmp/benchsnap.out
	fi
	echo "$old_lim" > $lim
	echo "GMM-BEGIN pageheap"
	cat /tmp/gmm_bench_pageheap.log
	grep '^snap' /tmp/benchsnap.out
	echo "GMM-END pageheap"
fi

# shrink_run SECTION EXTRA: the module and Go's shrink mode with the
# shrink.* parameters and EXTRA after them; their lines into SECTION.
shrink_run() {
	sem=cumulative
	grep -q '^released_semantics: go' /sys/kernel/debug/gmm/info 2>/dev/null && sem=go
	# shellcheck disable=SC2086
	run_bench gmm_bench_shrink $shrink_params $2
	: > /tmp/goshrink.out
	if [ -x $gobin ]; then
		echo "### GOMAXPROCS=$ncpu GOGC=100 binarytrees -mode shrink$go_shrink ${2:+-$2}"
		# shellcheck disable=SC2086
		GOMAXPROCS=$ncpu GOGC=100 $gobin -mode shrink $go_shrink ${2:+-$2} \
			> /tmp/goshrink.out 2>&1 || rc=1
		grep -v -E '^(step|sample),' /tmp/goshrink.out
	fi
	echo "GMM-BEGIN $1"
	echo "released_semantics $sem"
	cat /tmp/gmm_bench_shrink.log
	grep -E '^(shrink:|step,|sample,)' /tmp/goshrink.out
	echo "GMM-END $1"
}

if want shrink; then
	shrink_run shrink ''			# scattered survivors
	shrink_run "shrink churn" block_kb=0	# churned survivors
fi

# Where the time goes: perf's cpu-clock sampling over all CPUs (TCG has no
# PMU, so no cycle or instruction counters), kernel symbols from
# /proc/kallsyms; only with parts=...:profile and a perf in the image.
perf=/usr/lib/gmm/perf
if want profile && [ -x $perf ]; then
	echo 0 > /proc/sys/kernel/kptr_restrict
	pd=$(echo "$depths" | cut -d: -f1)
	for what in bintree-gmm bintree-kmalloc bintree-go churn-gmm churn-kmalloc churn-go \
		mark-gmm mark-go; do
		case $what in
		bintree-gmm) cmd="insmod /lib/gmm/gmm_bintree.ko depth=$pd heap_bound_mb=1024" ;;
		bintree-kmalloc) cmd="insmod /lib/gmm/gmm_bintree.ko depth=$pd explicit_free=1" ;;
		bintree-go) cmd="GOMAXPROCS=$ncpu GOGC=100 $gobin -mode bintree -depth $pd" ;;
		churn-gmm) cmd="$ins /lib/gmm/gmm_bench_pause.ko seconds=5 explicit=0" ;;
		churn-kmalloc) cmd="$ins /lib/gmm/gmm_bench_pause.ko seconds=5 gmm=0" ;;
		churn-go) cmd="GOMAXPROCS=$ncpu GOGC=100 $gobin -mode churn -seconds 5" ;;
		mark-gmm) cmd="$ins /lib/gmm/gmm_bench_mark.ko mark_mb=64 cycles=3 copy_mb=8 copy_reps=1" ;;
		mark-go) cmd="GOMAXPROCS=$ncpu GOGC=100 $gobin -mode mark -mark_mb 64 -cycles 3" ;;
		esac
		echo "### perf record -a -e cpu-clock -F 999 -- $cmd"
		$perf record -a -e cpu-clock -F 999 -o /tmp/perf.data -- sh -c "$cmd" \
			> /tmp/perf.out 2>&1
		tail -n 3 /tmp/perf.out
		echo "GMM-BEGIN profile $what"
		$perf report -i /tmp/perf.data --stdio --sort dso,sym --percent-limit 0.5 \
			2> /dev/null | grep -v -e '^#' -e '^$' | head -n 40
		echo "GMM-END profile $what"
		rmmod gmm_bintree 2> /dev/null
		rm -f /tmp/perf.data
	done
fi

rmmod gmm || rc=1
exit $rc
