# SPDX-License-Identifier: GPL-2.0
"""Pauses under a steady allocation load: gmm, Go, kmalloc/kfree."""
import math
import os

from .common import div, fmt, goal_verdict, kv, plot, table, write_csv


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
