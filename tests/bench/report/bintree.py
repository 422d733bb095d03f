# SPDX-License-Identifier: GPL-2.0
"""binary-trees: gmm vs explicit kmalloc/kfree vs Go's runtime (and gmmctl)."""
import json
import os
import re

from .common import div, fmt, goal_verdict, kv, table, write_csv

IMPL_NAME = {"gmm": "gmm (kernel)", "kmalloc": "kmalloc/kfree", "go": "Go 1.19",
             "gmmctl": "gmmctl (user)"}


def gmmctl_result(text, ncpu):
    """The fields of a result line from `gmmctl -j workload binarytrees`."""
    try:
        j = json.loads(text)
    except ValueError:
        return {"status": "FAILED"}
    t = j.get("time_ns", 0)
    st = j.get("stats", {})
    return {"status": "ok" if j.get("result") == "ok" else "FAILED",
            "time_ms": t / 1e6, "cycles": j.get("num_gc"),
            "pause_max_us": j.get("pause_max_ns", 0) / 1e3,
            "gc_cpu_pct": 100 * j.get("gc_cpu_ns", 0) / (t * ncpu) if t else None,
            "peak_heap_kb": j.get("peak_heap_sys", 0) / 1024,
            "peak_alloc_kb": j.get("peak_heap_alloc", 0) / 1024,
            "heap_inuse_end_kb": st.get("heap_inuse", 0) / 1024,
            "ops": j.get("ops"), "ioctls": j.get("ioctls")}


