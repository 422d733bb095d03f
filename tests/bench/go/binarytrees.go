// SPDX-License-Identifier: GPL-2.0
//
// binarytrees.go - Go's runtime as the peer of gmm in `make bench`.
//
// The same programs the kernel side runs, written for Go's own allocator
// and collector, so that gmm and Go are compared inside the same VM
// (Debian's golang-1.19, CGO_ENABLED=0, GOMAXPROCS=2, GOGC=100):
//
//	binarytrees -mode bintree -depth 16
//		tests/workload/gmm_bintree.c: the GCBench shape.  A stretch tree
//		of depth max+1 built, checked and dropped; a long-lived tree of
//		depth max kept for the whole run; for d = 4, 6, ..., max,
//		2^(max-d+4) trees of depth d built, checked and dropped.  A node
//		is two pointers (16 bytes), allocated before its children, as in
//		gmm's make_gmm(); the same node counts are checked.  The heap is
//		sampled at the same points (after the stretch and long-lived
//		trees, every 1024th tree, at the end).
//	binarytrees -mode churn -seconds 10 -slots 65536 -workers 2
//		tests/bench/gmm_bench_pause.c: each worker keeps a table of
//		`slots` pairs of 32-byte objects (a head pointing to a fresh
//		second object) and replaces one pair after the other, for a
//		warm-up of one pass over the table and then `seconds` seconds:
//		a steady allocation load with a fixed live set.  The pause
//		distribution of the measured window is reported.
//	binarytrees -mode mark -mark_mb 128 -chains 65536 -cycles 3
//		tests/bench/gmm_bench_mark.c: a live heap of mark_mb MiB of
//		32-byte objects linked in `chains` lists, then `cycles` forced
//		collections (runtime.GC()); run with GODEBUG=gctrace=1, whose
//		"(forced)" lines give each cycle's mark CPU time.
//	binarytrees -mode shrink -start_mb 256 -end_mb 16 ...
//		tests/bench/gmm_bench_shrink.c: a churn whose live set halves
//		step by step, HeapSys - HeapReleased sampled (shrink.go).
//
// Output, one machine-readable line per result (stdout), like the kernel
// modules' result lines:
//
//	result: ok depth=16 mode=go time_ms=... cycles=... pause_max_us=...
//		pause_p99_us=... gc_cpu_pct=... peak_heap_kb=... ...
//	churn: ok mode=go seconds=... ops=... ... p50_us=... p90_us=...
//	hist,go,<lo_ns>,<hi_ns>,<count>     (pause histogram, churn window)
//	mark: ok mode=go live_kb=... cycles=...
//
// Pauses come from runtime/metrics' /gc/pauses:seconds: every single
// stop-the-world pause (two per cycle), counted from the decision to stop
// (so the time to stop the world is included) in buckets about 6 % wide;
// a percentile is reported as the lower edge of its bucket.  MemStats'
// PauseNs ring holds the sum of a cycle's two pauses: its largest value is
// reported as pausens_cycle_max_us.  gc_cpu_pct is MemStats.GCCPUFraction
// (GC CPU time over GOMAXPROCS x wall time since the program started, idle
// mark workers left out).  peak_heap_kb is the largest HeapSys seen,
// peak_inuse_kb the largest HeapInuse, peak_alloc_kb the largest
// HeapAlloc; live_kb the most bytes the program keeps reachable at once.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/metrics"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type node struct {
	left, right *node
}

// pair is the churn and mark object: one pointer and 24 bytes of payload.
type pair struct {
	next *pair
	pad  [3]uint64
}

var (
	mode    = flag.String("mode", "bintree", "bintree, churn, mark or shrink")
	depth   = flag.Int("depth", 16, "bintree: max tree depth (>= 6)")
	seconds = flag.Float64("seconds", 10, "churn: measured seconds")
	slots   = flag.Int("slots", 65536, "churn: pairs each worker keeps live")
	workers = flag.Int("workers", runtime.GOMAXPROCS(0), "churn: allocating goroutines")
	markMB  = flag.Int("mark_mb", 128, "mark: live heap in MiB")
	chains  = flag.Int("chains", 65536, "mark: linked lists the live heap is made of")
	cycles  = flag.Int("cycles", 3, "mark: forced collections")
)

// heap sampling through runtime/metrics (no stop-the-world)
var (
	heapSamples = []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	peakAlloc, peakInuse, peakSys uint64
)

func sampleHeap() {
	metrics.Read(heapSamples)
	v := func(i int) uint64 {
		if heapSamples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return heapSamples[i].Value.Uint64()
	}
	alloc := v(0)
	inuse := alloc + v(1)
	sys := inuse + v(2) + v(3)
	if alloc > peakAlloc {
		peakAlloc = alloc
	}
	if inuse > peakInuse {
		peakInuse = inuse
	}
	if sys > peakSys {
		peakSys = sys
	}
}

