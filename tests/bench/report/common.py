# SPDX-License-Identifier: GPL-2.0
"""Helpers every part of the report shares: the guest's sections, result
lines, tables, CSV files, plots, and the goal-histogram verdict."""
import csv
import re
import subprocess
import sys


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
    d["status"] = "ok" if re.search(r"(^|\s)(result|churn|mark|heaps|pageheap|shrink|snap): ok\b", line) \
        else "FAILED"
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
