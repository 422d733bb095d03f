// SPDX-License-Identifier: GPL-2.0
//
// shrink.go - `binarytrees -mode shrink`: the Go peer of
// tests/bench/gmm_bench_shrink.c (`make bench`, part "shrink").
//
//	binarytrees -mode shrink -start_mb 256 -end_mb 16 -step_s 5 -tail_s 30
//		-sample_ms 100 -obj_bytes 1024 -block_kb 64 -workers 2
//
// Each worker (a goroutine) fills a table of pointers with pointer-free
// objects of obj_bytes bytes; the tables together hold start_mb MiB.  Once
// every table is full, the live set halves every step_s seconds (slots are
// cleared) until it is end_mb MiB (the last halving that leaves at least
// that), and the load goes on for tail_s more seconds.  Meanwhile the
// workers allocate as fast as they can: with block_kb > 0 (scattered
// survivors) the table's objects are never replaced, each halving clears
// every other block of block_kb KiB of slots among those still live, and
// the allocations go to a ring of 256 slots per worker (short-lived); with
// block_kb = 0 (churned survivors) the workers replace the objects of the
// live slots, a prefix of the table that halves, one after the other.
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
	tailS    = flag.Int("tail_s", 30, "shrink: seconds at the end live set")
	sampleMs = flag.Int("sample_ms", 100, "shrink: sampling interval, ms")
	objBytes = flag.Int("obj_bytes", 1024, "shrink: object size, bytes")
	blockKB  = flag.Int("block_kb", 64, "shrink: survivors in blocks of this many KiB; 0: churned survivors")
)

const shrinkRing = 256 // short-lived objects per worker

// shrinkShape says which slots of a table are live after k halvings.
type shrinkShape struct {
	slots, block int
}

func (sh shrinkShape) live(i, k int) bool {
	if sh.block == 0 {
		return i < sh.slots>>k
	}
	return (i/sh.block)&(1<<k-1) == 0
}

func (sh shrinkShape) liveSlots(k int) int {
	n := 0
	for i := 0; i < sh.slots; i++ {
		if sh.live(i, k) {
			n++
		}
	}
	return n
}

// shrinkWorker fills its table, then allocates until stop is set: into the
// live slots (churned survivors) or its ring (scattered survivors); filled
// is signalled after the first pass.
func shrinkWorker(sh shrinkShape, level *int32, stop *int32, filled *sync.WaitGroup,
	ops *uint64) {
	table := make([]*byte, sh.slots)
	ring := make([]*byte, shrinkRing)
	lvl := 0
	first := true
	var cnt uint64
	for i := 0; atomic.LoadInt32(stop) == 0; {
		if k := int(atomic.LoadInt32(level)); k != lvl {
			for j := range table {
				if !sh.live(j, k) {
					table[j] = nil
				}
			}
			lvl = k
			if !sh.live(i, lvl) {
				i = 0
			}
		}
		b := make([]byte, *objBytes)
		cnt++
		if !first && sh.block > 0 {
			ring[cnt%shrinkRing] = &b[0]
			continue
		}
		table[i] = &b[0]
		if i++; i == sh.slots || !sh.live(i, lvl) {
			i = 0
			if first {
				first = false
				filled.Done()
			}
		}
	}
	if first {
		filled.Done()
	}
	atomic.StoreUint64(ops, cnt)
	runtime.KeepAlive(table)
	runtime.KeepAlive(ring)
}

func shrink() int {
	nw := *workers
	endLevel := 0
	for *endMB > 0 && endLevel < 30 && *startMB>>(endLevel+1) >= *endMB {
		endLevel++
	}
	var sh shrinkShape
	if nw > 0 && *objBytes > 0 {
		sh = shrinkShape{slots: (*startMB << 20) / (*objBytes * nw), block: (*blockKB << 10) / *objBytes}
	}
	if nw < 1 || *objBytes < 1 || *endMB < 1 || *endMB > *startMB || *blockKB < 0 ||
		*stepS < 1 || *tailS < 1 || *sampleMs < 10 || sh.slots>>endLevel == 0 ||
		(*blockKB > 0 && (sh.block == 0 || sh.slots/sh.block < 1<<endLevel)) {
		fmt.Println("shrink: FAILED bad parameters")
		return 2
	}
	liveKB := func(k int32) int { return sh.liveSlots(int(k)) * nw * *objBytes >> 10 }
	var level int32
	live := liveKB(0)
	var stop int32
	var filled, done sync.WaitGroup
	ops := make([]uint64, nw)
	t0 := time.Now()
	filled.Add(nw)
	done.Add(nw)
	for w := 0; w < nw; w++ {
		go func(w int) {
			defer done.Done()
			shrinkWorker(sh, &level, &stop, &filled, &ops[w])
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
			live, ms.HeapSys>>10, ms.HeapReleased>>10,
			ms.HeapInuse>>10, ms.NextGC>>10, ms.NumGC)
		step := false
		select {
		case <-full:
			if !isFull {
				isFull, step = true, true
				break
			}
			k := atomic.LoadInt32(&level)
			if int(k) < endLevel && now-since >= time.Duration(*stepS)*time.Second {
				atomic.StoreInt32(&level, k+1)
				live = liveKB(k + 1)
				step = true
			} else if int(k) == endLevel && now-since >= time.Duration(*tailS)*time.Second {
				atomic.StoreInt32(&stop, 1)
			}
		default:
		}
		if atomic.LoadInt32(&stop) != 0 {
			break
		}
		if step {
			since = now
			fmt.Printf("step,go,%d,%d\n", now.Milliseconds(), live)
		}
		time.Sleep(time.Duration(*sampleMs) * time.Millisecond)
	}
	done.Wait()
	var total uint64
	for w := range ops {
		total += atomic.LoadUint64(&ops[w])
	}
	fmt.Printf("shrink: ok mode=go workers=%d obj_bytes=%d block_kb=%d start_mb=%d end_mb=%d step_s=%d tail_s=%d sample_ms=%d ops=%d cycles=%d samples=%d gomaxprocs=%d\n",
		nw, *objBytes, *blockKB, *startMB, *endMB, *stepS, *tailS, *sampleMs, total, ms.NumGC,
		samples, runtime.GOMAXPROCS(0))
	return 0
}