// pauseHist returns the cumulative STW pause histogram.
func pauseHist() *metrics.Float64Histogram {
	s := []metrics.Sample{{Name: "/gc/pauses:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return &metrics.Float64Histogram{}
	}
	h := s[0].Value.Float64Histogram()
	c := &metrics.Float64Histogram{
		Counts:  append([]uint64(nil), h.Counts...),
		Buckets: h.Buckets,
	}
	return c
}

// histDelta: the pauses of b that are not in a (a taken earlier).
func histDelta(a, b *metrics.Float64Histogram) *metrics.Float64Histogram {
	d := &metrics.Float64Histogram{
		Counts:  append([]uint64(nil), b.Counts...),
		Buckets: b.Buckets,
	}
	for i := range a.Counts {
		if i < len(d.Counts) {
			d.Counts[i] -= a.Counts[i]
		}
	}
	return d
}

func edgeNs(x float64) uint64 {
	if math.IsInf(x, -1) || x < 0 {
		return 0
	}
	if math.IsInf(x, 1) {
		return math.MaxUint64
	}
	return uint64(math.Round(x * 1e9))
}

// histQuantile: the lower edge (ns) of the bucket holding the sample of
// nearest rank ceil(q * n); q = 1 gives the largest pause's bucket.
func histQuantile(h *metrics.Float64Histogram, q float64) uint64 {
	var n uint64
	for _, c := range h.Counts {
		n += c
	}
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	var cum uint64
	for i, c := range h.Counts {
		cum += c
		if cum >= rank {
			return edgeNs(h.Buckets[i])
		}
	}
	return 0
}

func histCount(h *metrics.Float64Histogram) uint64 {
	var n uint64
	for _, c := range h.Counts {
		n += c
	}
	return n
}

func printHist(tag string, h *metrics.Float64Histogram) {
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		hi := edgeNs(h.Buckets[i+1])
		fmt.Printf("hist,%s,%d,%d,%d\n", tag, edgeNs(h.Buckets[i]), hi, c)
	}
}

// pauseNsCycleMax: the largest per-cycle pause sum in MemStats.PauseNs
// among cycles numbered above since.
func pauseNsCycleMax(ms *runtime.MemStats, since uint32) uint64 {
	var m uint64
	for c := since + 1; c <= ms.NumGC; c++ {
		if ms.NumGC-c >= 256 {
			continue
		}
		if p := ms.PauseNs[(c+255)%256]; p > m {
			m = p
		}
	}
	return m
}

// ---- binary-trees ----

func makeTree(d int) *node {
	n := &node{}
	if d > 0 {
		n.left = makeTree(d - 1)
		n.right = makeTree(d - 1)
	}
	return n
}

func check(n *node) uint64 {
	if n == nil {
		return 0
	}
	return 1 + check(n.left) + check(n.right)
}

func oneTree(d int) uint64 {
	return check(makeTree(d))
}

func bintree() int {
	const minDepth = 4
	maxDepth := *depth
	if maxDepth < 6 {
		maxDepth = 6
	}
	ok := true
	h0 := pauseHist()
	t0 := time.Now()

	if c := oneTree(maxDepth + 1); c != (4<<maxDepth)-1 { // stretch
		ok = false
	}
	sampleHeap()
	longLived := makeTree(maxDepth)
	sampleHeap()

	for d := minDepth; d <= maxDepth; d += 2 {
		iters := uint64(1) << (maxDepth - d + minDepth)
		var c uint64
		for i := uint64(0); i < iters; i++ {
			c += oneTree(d)
			if i&1023 == 0 {
				sampleHeap()
			}
		}
		if c != iters*((2<<d)-1) {
			ok = false
		}
	}
	if check(longLived) != (2<<maxDepth)-1 {
		ok = false
	}
	elapsed := time.Since(t0)
	runtime.KeepAlive(longLived)
	sampleHeap()

	h := histDelta(h0, pauseHist())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	// Most nodes live at once: the stretch tree, or the long-lived tree
	// and one tree of depth max.
	live := uint64((4<<maxDepth)-1) * 16
	if l := uint64((2<<maxDepth)-1) * 2 * 16; l > live {
		live = l
	}
	status := "ok"
	if !ok {
		status = "FAILED"
	}
	fmt.Printf("result: %s depth=%d mode=go time_ms=%d cycles=%d pause_max_us=%d pause_p99_us=%d pause_p50_us=%d pauses=%d pausens_cycle_max_us=%d gc_cpu_pct=%.1f peak_heap_kb=%d peak_inuse_kb=%d peak_alloc_kb=%d live_kb=%d gomaxprocs=%d\n",
		status, maxDepth, elapsed.Milliseconds(), ms.NumGC,
		histQuantile(h, 1)/1000, histQuantile(h, 0.99)/1000,
		histQuantile(h, 0.5)/1000, histCount(h),
		pauseNsCycleMax(&ms, 0)/1000, ms.GCCPUFraction*100,
		peakSys>>10, peakInuse>>10, peakAlloc>>10, live>>10,
		runtime.GOMAXPROCS(0))
	if !ok {
		return 1
	}
	return 0
}

