// SPDX-License-Identifier: GPL-2.0
//
// shrink.go - `binarytrees -mode shrink`: the Go peer of
// tests/bench/gmm_bench_shrink.c (`make bench`, part "shrink").
//
//	binarytrees -mode shrink -start_mb 256 -end_mb 16 -step_s 5 -tail_s 20
//		-sample_ms 100 -obj_bytes 1024 -workers 2
//
// Each worker (a goroutine) keeps a table of pointers to pointer-free
// objects of obj_bytes bytes and replaces one after the other, as fast as
// it can, in the first `active` slots of its table.  The tables together
// first hold start_mb MiB; once every table has been filled, `active` is
// halved every step_s seconds (the slots beyond it are cleared) until the
// live set is end_mb MiB, and the load goes on for tail_s more seconds.
// Every sample_ms ms from the start the main goroutine reads
// runtime.ReadMemStats: what the heap retains is HeapSys - HeapReleased.
//
// Output (stdout), as the kernel module's lines (sizes in KiB, times in ms
// since the start):
//
//	step,go,<ms>,<live>
//	sample,go,<ms>,<live>,<HeapSys>,<HeapReleased>,<HeapInuse>,<NextGC>,<NumGC>
//	shrink: ok mode=go workers=... ops=... cycles=... samples=...
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var (
	startMB  = flag.Int("start_mb", 256, "shrink: live set at the start, MiB")
	endMB    = flag.Int("end_mb", 16, "shrink: live set at the end, MiB")
	stepS    = flag.Int("step_s", 5, "shrink: seconds between two halvings")
	tailS    = flag.Int("tail_s", 20, "shrink: seconds at the end live set")
	sampleMs = flag.Int("sample_ms", 100, "shrink: sampling interval, ms")
	objBytes = flag.Int("obj_bytes", 1024, "shrink: object size, bytes")
)

// shrinkWorker replaces objects in the first `active` slots of its table
// until stop is set; filled is signalled after the first pass.
func shrinkWorker(slots int, active *int64, stop *int32, filled *sync.WaitGroup,
	ops *uint64) {
	table := make([]*byte, slots)
	last := slots
	first := true
	var cnt uint64
	for i := 0; atomic.LoadInt32(stop) == 0; i++ {
		if a := int(atomic.LoadInt64(active)); a < last {
			for j := a; j < last; j++ {
				table[j] = nil
			}
			last = a
		}
		if i >= last {
			i = 0
			if first {
				first = false
				filled.Done()
			}
		}
		b := make([]byte, *objBytes)
		table[i] = &b[0]
		cnt++
	}
	if first {
		filled.Done()
	}
	atomic.StoreUint64(ops, cnt)
	runtime.KeepAlive(table)
}

func shrink() int {
	nw := *workers
	if nw < 1 || *objBytes < 1 || *endMB < 1 || *endMB > *startMB ||
		*stepS < 1 || *tailS < 1 || *sampleMs < 10 {
		fmt.Println("shrink: FAILED bad parameters")
		return 2
	}
	slots := (*startMB << 20) / (*objBytes * nw)
	end := int64((*endMB << 20) / (*objBytes * nw))
	liveKB := func(a int64) int64 { return a * int64(nw) * int64(*objBytes) >> 10 }
	active := int64(slots)
	var stop int32
	var filled, done sync.WaitGroup
	ops := make([]uint64, nw)
	t0 := time.Now()
	filled.Add(nw)
	done.Add(nw)
	for w := 0; w < nw; w++ {
		go func(w int) {
			defer done.Done()
			shrinkWorker(slots, &active, &stop, &filled, &ops[w])
		}(w)
	}
	full := make(chan struct{})
	go func() { filled.Wait(); close(full) }()

	var ms runtime.MemStats
	var since time.Duration
	isFull, samples := false, 0
	for {
		runtime.ReadMemStats(&ms)
		now := time.Since(t0)
		samples++
		fmt.Printf("sample,go,%d,%d,%d,%d,%d,%d,%d\n", now.Milliseconds(),
			liveKB(atomic.LoadInt64(&active)), ms.HeapSys>>10, ms.HeapReleased>>10,
			ms.HeapInuse>>10, ms.NextGC>>10, ms.NumGC)
		step := false
		select {
		case <-full:
			if !isFull {
				isFull, step = true, true
				break
			}
			a := atomic.LoadInt64(&active)
			if a > end && now-since >= time.Duration(*stepS)*time.Second {
				if a /= 2; a < end {
					a = end
				}
				atomic.StoreInt64(&active, a)
				step = true
			} else if a <= end && now-since >= time.Duration(*tailS)*time.Second {
				atomic.StoreInt32(&stop, 1)
			}
		default:
		}
		if atomic.LoadInt32(&stop) != 0 {
			break
		}
		if step {
			since = now
			fmt.Printf("step,go,%d,%d\n", now.Milliseconds(), liveKB(atomic.LoadInt64(&active)))
		}
		time.Sleep(time.Duration(*sampleMs) * time.Millisecond)
	}
	done.Wait()
	var total uint64
	for w := range ops {
		total += atomic.LoadUint64(&ops[w])
	}
	fmt.Printf("shrink: ok mode=go workers=%d obj_bytes=%d start_mb=%d end_mb=%d step_s=%d tail_s=%d sample_ms=%d ops=%d cycles=%d samples=%d gomaxprocs=%d\n",
		nw, *objBytes, *startMB, *endMB, *stepS, *tailS, *sampleMs, total, ms.NumGC,
		samples, runtime.GOMAXPROCS(0))
	return 0
}
