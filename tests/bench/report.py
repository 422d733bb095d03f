#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""report.py - turn what `make bench`'s VM printed into one table, CSV and
JSON files and the data of the plots (tools/vm/bench.sh runs it).

    report.py --results LOGDIR/results.log --out BUILD/bench --kernel VER
              [--others N] [--otherpct P] [--host-cpus N] [--host-cpu MODEL]
              [--qemu VERSION] [--smp N] [--mem MB] [--command CMD]
              [--plot BENCHPLOT]

Reads the sections tools/vm/guest/bench.sh prints (GMM-BEGIN/GMM-END),
writes alloc.csv, bintree.csv, mark.csv, churn.csv, pauses.csv and
bench.json to --out, draws alloc.png, alloc-ncpu.png and pauses.png with
--plot when given, and prints the table on stdout.  Exit status 1 when the
results are missing a part that ran, 0 otherwise: the targets are
reported, not enforced.
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import sys

NOISE = 0.25          # an allocation figure whose runs spread more is noisy


def sections(path):
    """{name: [lines]} of the GMM-BEGIN/GMM-END sections, plus 'booted'."""
    out, cur = {}, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("GMM-VM-BOOTED"):
            out["booted"] = [line.split(None, 1)[1].strip()]
        m = re.match(r"^GMM-BEGIN (.*)$", line)
        if m:
            cur = m.group(1)
            out[cur] = []
            continue
        if re.match(r"^GMM-END ", line):
            cur = None
            continue
        if cur is not None:
            out[cur].append(line)
    return out


def kv(line):
    """key=value fields of a result line, numbers as float where they parse."""
    d = {}
    for tok in line.split():
        if "=" not in tok:
            continue
        k, v = tok.split("=", 1)
        try:
            d[k] = float(v)
        except ValueError:
            d[k] = v
    d["status"] = "ok" if re.search(r"(^|\s)(result|churn|mark|heaps): ok\b", line) else "FAILED"
    return d


def table(head, body):
    w = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
    out = [" | ".join(str(h).rjust(w[i]) for i, h in enumerate(head)),
           "-+-".join("-" * x for x in w)]
    for r in body:
        out.append(" | ".join(str(v).rjust(w[i]) for i, v in enumerate(r)))
    print("\n".join(out))