// ---- churn ----

func churn() int {
	n := *slots
	nw := *workers
	if n < 1 || nw < 1 {
		fmt.Println("churn: FAILED bad parameters")
		return 2
	}
	var stop, measuring int32
	var filled sync.WaitGroup
	var done sync.WaitGroup
	ops := make([]uint64, nw)
	filled.Add(nw)
	done.Add(nw)
	for w := 0; w < nw; w++ {
		go func(w int) {
			defer done.Done()
			table := make([]*pair, n)
			var cnt uint64
			first := true
			for i := 0; atomic.LoadInt32(&stop) == 0; i++ {
				if i == n {
					i = 0
					if first {
						first = false
						filled.Done()
					}
				}
				a := &pair{}
				a.next = &pair{}
				table[i] = a
				if atomic.LoadInt32(&measuring) != 0 {
					cnt++
				}
				if w == 0 && i&1023 == 0 {
					sampleHeap()
				}
			}
			if first {
				filled.Done()
			}
			ops[w] = cnt
			runtime.KeepAlive(table)
		}(w)
	}
	filled.Wait() // warm-up: every table full once
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	h0 := pauseHist()
	atomic.StoreInt32(&measuring, 1)
	t0 := time.Now()
	time.Sleep(time.Duration(*seconds * float64(time.Second)))
	h1 := pauseHist()
	el := time.Since(t0)
	atomic.StoreInt32(&stop, 1)
	done.Wait()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	var total uint64
	for _, c := range ops {
		total += c
	}
	h := histDelta(h0, h1)
	live := uint64(nw) * uint64(n) * (2*32 + 8)
	nsPerOp := 0.0
	if total > 0 {
		// CPU ns per pair: the workers' wall time over their pairs.
		nsPerOp = float64(el.Nanoseconds()) * float64(nw) / float64(total)
	}
	fmt.Printf("churn: ok mode=go seconds=%.1f workers=%d slots=%d ops=%d ns_per_op=%.1f cycles=%d pauses=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f pausens_cycle_max_us=%d gc_cpu_pct=%.1f peak_heap_kb=%d peak_inuse_kb=%d live_kb=%d\n",
		el.Seconds(), nw, n, total, nsPerOp, ms.NumGC-ms0.NumGC,
		histCount(h),
		float64(histQuantile(h, 0.5))/1000, float64(histQuantile(h, 0.9))/1000,
		float64(histQuantile(h, 0.99))/1000, float64(histQuantile(h, 1))/1000,
		pauseNsCycleMax(&ms, ms0.NumGC)/1000, ms.GCCPUFraction*100,
		peakSys>>10, peakInuse>>10, live>>10)
	printHist("go", h)
	return 0
}

// ---- mark ----

func mark() int {
	nc := *chains
	objs := (*markMB << 20) / 32
	if nc < 1 || objs < nc {
		fmt.Println("mark: FAILED bad parameters")
		return 2
	}
	table := make([]*pair, nc)
	for i := 0; i < objs; i++ {
		c := i % nc
		p := &pair{next: table[c]}
		table[c] = p
	}
	var ms runtime.MemStats
	times := make([]float64, 0, *cycles)
	for i := 0; i < *cycles; i++ {
		t0 := time.Now()
		runtime.GC()
		times = append(times, float64(time.Since(t0).Microseconds())/1000)
	}
	runtime.ReadMemStats(&ms)
	sort.Float64s(times)
	var n int
	for _, p := range table {
		for ; p != nil; p = p.next {
			n++
		}
	}
	status := "ok"
	if n != objs {
		status = "FAILED"
	}
	fmt.Printf("mark: %s mode=go objects=%d live_kb=%d heap_alloc_kb=%d cycles=%d gc_ms_median=%.1f gomaxprocs=%d\n",
		status, n, objs*32>>10, ms.HeapAlloc>>10, *cycles,
		times[len(times)/2], runtime.GOMAXPROCS(0))
	runtime.KeepAlive(table)
	if status != "ok" {
		return 1
	}
	return 0
}

func main() {
	flag.Parse()
	var rc int
	switch *mode {
	case "bintree":
		rc = bintree()
	case "churn":
		rc = churn()
	case "mark":
		rc = mark()
	case "shrink":
		rc = shrink()
	default:
		fmt.Fprintf(os.Stderr, "binarytrees: unknown mode %q\n", *mode)
		rc = 2
	}
	os.Exit(rc)
}
