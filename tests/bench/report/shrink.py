# SPDX-License-Identifier: GPL-2.0
"""A live set that shrinks (issue 14): what gmm and Go retain while the live
set halves from 256 to 16 MiB, and how soon it follows."""
import os

from .common import fmt, kv, plot, table, write_csv

SETTLED = 0.10        # at most this much above the final band's top
CYCLES = 2            # the target: settled within this many cycles (plus pace)
END_S = 5             # the final band: the last seconds of the run
ARENA_KB = 4096       # one arena: slack in "retained <= 1.1 x goal"
NAMES = {"gmm": "gmm (kernel)", "go": "Go 1.19"}
# (section, file name, what the survivors are)
SHAPES = [("shrink", "shrink", "scattered survivors"),
          ("shrink churn", "shrink-churn", "churned survivors")]


def parse(lines):
    """Samples and steps per implementation, status lines, gmm's semantics."""
    samples, steps, status, sem = {}, {}, {}, "cumulative"
    for l in lines:
        p = l.split(",")
        if p[0] == "sample" and len(p) == 9:
            v = [int(x) for x in p[2:]]
            samples.setdefault(p[1], []).append(dict(zip(
                ("ms", "live", "sys", "released", "inuse", "goal", "ngc"), v)))
        elif p[0] == "step" and len(p) == 4:
            steps.setdefault(p[1], []).append((int(p[2]), int(p[3])))
        elif l.startswith("shrink: "):
            d = kv(l)
            status[d.get("mode")] = d
        elif l.startswith("released_semantics "):
            sem = l.split()[1]
    return samples, steps, status, sem


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if v else None


def analyse(ss, st, retained):
    """End values (medians of the final band) and how soon the retained bytes
    came down after the last shrink: the first sample at most SETTLED above
    the final band's top (the heap grows and shrinks within every cycle, so
    the band, not one sample, is the final value; a later overshoot is the
    pacer's, not a failure to give memory back)."""
    band = [s for s in ss if s["ms"] >= ss[-1]["ms"] - END_S * 1000]
    r = {"end": median(retained(s) for s in band), "top": max(retained(s) for s in band),
         "inuse": median(s["inuse"] for s in band), "goal": median(s["goal"] for s in band),
         "live": ss[-1]["live"], "cycles": ss[-1]["ngc"] - ss[0]["ngc"]}
    if len(st) < 2:
        return r
    t = st[-1][0]
    post = [s for s in ss if s["ms"] >= t]
    pre = [s for s in ss if s["ms"] <= t]
    if not post:
        return r
    c0 = (pre[-1] if pre else post[0])["ngc"]
    j = next(i for i, s in enumerate(post) if retained(s) <= (1 + SETTLED) * r["top"]
             or s is post[-1])
    r["settle_cycles"] = post[j]["ngc"] - c0
    r["settle_s"] = (post[j]["ms"] - t) / 1e3
    t2 = next((s["ms"] for s in post if s["ngc"] >= c0 + CYCLES), None)
    r["beyond_s"] = None if t2 is None else max(post[j]["ms"] - t2, 0) / 1e3
    r["at_shrink"] = retained(pre[-1] if pre else post[0])
    return r


def shrink_part(sec, a, out, verdicts, js):
    ok = [shrink_shape(sec[k], name, what, a, out, verdicts, js) for k, name, what in SHAPES if k in sec]
    return bool(ok) and all(ok)


