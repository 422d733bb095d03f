# SPDX-License-Identifier: GPL-2.0
"""The page heap at scale (issue 14): span and large-object allocations and a
snapshot's longest hold of the page-heap lock, against the arenas held."""
import os

from .common import fmt, kv, plot, table, write_csv

FLAT = 1.5            # the target: at most this much slower at the most arenas
# (column, test, size in bytes, heading)
COLUMNS = [("span", "span", 32768, "span 32 KiB"),
           ("large64", "large", 65536, "large 64 KiB"),
           ("large1m", "large", 1 << 20, "large 1 MiB")]


def parse(lines):
    """Figures {(N, column): {...}}, snapshots {N: {...}}, fills, status lines."""
    figs, snaps, fills, status = {}, {}, {}, {}
    col = {(t, s): c for c, t, s, _ in COLUMNS}
    for l in lines:
        p = l.split(",")
        if p[0] == "ph" and len(p) == 11 and (p[3], int(p[4])) in col:
            figs[(int(p[1]), col[(p[3], int(p[4]))])] = {
                "held": int(p[2]), "samples": int(p[5]), "p50": int(p[6]),
                "p99": int(p[7]), "max": int(p[8]), "zero_p50": int(p[9]),
                "share_p50": int(p[10])}
        elif p[0] == "fill" and len(p) == 4:
            fills[int(p[1])] = {"held": int(p[2]), "ms": int(p[3])}
        elif p[0] == "snap" and len(p) == 7:
            snaps[int(p[1])] = {"arenas": int(p[2]), "spans": int(p[3]),
                                "fastest_ns": int(p[4]), "slowest_ns": int(p[5]),
                                "hold_ns": None if p[6] == "-" else int(p[6])}
        elif l.startswith("pageheap: "):
            status["module"] = kv(l)
        elif l.startswith("snap: "):
            status["snap"] = kv(l)
    return figs, snaps, fills, status


def flat_verdict(verdicts, what, lo, hi, a, b, extra=""):
    """Figure at the most arenas over the figure at the fewest."""
    where = f"{lo} -> {hi} arenas"
    if a is None or b is None or not a:
        verdicts.append((f"{what}: flat within {FLAT}x", where, "not measured", None))
        return
    x = b / a
    verdicts.append((f"{what}: flat within {FLAT}x", where,
                     f"{x:.2f} ({a} -> {b} ns{extra})", x <= FLAT))


def alloc_verdict(verdicts, what, lo, hi, p, q):
    """The allocation at the most arenas over the one at the fewest, the
    host's drift taken out: each is the memset() reference at the fewest
    arenas plus its own share (paired with its own memset()s)."""
    where = f"{lo} -> {hi} arenas"
    if not p or not q:
        verdicts.append((f"{what}: flat within {FLAT}x", where, "not measured", None))
        return
    z = p["zero_p50"]
    x = (z + q["share_p50"]) / max(z + p["share_p50"], 1)
    verdicts.append((f"{what}: flat within {FLAT}x", where,
                     f"{x:.2f} (share {p['share_p50'] / 1e3:.1f} -> {q['share_p50'] / 1e3:.1f} us "
                     f"over {z / 1e3:.1f} us of zeroing; p50 {p['p50'] / 1e3:.1f} -> "
                     f"{q['p50'] / 1e3:.1f} us)", x <= FLAT))