def bintree_part(sec, a, out, verdicts, js):
    runs = []
    ncpu = re.search(r"cpus=(\d+)", sec.get("booted", [""])[0])
    ncpu = int(ncpu.group(1)) if ncpu else a.smp
    for l in sec.get("bintree", []):
        m = re.match(r"^bintree (\S+) (\d+) ?(.*)$", l)
        if not m:
            continue
        if m.group(3).startswith("json "):
            d = gmmctl_result(m.group(3)[5:], ncpu)
        else:
            d = kv(m.group(3))
        d["impl"], d["depth"] = m.group(1), int(m.group(2))
        d["line"] = m.group(3)
        runs.append(d)
    if not runs:
        return False
    by = {(r["impl"], r["depth"]): r for r in runs}
    depths = sorted({r["depth"] for r in runs})
    print("\n== binary-trees (GCBench shape): gmm vs explicit kmalloc/kfree vs Go's runtime ==")
    print("One run each, one after the other in the same boot; GOGC / gc_percent = 100, "
          "GOMAXPROCS = vCPUs.")
    print("time: wall ms of the whole program (stretch tree, long-lived tree, all short-lived trees).")
    print("x kmalloc, x Go: time / time of the explicit kmalloc/kfree run, of the Go run.")
    print("pauses: every stop-the-world pause (2 per cycle), both counted from the decision to stop "
          "(time to stop included; gmm's alone is 'stop max'),")
    print("  Go's to its histogram bucket's lower edge (buckets ~6 % wide).")
    print("stall max: gmm's longest wait to enter a mutator section or to pass a safepoint that let "
          "a stop in: what the mutator saw.")
    print("GC CPU: gmm: collector CPU (mark workers, assists, pauses; not the idle-priority workers) "
          "/ (wall x CPUs); Go: GCCPUFraction.")
    print("peak: largest HeapInuse sampled after the stretch and long-lived trees and every 1024th "
          "tree; live: most bytes reachable at once.")
    head = ["depth", "impl", "time ms", "x kmalloc", "x Go", "cycles", "pauses",
            "max pause us", "p99 us", "p50 us", "stop max us", "stall max us", "GC CPU %",
            "peak inuse KiB", "peak sys KiB", "live KiB", "peak/live"]
    body, rows = [], []
    for d in depths:
        km = by.get(("kmalloc", d), {}).get("time_ms")
        go = by.get(("go", d), {}).get("time_ms")
        for impl in ("gmm", "kmalloc", "go", "gmmctl"):
            r = by.get((impl, d))
            if not r:
                continue
            t = r.get("time_ms")
            g = impl != "kmalloc"

            def f(k, nd=0):
                v = r.get(k)
                return "-" if v is None or isinstance(v, str) else f"{v:.{nd}f}"
            pl = div(r.get("peak_inuse_kb"), r.get("live_kb"))
            body.append([d, IMPL_NAME.get(impl, impl) + ("" if r["status"] == "ok" else " FAILED"),
                         f("time_ms"), fmt(div(t, km)), fmt(div(t, go)),
                         f("cycles") if g else "-", f("pauses") if g else "-",
                         f("pause_max_us") if g else "-", f("pause_p99_us") if g else "-",
                         f("pause_p50_us") if g else "-", f("stop_latency_max_us"),
                         f("stall_max_us"),
                         f("gc_cpu_pct", 1) if g else "-", f("peak_inuse_kb") if g else "-",
                         f("peak_heap_kb") if g else "-", f("live_kb") if g else "-",
                         fmt(pl) if g else "-"])
            rows.append([d, impl, r["status"], t, div(t, km), div(t, go), r.get("cycles"),
                         r.get("pauses"), r.get("pause_max_us"), r.get("pause_p99_us"),
                         r.get("pause_p50_us"), r.get("stop_latency_max_us"),
                         r.get("stall_max_us"), r.get("gc_cpu_pct"), r.get("peak_heap_kb"), r.get("peak_inuse_kb"),
                         r.get("peak_alloc_kb"), r.get("live_kb")])
    table(head, body)
    write_csv(os.path.join(out, "bintree.csv"),
              ["depth", "impl", "status", "time_ms", "x_kmalloc", "x_go", "cycles", "pauses",
               "pause_max_us", "pause_p99_us", "pause_p50_us", "stop_latency_max_us",
               "stall_max_us", "gc_cpu_pct", "peak_heap_kb", "peak_inuse_kb", "peak_alloc_kb", "live_kb"], rows)
    if not any(r["impl"] == "gmmctl" for r in runs):
        print("(no user-space run: the image's gmmctl has no 'workload binarytrees' command)")
    else:
        print("gmmctl (user): `gmmctl -j workload binarytrees` - the same shape through batched "
              "ioctls (nodes numbered and every number checked,")
        print("  HeapSys/HeapAlloc sampled after every batch); it reports max pause, cycles, "
              "GC CPU and HeapSys only.")
    js["bintree"] = runs
    for d in depths:
        g, go = by.get(("gmm", d)), by.get(("go", d))
        if not g:
            continue
        if go:
            x = div(g.get("time_ms"), go.get("time_ms"))
            verdicts.append(("binary-trees time <= 0.8 x Go", f"depth {d}", fmt(x),
                             x is not None and x <= 0.8))
            x, gx = div(g.get("peak_inuse_kb"), g.get("live_kb")), div(go.get("peak_inuse_kb"), go.get("live_kb"))
            verdicts.append(("peak HeapInuse / live <= Go's", f"binary-trees depth {d}",
                             f"gmm {fmt(x)}, Go {fmt(gx)}", x is not None and gx is not None and x <= gx))
            st, gp = g.get("stall_max_us"), go.get("pause_max_us")
            verdicts.append(("mutator stall max <= Go's max pause", f"binary-trees depth {d}",
                             f"gmm {fmt(st, 0)} us vs Go {fmt(gp, 0)} us",
                             st is not None and gp is not None and st <= gp))
        ctl = by.get(("gmmctl", d))
        if ctl:
            # issue 15, item 7: whole subtrees per ioctl (batch links)
            x = div(ctl.get("time_ms"), g.get("time_ms"))
            print(f"gmmctl (user) / gmm (kernel) at depth {d}: {fmt(x)} x (target <= 5 x)")
            verdicts.append(("gmmctl binary-trees time <= 5 x the in-kernel program",
                             f"depth {d}", fmt(x), x is not None and x <= 5))
        if d == 16:
            sl = g.get("stop_latency_max_us")
            verdicts.append(("time to stop the world max <= 1 ms", "binary-trees depth 16",
                             f"{fmt(sl, 0)} us", sl is not None and sl <= 1000))
        goal_verdict(verdicts, g.get("goal_hist"), f"binary-trees depth {d}")
    return True
