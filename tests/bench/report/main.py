# SPDX-License-Identifier: GPL-2.0
"""The command line: read the results, run every part, print the targets."""
import argparse
import json
import os
import sys

from .alloc import alloc_part
from .bintree import bintree_part
from .common import sections, table
from .heaps import heaps_part
from .mark import mark_part
from .pageheap import pageheap_part
from .pause import pause_part
from .profile import profile_part
from .shrink import shrink_part


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
                          ("heaps", heaps_part, "heaps"), ("pageheap", pageheap_part, "pageheap"),
                          ("shrink", shrink_part, "shrink")):
        if key not in sec:
            continue
        if not fn(sec, a, a.out, verdicts, js):
            missing.append(name)

    profile_part(sec, a, a.out, js)

    new = [f for k, f in (("pageheap", "pageheap"), ("shrink", "shrink"), ("shrink churn", "shrink-churn"))
           if k in sec]
    print("\n== Targets (issue 13; allocation: issue 7" + ("; page heap: issue 14" if new else "") + ") ==")
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
    print(f"\nFiles: {a.out}/{{alloc,bintree,mark,churn,pauses{''.join(',' + k for k in new)}}}.csv, bench.json"
          + (", " + ", ".join(os.path.basename(p) for p in js.get("plots", [])) if js.get("plots") else ""))
    if missing:
        print(f"bench: no results from: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0
