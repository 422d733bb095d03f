# SPDX-License-Identifier: GPL-2.0
"""Marking: gmm's mark throughput against memcpy and Go."""
import os
import re

from .common import div, fmt, kv, table, write_csv


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
