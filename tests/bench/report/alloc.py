# SPDX-License-Identifier: GPL-2.0
"""Allocation (gmm_bench.ko): ns per object, gmm vs the kernel's allocators."""
import csv
import os
import re

from .common import fmt, plot, table

NOISE = 0.25          # an allocation figure whose runs spread more is noisy

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