def fmt(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"


def div(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def write_csv(path, head, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def plot(tool, out, data, title, xl, yl, logx, logy, steps=False):
    """Draw with benchplot; data: [(series, x, y)]."""
    if not tool or not data:
        return None
    args = [tool, "-o", out, "-t", title, "-x", xl, "-y", yl]
    if logx:
        args.append("-X")
    if logy:
        args.append("-Y")
    if steps:
        args.append("-s")
    txt = "".join(f"{s}\t{x!r}\t{y!r}\n" for s, x, y in data)
    with open(out[:-4] + ".tsv", "w") as f:
        f.write(txt)
    r = subprocess.run(args, input=txt, text=True)
    if r.returncode:
        print(f"bench: benchplot failed for {out}", file=sys.stderr)
        return None
    return out


# ---- allocation ----------------------------------------------------------

ALLOC_TESTS = [("gmm_noscan", "gmm noscan"), ("gmm_scan", "gmm scan"),
               ("kmalloc_pair", "kmalloc+kfree"), ("kmalloc_alloc", "kmalloc alloc"),
               ("kmalloc_hot", "kmalloc hot"), ("kmem_cache_pair", "kmem_cache"),
               ("mempool_pair", "mempool")]


def alloc_part(sec, a, out, verdicts, js):
    lines = [l[4:] for l in sec.get("bench csv", []) if l.startswith("csv,")]
    conf = next((l.strip() for l in sec.get("bench table", []) if l.startswith("iters=")), "")
    path = os.path.join(out, "alloc.csv")
    with open(path, "w") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))
    rows = list(csv.DictReader(open(path)))
    if not rows:
        return False
    val, noisy = {}, set()
    for r in rows:
        k = (r["test"], int(r["size"]), int(r["cpus"]))
        val[k] = (float(r["ns_per_op"]), float(r["ops_per_s"]))
        if r.get("ns_min") and r.get("ns_max") and val[k][0] and \
           (float(r["ns_max"]) - float(r["ns_min"])) / val[k][0] > NOISE:
            noisy.add(k)
    sizes = sorted({k[1] for k in val})
    ncpus = sorted({k[2] for k in val})
    batch = re.search(r"batch=(\d+)", conf)
    runs = re.search(r"runs=(\d+)", conf)

    def ns(t, s, c):
        v = val.get((t, s, c))
        return (f"{v[0]:.1f}" + ("*" if (t, s, c) in noisy else "")) if v else "-"

    def ratio(x, y, s, c):
        p, q = val.get((x, s, c)), val.get((y, s, c))
        return p[0] / q[0] if p and q and q[0] else None

    print("== Allocation: ns per object ==")
    print(f"({conf})")
    print(f"Median of {runs.group(1) if runs else '?'} runs; lower is better.")
    gmin = re.search(r"gmm_min_mb=(\d+)", conf)
    print("gmm: allocation only (gmm has no free): a fresh heap per run"
          + (f", at least {gmin.group(1)} MiB per CPU" if gmin else "")
          + ", zeroing of its new arenas included.")
    print(f"kmalloc+kfree, kmem_cache, mempool: alloc+free per object, in batches of "
          f"{batch.group(1) if batch else '?'}; 'kmalloc alloc' = the alloc half alone;")
    print("'kmalloc hot' = kmalloc+kfree of one object at once (SLUB's best case).")
    print("gmm/kmalloc = gmm noscan / kmalloc+kfree; gmm/kmalloc alloc = gmm noscan / kmalloc alloc.")
    print("With N CPUs: the slowest CPU's ns per object while all N run at once.")
    print(f"* = its runs spread by more than {NOISE:.0%} of the median (max - min): a noisy figure.")
    if "init_on_alloc=1" in conf:
        print("init_on_alloc=1 (Debian's default): the kernel allocators zero every object, as gmm does.")
    elif "init_on_alloc=0" in conf:
        print("init_on_alloc=0: the kernel allocators do not zero objects; gmm does.")
    head = ["size", "gmm noscan", "gmm scan", "kmalloc+kfree", "kmalloc alloc",
            "kmalloc hot", "kmem_cache", "mempool", "gmm/kmalloc", "gmm/kmalloc alloc"]
    for c in ncpus:
        print(f"\n{c} CPU{'s' if c > 1 else ''}")
        body = []
        for s in sizes:
            body.append([s] + [ns(t, s, c) for t, _ in ALLOC_TESTS] +
                        [fmt(ratio("gmm_noscan", "kmalloc_pair", s, c)),
                         fmt(ratio("gmm_noscan", "kmalloc_alloc", s, c))])
        table(head, body)

    if len(ncpus) > 1:
        n = ncpus[-1]
        print(f"\nScaling: aggregate ops/s on {n} CPUs / ops/s on 1 CPU (target >= 1.8 on 2)")
        tests = [t for t in ALLOC_TESTS if t[0] != "kmalloc_alloc"]
        body = []
        for s in sizes:
            row = [s]
            for t, _ in tests:
                p, q = val.get((t, s, n)), val.get((t, s, 1))
                mark = "*" if (t, s, n) in noisy or (t, s, 1) in noisy else ""
                row.append(fmt(p[1] / q[1]) + mark if p and q and q[1] else "-")
            body.append(row)
        table(["size"] + [h for _, h in tests], body)

    small = [s for s in sizes if 16 <= s <= 256]
    for c in ncpus:
        for t in ("gmm_noscan", "gmm_scan"):
            keys = [s for s in small if (t, s, c) in val and ("kmalloc_pair", s, c) in val]
            clean = [s for s in keys if (t, s, c) not in noisy and ("kmalloc_pair", s, c) not in noisy]
            xs = [round(ratio(t, "kmalloc_pair", s, c), 2) for s in clean]
            verdicts.append(("fast-path alloc <= 0.7 x kmalloc+kfree, 16-256 B",
                             f"{t}, {c} CPU{'s' if c > 1 else ''}",
                             (f"{min(xs):.2f} .. {max(xs):.2f}" if xs else "no clean figure")
                             + (f" ({len(keys) - len(clean)} noisy left out)" if len(keys) != len(clean) else ""),
                             (max(xs) <= 0.7) if xs else None))
    if len(ncpus) > 1:
        n = ncpus[-1]

        def scaling(t, s):
            p, q = val.get((t, s, n)), val.get((t, s, 1))
            if not p or not q or not q[1] or (t, s, n) in noisy or (t, s, 1) in noisy:
                return None
            return p[1] / q[1]
        kernel = ("kmalloc_pair", "kmalloc_hot", "kmem_cache_pair", "mempool_pair")
        for t in ("gmm_noscan", "gmm_scan"):
            xs = [(s, scaling(t, s)) for s in sizes if scaling(t, s) is not None]
            low = []
            for s, x in xs:
                ref = sorted(y for y in (scaling(k, s) for k in kernel) if y is not None)
                if round(x, 2) < 1.8 and ref:
                    low.append(f"{s} B {x:.2f} (kernel allocators {ref[len(ref) // 2]:.2f})")
            v = [round(x, 2) for _, x in xs]
            verdicts.append(("all-CPU >= 1.8 x 1 CPU (scaling)", f"{t}, {n} CPUs",
                             (f"{min(v):.2f} .. {max(v):.2f}" if v else "no clean figure")
                             + ("; below 1.8: " + ", ".join(low) if low else ""),
                             (min(v) >= 1.8) if v else None))

    js["alloc"] = {"config": conf, "rows": rows, "noisy": sorted(f"{t}/{s}/{c}" for t, s, c in noisy)}
    for c in ncpus:
        data = [(h, s, val[(t, s, c)][0]) for t, h in ALLOC_TESTS for s in sizes if (t, s, c) in val]
        name = "alloc.png" if c == 1 else "alloc-ncpu.png"
        png = plot(a.plot, os.path.join(out, name), data,
                   f"ns per object by size, {c} CPU{'s' if c > 1 else ''} (Debian {a.kernel}, QEMU TCG)",
                   "object size (bytes)", "ns per object (log)", True, True)
        if png:
            js.setdefault("plots", []).append(png)
    return True


# ---- binary-trees ----------------------------------------------------------

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


GOAL_EDGES = ["<= 1.00", "<= 1.05", "<= 1.10", "<= 1.20", "<= 1.50", "> 1.50"]


def goal_verdict(verdicts, hist, where):
    """Heap at mark termination over the goal: >= 95 % of cycles within 1.1."""
    if not isinstance(hist, str):
        return
    n = [int(x) for x in hist.split(":")]
    total = sum(n)
    if not total:
        return
    ok = sum(n[:3]) / total
    dist = ", ".join(f"{e}: {c}" for e, c in zip(GOAL_EDGES, n) if c)
    verdicts.append(("heap at mark end <= 1.1 x goal in >= 95 % of cycles", where,
                     f"{100 * ok:.0f} % ({dist})", ok >= 0.95))


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


# ---- marking -----------------------------------------------------------------

def mark_part(sec, a, out, verdicts, js):
    lines = sec.get("mark", [])
    if not lines:
        return False
    copies, cycles, gm, gomark, trace, conf = {}, [], None, None, [], {}
    for l in lines:
        p = l.split(",")
        if l.startswith("mark_mb="):
            conf = kv(l)
        if p[0] == "copy" and len(p) == 4:
            copies.setdefault(p[1], []).append((int(p[2]), int(p[3])))
        elif p[0] == "cycle" and len(p) in (10, 11):
            cycles.append([int(x) for x in p[1:]] + [0] * (11 - len(p)))
        elif l.startswith("mark: ") and "mode=go" in l:
            gomark = kv(l)
        elif l.startswith("mark: "):
            gm = kv(l)
        elif l.startswith("gctrace "):
            m = re.search(r"([\d.]+)\+([\d.]+)\+([\d.]+) ms clock, "
                          r"([\d.]+)\+([\d.]+)/([\d.]+)/([\d.]+)\+([\d.]+) ms cpu, "
                          r"(\d+)->(\d+)->(\d+) MB", l)
            if m:
                trace.append([float(m.group(i)) for i in range(1, 12)])
    if not gm:
        print("\n== Marking: no result ==")
        return False
    rows = []
    for c in cycles:
        num, marked, scanned, bg, assist, mark_ns, stw1, stw2, root, idle = c
        rows.append(["gmm", num, marked, scanned, bg + idle + assist, mark_ns + stw2,
                     marked * 1e3 / max(bg + idle + assist, 1), marked * 1e3 / max(mark_ns + stw2, 1)])
    go_mbps, go_wall = [], []
    go_bytes = gomark.get("heap_alloc_kb", 0) * 1024 if gomark else 0
    for i, t in enumerate(trace):
        # clock: stw1 + mark + stw2; cpu: stw1 + assist/background/idle + stw2
        cpu_ms, wall_ms = t[4] + t[5] + t[6], t[1] + t[2]
        mbps = go_bytes / (cpu_ms * 1e3) if cpu_ms else None
        wall = go_bytes / (wall_ms * 1e3) if wall_ms else None
        go_mbps.append(mbps)
        go_wall.append(wall)
        rows.append(["go", i + 1, go_bytes, None, int(cpu_ms * 1e6), int(wall_ms * 1e6), mbps, wall])
    write_csv(os.path.join(out, "mark.csv"),
              ["impl", "cycle", "marked_bytes", "scanned_bytes", "mark_cpu_ns", "mark_wall_ns",
               "mark_mbps_per_worker", "mark_wall_mbps"], rows)

    def med(v):
        v = sorted(x for x in v if x is not None)
        return v[len(v) // 2] if v else None
    mem = gm.get("memcpy_mbps")
    wc = gm.get("wordcopy_mbps")
    mk = gm.get("mark_mbps")
    gom = med(go_mbps)
    print("\n== Marking: a large live heap, forced collections, nothing else running ==")
    print(f"live heap: {gm.get('live_kb', 0) / 1024:.0f} MiB of 32-byte objects in linked lists "
          f"({gm.get('objects', 0):.0f} objects), {gm.get('cycles', 0):.0f} forced cycles, median.")
    print("per worker: bytes marked / marking CPU time (gmm: the mark workers' time, idle-priority "
          "included, and mark termination's drain; Go: assist+background+idle mark CPU from gctrace).")
    print(f"memcpy: the kernel's memcpy() between two {conf.get('copy_mb', 0):.0f} MiB buffers "
          "(more than the host's LLC), MB/s of bytes copied; word copy: a loop of 8-byte loads and stores.")
    print("MB/s wall: marked bytes / (concurrent mark + mark termination); both use every CPU "
          "(gmm: 25 % fractional workers plus idle-priority workers; Go: the same).")

    def pct(x, y):
        r = div(x, y)
        return fmt(None if r is None else 100 * r, 0)
    body = [["gmm (kernel)", fmt(mk, 0), fmt(gm.get("mark_wall_mbps"), 0), f"{gm.get('workers', 1):.0f}",
             pct(mk, mem), pct(mk, wc)],
            ["Go 1.19", fmt(gom, 0), fmt(med(go_wall), 0), f"{gomark.get('gomaxprocs', 0):.0f}" if gomark else "-",
             pct(gom, mem), pct(gom, wc)],
            ["memcpy()", fmt(mem, 0), "-", "1", "100", pct(mem, wc)],
            ["word copy", fmt(wc, 0), "-", "1", pct(wc, mem), "100"]]
    table(["what", "MB/s per worker", "MB/s wall", "workers", "% of memcpy", "% of word copy"], body)
    gw = gm.get("mark_wall_mbps")
    verdicts.append(("marking MB/s wall (all CPUs) >= Go's", "128 MiB live",
                     f"gmm {fmt(gw, 0)} vs Go {fmt(med(go_wall), 0)}",
                     gw is not None and med(go_wall) is not None and gw >= med(go_wall)))
    verdicts.append(("marking MB/s per worker >= 2 x Go's", "128 MiB live",
                     f"gmm {fmt(mk, 0)} vs Go {fmt(gom, 0)}",
                     mk is not None and gom is not None and mk >= 2 * gom))
    js["mark"] = {"config": conf, "gmm": gm, "cycles": cycles, "go": gomark, "go_gctrace": trace,
                  "go_mark_mbps": go_mbps, "copies": copies}
    return True


# ---- pauses ------------------------------------------------------------------

def pct_sorted(v, q):
    if not v:
        return None
    return v[max(math.ceil(q * len(v)), 1) - 1]


def pause_part(sec, a, out, verdicts, js):
    lines = sec.get("pause", [])
    if not lines:
        return False
    gmm_p, go_h, churn = [], [], {}
    for l in lines:
        p = l.split(",")
        if p[0] == "pause" and len(p) == 3:
            gmm_p.append(int(p[2]))
        elif p[0] == "hist" and len(p) == 5:
            go_h.append((int(p[2]), int(p[3]), int(p[4])))
        elif l.startswith("churn: "):
            d = kv(l)
            churn[d.get("mode")] = d
    rows = [["gmm", v, v, 1] for v in gmm_p] + [["go", lo, hi, c] for lo, hi, c in go_h]
    write_csv(os.path.join(out, "pauses.csv"), ["impl", "lo_ns", "hi_ns", "count"], rows)
    keys = ["ops", "ns_per_op", "cycles", "pauses", "p50_us", "p90_us", "p99_us", "max_us",
            "stop_latency_max_us", "stall_max_us", "section_max_us", "gc_cpu_pct", "peak_heap_kb", "peak_inuse_kb", "live_kb"]
    write_csv(os.path.join(out, "churn.csv"), ["impl", "status"] + keys,
              [[m, d["status"]] + [d.get(k) for k in keys] for m, d in churn.items()])
    g, go, km = churn.get("gmm"), churn.get("go"), churn.get("kmalloc")
    print("\n== Pauses under a steady allocation load ==")
    if g:
        print(f"{g.get('workers', 0):.0f} workers (one per CPU) each replace pairs of 32-byte objects "
              f"in a table of {g.get('slots', 0):.0f} for {g.get('seconds', 0):.0f} s after a warm-up; "
              f"live set {g.get('live_kb', 0) / 1024:.1f} MiB.")
    print("ns/pair: CPU time per pair replaced (window x workers / pairs) - allocation and reclaim "
          "(collector or kfree) amortised.")
    print("Pause percentiles: gmm exact (pause ring, nearest rank), Go from /gc/pauses:seconds "
          "(bucket lower edge).")
    print("stall max: a gmm worker's longest wait to enter a mutator section in the window "
          "(shut out while sections in flight end, then the pause);")
    print("section max: its longest section (64 replacements; refills, heap growth and mark "
          "assists happen inside).")
    head = ["impl", "ns/pair", "x kmalloc", "cycles", "pauses", "p50 us", "p90 us", "p99 us",
            "max us", "stop max us", "stall max us", "section max us", "GC CPU %",
            "peak inuse KiB", "live KiB", "peak/live"]
    body = []
    kmn = km.get("ns_per_op") if km else None
    for m, name in (("gmm", "gmm (kernel)"), ("go", "Go 1.19"), ("kmalloc", "kmalloc/kfree")):
        d = churn.get(m)
        if not d:
            continue

        def f(k, nd=0):
            v = d.get(k)
            return "-" if v is None or isinstance(v, str) else f"{v:.{nd}f}"
        body.append([name + ("" if d["status"] == "ok" else " FAILED"), f("ns_per_op"),
                     fmt(div(d.get("ns_per_op"), kmn)), f("cycles"), f("pauses"),
                     f("p50_us", 1), f("p90_us", 1), f("p99_us", 1), f("max_us", 1),
                     f("stop_latency_max_us"), f("stall_max_us"), f("section_max_us"),
                     f("gc_cpu_pct", 1),
                     f("peak_inuse_kb"),
                     f("live_kb"), fmt(div(d.get("peak_inuse_kb"), d.get("live_kb")))])
    table(head, body)
    if g and g.get("kept") is not None and g.get("pauses") is not None and g["kept"] < g["pauses"]:
        print(f"(gmm: only the last {g['kept']:.0f} of {g['pauses']:.0f} pauses were kept by the ring)")
    if g:
        x = div(g.get("ns_per_op"), kmn)
        verdicts.append(("churn ns/pair <= 1.0 x kmalloc/kfree", "steady load", fmt(x),
                         x is not None and x <= 1.0))
    if g and go:
        x = div(g.get("ns_per_op"), go.get("ns_per_op"))
        verdicts.append(("churn ns/pair <= 0.8 x Go", "steady load", fmt(x), x is not None and x <= 0.8))
        x, gx = div(g.get("peak_inuse_kb"), g.get("live_kb")), div(go.get("peak_inuse_kb"), go.get("live_kb"))
        verdicts.append(("peak HeapInuse / live <= Go's", "steady load", f"gmm {fmt(x)}, Go {fmt(gx)}",
                         x is not None and gx is not None and x <= gx))
        st, gp = g.get("stall_max_us"), go.get("max_us")
        verdicts.append(("mutator stall max <= Go's max pause", "steady load",
                         f"gmm {fmt(st, 0)} us vs Go {fmt(gp, 0)} us",
                         st is not None and gp is not None and st <= gp))
    if g:
        goal_verdict(verdicts, g.get("goal_hist"), "steady load")
    js["pause"] = {"churn": churn, "gmm_pauses_ns": gmm_p, "go_hist": go_h}

    data = []
    if gmm_p:
        v = sorted(gmm_p)
        data.append(("gmm", v[0] / 1e3, 0.0))
        data += [("gmm", x / 1e3, (i + 1) / len(v)) for i, x in enumerate(v)]
    n = sum(c for _, _, c in go_h)
    if n:
        cum = 0
        data.append(("Go 1.19", max(go_h[0][0], 1) / 1e3, 0.0))
        for lo, hi, c in go_h:
            cum += c
            data.append(("Go 1.19", max(lo, 1) / 1e3, cum / n))
    png = plot(a.plot, os.path.join(out, "pauses.png"), data,
               "STW pauses under a steady allocation load: cumulative distribution",
               "pause (microseconds, log)", "fraction of pauses <= x", True, False, steps=True)
    if png:
        js.setdefault("plots", []).append(png)
    return True


# ---- many heaps --------------------------------------------------------------

def heaps_part(sec, a, out, verdicts, js):
    lines = [l for l in sec.get("heaps", []) if l.startswith("heaps: ")]
    if not lines:
        return False
    d = kv(lines[-1])
    print("\n== Many heaps: kernel threads ==")
    print(f"{d.get('heaps', 0):.0f} heaps created at once, then each allocating {d.get('alloc_kb', 0):.0f} KiB "
          f"and collected with gmm_gc() from {d.get('threads', 0):.0f} threads at once; kernel threads "
          "counted before, with the heaps idle, at most while they collect, and after.")
    head = ["threads", "before", "idle heaps", "collecting (max)", "after"]
    body = [["gmm's own (gmm*)", f("gmm_threads_before", d), f("gmm_threads_idle", d),
             f("gmm_threads_busy_max", d), f("gmm_threads_after", d)],
            ["all kernel threads", f("kthreads_before", d), f("kthreads_idle", d),
             f("kthreads_busy_max", d), f("kthreads_after", d)]]
    table(head, body)
    print(f"heap creation {d.get('create_us', 0):.0f} us each; collecting all {d.get('gc_ms', 0):.0f} ms, "
          f"{d.get('cycles', 0):.0f} cycles; status {d['status']}.")
    g0, g1, g2 = d.get("gmm_threads_before"), d.get("gmm_threads_idle"), d.get("gmm_threads_busy_max")
    verdicts.append(("kernel threads do not grow with heaps", f"{d.get('heaps', 0):.0f} heaps",
                     f"gmm's {g0:.0f} -> {g1:.0f} idle -> {g2:.0f} collecting; all "
                     f"{d.get('kthreads_before', 0):.0f} -> {d.get('kthreads_busy_max', 0):.0f}",
                     d["status"] == "ok" and g0 == g1 == g2))
    js["heaps"] = d
    return True


def f(k, d, nd=0):
    v = d.get(k)
    return "-" if v is None or isinstance(v, str) else f"{v:.{nd}f}"


# ---- profiles -----------------------------------------------------------------

def profile_part(sec, a, out, js):
    names = [k for k in sec if k.startswith("profile ")]
    if not names:
        return
    print("\n== Profiles: perf record -a -e cpu-clock (both vCPUs; TCG has no PMU counters) ==")
    print("Share of all samples per symbol, idle included; full lists in profile-*.txt.")
    js["profiles"] = {}
    for k in names:
        what = k.split(None, 1)[1]
        lines = [l for l in sec[k] if l.strip()]
        with open(os.path.join(out, f"profile-{what}.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        js["profiles"][what] = lines
        print(f"\n{what}:")
        for l in lines[:14]:
            print("  " + " ".join(l.split()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kernel", default="?")
    ap.add_argument("--others", type=int, default=0)
    ap.add_argument("--otherpct", type=int, default=0)
    ap.add_argument("--host-cpus", type=int, default=0)
    ap.add_argument("--host-cpu", default="?")
    ap.add_argument("--qemu", default="?")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", type=int, default=0)
    ap.add_argument("--command", default="make bench")
    ap.add_argument("--date", default="")
    ap.add_argument("--plot", default="")
    a = ap.parse_args()

    sec = sections(a.results)
    os.makedirs(a.out, exist_ok=True)
    booted = sec.get("booted", ["?"])[0]
    js = {"meta": {"command": a.command, "date": a.date, "host_cpu": a.host_cpu,
                   "host_cpus": a.host_cpus, "qemu": a.qemu, "guest": booted,
                   "kernel": a.kernel, "smp": a.smp, "mem_mb": a.mem,
                   "other_qemus": a.others, "other_cpu_pct": a.otherpct}}
    print(f"gmm benchmarks - Debian {a.kernel} in QEMU TCG (-smp {a.smp}, {a.mem} MiB), {booted}")
    print(f"{a.date}; host: {a.host_cpu}, {a.host_cpus} CPUs; {a.qemu}")
    print(f"command: {a.command}\n")
    verdicts = []
    missing = []
    for name, fn, key in (("alloc", alloc_part, "bench csv"), ("bintree", bintree_part, "bintree"),
                          ("mark", mark_part, "mark"), ("pause", pause_part, "pause"),
                          ("heaps", heaps_part, "heaps")):
        if key not in sec:
            continue
        if not fn(sec, a, a.out, verdicts, js):
            missing.append(name)

    profile_part(sec, a, a.out, js)

    print("\n== Targets (issue 13; allocation: issue 7) ==")
    print("(allocation figures marked * are left out of their verdicts)")
    body = [[t, w, v, "met" if ok else ("-" if ok is None else "NOT met")] for t, w, v, ok in verdicts]
    if body:
        table(["target", "where", "gmm", "verdict"], body)
    js["targets"] = [{"target": t, "where": w, "value": v, "met": ok} for t, w, v, ok in verdicts]

    print(f"\nHost: {a.host_cpus} CPUs; other processes used {a.otherpct}% of its CPU time during the run.")
    if a.others:
        print(f"WARNING: up to {a.others} other QEMU instance(s) ran on this host during"
              " the run: the figures, the scaling and timings above all, are not reliable.")
    elif a.otherpct >= 10:
        print("WARNING: the host was busy with other work: the figures, the scaling and timings"
              " above all, are not reliable.")
    js["warning"] = bool(a.others) or a.otherpct >= 10
    with open(os.path.join(a.out, "bench.json"), "w") as f:
        json.dump(js, f, indent=1, sort_keys=True)
    print(f"\nFiles: {a.out}/{{alloc,bintree,mark,churn,pauses}}.csv, bench.json"
          + (", " + ", ".join(os.path.basename(p) for p in js.get("plots", [])) if js.get("plots") else ""))
    if missing:
        print(f"bench: no results from: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