def shrink_shape(lines, name, what, a, out, verdicts, js):
    samples, steps, status, sem = parse(lines)
    if not samples:
        return False
    ret = {"gmm": (lambda s: s["sys"] - s["released"]) if sem == "go" else (lambda s: s["sys"]),
           "go": lambda s: s["sys"] - s["released"]}
    res = {m: analyse(ss, steps.get(m, []), ret[m]) for m, ss in samples.items() if m in ret}
    g = status.get("gmm") or status.get("go") or {}
    print(f"\n== A shrinking live set, {what} (issue 14): memory retained, gmm vs Go ==")
    print(f"{g.get('workers', 0):.0f} workers (one per CPU) fill tables of {g.get('start_mb', 0):.0f} MiB "
          f"in all with {g.get('obj_bytes', 0):.0f}-byte pointer-free objects; then the live set halves "
          f"every {g.get('step_s', 0):.0f} s")
    print(f"  down to {g.get('end_mb', 0):.0f} MiB, then {g.get('tail_s', 0):.0f} s more; "
          f"the heap sampled every {g.get('sample_ms', 0):.0f} ms; GOGC / gc_percent 100.")
    if g.get("block_kb"):
        print(f"Scattered: the tables' objects stay; each halving drops every other "
              f"{g['block_kb']:.0f} KiB block of slots still live; short-lived objects meanwhile.")
    else:
        print("Churned: the workers keep replacing the live slots' objects (a prefix of the table "
              "that halves): the survivors are the newest objects.")
    print("retained: Go: HeapSys - HeapReleased; gmm: " +
          ("HeapSys - HeapReleased (this gmm.ko's HeapReleased means Go's: released, not reused)."
           if sem == "go" else
           "HeapSys (this gmm.ko's HeapReleased is cumulative; the arenas it returns leave HeapSys)."))
    print(f"end: medians of the last {END_S} s (top: the largest retained in them); settled: the "
          f"first sample after the last shrink with retained")
    print(f"  at most the top + {SETTLED:.0%}; cycles and seconds from the last shrink to it; "
          f"beyond {CYCLES}: the seconds after the {CYCLES}nd cycle that followed it.")
    head = ["impl", "retained at shrink MiB", "retained end MiB", "top MiB", "HeapInuse end MiB",
            "NextGC end MiB", "live end MiB", "settled after cycles", "settled after s",
            f"s beyond {CYCLES} cycles", "cycles in all", "samples"]
    body = []
    for m in ("gmm", "go"):
        r = res.get(m)
        if not r:
            continue
        d = status.get(m, {})
        mib = (lambda k: fmt(r[k] / 1024, 1) if r.get(k) is not None else "-")
        body.append([NAMES[m] + ("" if d.get("status") == "ok" else " FAILED"), mib("at_shrink"),
                     mib("end"), mib("top"), mib("inuse"), mib("goal"), mib("live"),
                     r.get("settle_cycles", "-"), fmt(r.get("settle_s"), 1),
                     fmt(r.get("beyond_s"), 1), r["cycles"], len(samples[m])])
        if d.get("samples") and len(samples[m]) < d["samples"]:
            print(f"({m}: {len(samples[m])} of {d['samples']:.0f} samples reached the log)")
    table(head, body)
    rows = []
    for m, ss in samples.items():
        t0 = steps[m][0][0] if steps.get(m) else 0
        rows += [[m, (s["ms"] - t0) / 1e3, s["ms"], s["live"], s["sys"], s["released"], s["inuse"],
                  s["goal"], s["ngc"], ret[m](s) if m in ret else None] for s in ss]
    write_csv(os.path.join(out, f"{name}.csv"),
              ["impl", "t_s", "ms", "live_kb", "heap_sys_kb", "heap_released_kb", "heap_inuse_kb",
               "next_gc_kb", "num_gc", "retained_kb"], rows)
    verdict(verdicts, res, f"shrinking live set, {what}")
    js[name] = {"released_semantics": sem, "results": res, "steps": steps,
                "status": {m: d.get("status") for m, d in status.items()}}
    draw(a, out, js, samples, steps, ret, name, what)
    return all(status.get(m, {}).get("status") == "ok" for m in samples)


def verdict(verdicts, res, where):
    g, go = res.get("gmm"), res.get("go")
    if g and go:
        verdicts.append(("retained at the end <= Go's", where,
                         f"gmm {g['end'] / 1024:.1f} MiB vs Go {go['end'] / 1024:.1f} MiB",
                         g["end"] <= go["end"]))
    if not g or g.get("settle_cycles") is None:
        return
    follows = g["end"] <= 1.1 * g["goal"] + ARENA_KB
    pace = go.get("beyond_s") if go else None
    quick = g["settle_cycles"] <= CYCLES or (
        g.get("beyond_s") is not None and pace is not None and g["beyond_s"] <= pace)
    n = g["settle_cycles"]
    verdicts.append((f"retained follows within {CYCLES} cycles plus the scavenger's pace", where,
                     f"{n} cycle{'' if n == 1 else 's'}, {g['settle_s']:.1f} s"
                     + (f" ({g['beyond_s']:.1f} s beyond {CYCLES}; Go's {fmt(pace, 1)} s)"
                        if g.get("beyond_s") is not None else "")
                     + f"; end {g['end'] / 1024:.1f} MiB for a goal of {g['goal'] / 1024:.1f} MiB",
                     follows and quick))


def draw(a, out, js, samples, steps, ret, name, what):
    data = []
    for m, fig in (("gmm", "retained"), ("go", "retained"), ("gmm", "HeapInuse"),
                   ("go", "HeapInuse")):
        t0 = steps[m][0][0] if steps.get(m) else 0
        for s in samples.get(m, []):
            y = ret[m](s) if fig == "retained" else s["inuse"]
            data.append((f"{NAMES[m]} {fig}", (s["ms"] - t0) / 1e3, y / 1024))
    m = "gmm" if "gmm" in samples else "go"
    t0 = steps[m][0][0] if steps.get(m) else 0
    data += [("live set", (s["ms"] - t0) / 1e3, s["live"] / 1024) for s in samples[m]]
    g = samples[m]
    png = plot(a.plot, os.path.join(out, f"{name}.png"), data,
               f"memory retained while the live set halves from {g[0]['live'] // 1024} to "
               f"{g[-1]['live'] // 1024} MiB ({what})",
               "seconds since the tables were full", "MiB", False, False)
    if png:
        js.setdefault("plots", []).append(png)