def pageheap_part(sec, a, out, verdicts, js):
    figs, snaps, fills, status = parse(sec.get("pageheap", []))
    if not figs and not snaps:
        return False
    ns = sorted({n for n, _ in figs} | set(snaps))
    m = status.get("module", {})
    print("\n== The page heap at scale (issue 14): allocation time against the arenas held ==")
    print(f"gmm_bench_pageheap.ko: one heap grown to N arenas of live 4 MiB objects (every arena full, "
          f"rooted), collection off; {m.get('ops', 0):.0f} timed allocations per figure "
          "(1 MiB: a quarter),")
    print(f"  timed in batches of {m.get('batch', 0):.0f} (ktime_get_ns), ns per allocation "
          "of each batch one sample; between rounds of <= 2 MiB gmm_gc() frees them again.")
    print("span: a 32 KiB object (its size class holds one object per span: a new span each); "
          "large: a span of its own. Zeroing included;")
    print("  share: the median of (batch - as many memset()s of the size right after it): the cost "
          "beyond zeroing, the page heap's search included;")
    print("  the verdicts compare memset() at the fewest arenas + share, at both ends (the host's "
          "drift taken out; p50s in brackets).")
    print("held: arenas the heap holds while measuring (N full ones, plus the one its rounds reuse).")
    print("snapshot: benchsnap, a heap of N 4 MiB objects built through /dev/gmm; hold = the "
          "heap's debugfs walk_hold_max_ns after GMM_IOC_SPANS")
    print("  (its longest single hold of the page-heap lock by an arena walk), "
          "ioctl = the fastest snapshot's wall time.")
    head = ["arenas", "held"] + [f"{h} {q}" for _, _, _, h in COLUMNS
                                 for q in ("p50 us", "p99 us", "share us")] + \
        ["snapshot hold us", "snapshot ioctl us"]
    body, rows = [], []
    for n in ns:
        r = [n, next((figs[(n, c)]["held"] for c, _, _, _ in COLUMNS if (n, c) in figs), "-")]
        for c, t, s, _ in COLUMNS:
            d = figs.get((n, c))
            r += [fmt(d[k] / 1e3, 1) for k in ("p50", "p99", "share_p50")] if d else ["-"] * 3
            if d:
                rows.append([n, t, s, d["held"], d["samples"], d["p50"], d["p99"], d["max"],
                             d["zero_p50"], d["share_p50"], None])
        sn = snaps.get(n)
        hold = sn and sn["hold_ns"]
        r += ["not measured" if sn and hold is None else (fmt(hold / 1e3, 1) if sn else "-"),
              fmt(sn["fastest_ns"] / 1e3, 0) if sn else "-"]
        if sn:
            rows.append([n, "snapshot", None, sn["arenas"], sn["spans"], sn["fastest_ns"],
                         None, sn["slowest_ns"], None, None, hold])
        body.append(r)
    table(head, body)
    zs = [f"{h[h.index(' ') + 1:]} {fmt(figs[(n, c)]['zero_p50'] / 1e3, 1)}"
          for c, _, _, h in COLUMNS for n in ns[-1:] if (n, c) in figs]
    if zs:
        print("(memset() alone, median per allocation at the most arenas, us: " + ", ".join(zs) + ")")
    if snaps and all(s["hold_ns"] is None for s in snaps.values()):
        print("(snapshot hold: this gmm.ko keeps no walk_hold_max_ns in debugfs: not measured)")
    for k, d in status.items():
        if d.get("status") != "ok":
            print(f"({'gmm_bench_pageheap.ko' if k == 'module' else 'benchsnap'} FAILED: "
                  "some figures are missing)")
    write_csv(os.path.join(out, "pageheap.csv"),
              ["arenas", "what", "size", "arenas_held", "samples", "p50_ns", "p99_ns", "max_ns",
               "memset_p50_ns", "share_p50_ns", "walk_hold_max_ns"], rows)

    lo, hi = ns[0], ns[-1]
    for c, _, _, h in COLUMNS:
        alloc_verdict(verdicts, h + " allocation", lo, hi, figs.get((lo, c)), figs.get((hi, c)))
    p, q = snaps.get(lo), snaps.get(hi)
    flat_verdict(verdicts, "snapshot's longest lock hold", lo, hi, p and p["hold_ns"],
                 q and q["hold_ns"])
    js["pageheap"] = {"figures": [{"arenas": n, "column": c, **d} for (n, c), d in sorted(figs.items())],
                      "snapshots": snaps, "fills": fills,
                      "status": {k: d.get("status") for k, d in status.items()}}

    data = [(h + " p50", n, figs[(n, c)]["p50"] / 1e3) for c, _, _, h in COLUMNS for n in ns
            if (n, c) in figs]
    data += [("snapshot hold", n, snaps[n]["hold_ns"] / 1e3) for n in ns
             if n in snaps and snaps[n]["hold_ns"]]
    data += [(h + " share", n, figs[(n, c)]["share_p50"] / 1e3) for c, _, _, h in COLUMNS for n in ns
             if (n, c) in figs and figs[(n, c)]["share_p50"] > 0]
    png = plot(a.plot, os.path.join(out, "pageheap.png"), data,
               f"page heap: time per allocation against arenas (Debian {a.kernel}, QEMU TCG)",
               "arenas held, N (log)", "microseconds (log)", True, True)
    if png:
        js.setdefault("plots", []).append(png)
    return bool(figs) and all(d.get("status") == "ok" for d in status.values())
