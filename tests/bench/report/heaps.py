# SPDX-License-Identifier: GPL-2.0
"""Many heaps: kernel threads against the number of heaps."""
from .common import kv, table


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
