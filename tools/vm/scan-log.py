#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""scan-log.py - judge one test VM run.

Reads the console log (kernel messages) and the results stream (what the
guest payload printed, see tools/vm/guest/check.sh) of one VM boot and turns
them into test records, one per line, appended to --record:

    PASS <name>
    FAIL <name> -- <reason>
    SKIP <name> -- <reason>

Sources of records:
  * the VM's exit status (hang = timeout, crash = no exit line);
  * every console line matching a report of the kernel's debug facilities
    (BUG:, WARNING:, KASAN, UBSAN, lockdep, Oops, Call Trace, not ok, ...);
  * GMM-CHECK lines;
  * KTAP/TAP sections (KUnit results and kselftest output), parsed with the
    kernel's own parser, tools/testing/kunit/kunit.py parse --json;
  * the kmemleak report section.

With --expect KIND the run is a self-test of this harness: the run is
supposed to fail in the given way, and a single record says whether that
failure was detected.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# Kernel reports that fail a run, wherever they appear on the console.
CONSOLE_PATTERNS = [
    ("bug", r"\bBUG:"),
    ("warning", r"\bWARNING:"),
    ("kasan", r"\bKASAN:"),
    ("ubsan", r"\bUBSAN:"),
    ("oops", r"\bOops\b"),
    ("calltrace", r"\bCall Trace:"),
    ("panic", r"Kernel panic"),
    ("gpf", r"general protection fault"),
    ("lockdep", r"possible recursive locking detected"),
    ("lockdep", r"possible circular locking dependency"),
    ("lockdep", r"inconsistent lock state"),
    ("lockdep", r"possible irq lock inversion"),
    ("lockdep", r"bad unlock balance detected"),
    ("lockdep", r"held lock freed"),
    ("lockdep", r"suspicious RCU usage"),
    ("lockdep", r"turning off the locking correctness validator"),
    ("lockdep", r"trying to register non-static key"),
    ("lockdep", r"DEBUG_LOCKS_WARN_ON"),
    ("hung", r"INFO: task .* blocked for more than"),
    ("softlockup", r"soft lockup"),
    ("rcustall", r"rcu_.*self-detected stall|rcu: INFO: .* detected stalls"),
    ("debugobjects", r"ODEBUG:"),
    ("kmemleak", r"kmemleak: .*new suspected memory leaks"),
    ("kmemleak", r"unreferenced object 0x"),
    ("nok", r"^\s*(\[[ 0-9.]+\]\s*)?not ok \d+"),
]

TS = re.compile(r"^\[\s*\d+\.\d+\]\s?")


def strip_ts(line):
    return TS.sub("", line)


class Run:
    def __init__(self, name, record):
        self.name = name
        self.record = record
        self.kinds = set()
        self.lines = []

    def add(self, status, test, reason=None, kind=None):
        full = f"{self.name}: {test}"
        if status == "FAIL":
            self.kinds.add(kind or "other")
        line = f"{status} {full}" + (f" -- {reason}" if reason else "")
        self.lines.append(line)


def scan_console(run, path):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        run.add("FAIL", "console log", f"cannot read: {e}", "io")
        return
    found = 0
    for n, raw in enumerate(lines, 1):
        kinds = [kind for kind, pat in CONSOLE_PATTERNS if re.search(pat, raw)]
        if kinds:
            found += 1
            run.kinds.update(kinds)
            if found <= 20:
                run.add("FAIL", "console log clean",
                        f"line {n}: {strip_ts(raw).strip()[:160]}", kinds[0])
    if found > 20:
        run.add("FAIL", "console log clean", f"{found - 20} more report lines", "more")
    if not found:
        run.add("PASS", "console log clean")


def leaf_cases(group, prefix=""):
    for case in group.get("test_cases", []):
        yield prefix + case["name"], case["status"]
    for sub in group.get("sub_groups", []):
        yield from leaf_cases(sub, prefix + sub["name"] + ".")


def parse_tap(run, kind, name, text, kunit_py):
    """Parse one KTAP/TAP section with kunit.py; one record per test case."""
    with tempfile.TemporaryDirectory() as d:
        tap = os.path.join(d, "in.tap")
        out = os.path.join(d, "out.json")
        with open(tap, "w") as f:
            f.write(text)
        proc = subprocess.run([sys.executable, kunit_py, "parse", "--json=" + out, tap],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        try:
            with open(out) as f:
                tree = json.load(f)
        except (OSError, ValueError):
            run.add("FAIL", f"{kind} {name}", "kunit.py could not parse the output:\n"
                    + proc.stdout[-2000:], kind)
            return
    cases = list(leaf_cases(tree))
    if not cases:
        run.add("FAIL", f"{kind} {name}", "no test results", kind)
    for case, status in cases:
        if status == "PASS":
            run.add("PASS", f"{kind} {case}")
        elif status in ("SKIP", "SKIPPED"):
            run.add("SKIP", f"{kind} {case}", "skipped")
        else:
            run.add("FAIL", f"{kind} {case}", status.lower(), kind)
    if proc.returncode != 0 and all(s in ("PASS", "SKIP", "SKIPPED") for _, s in cases):
        # e.g. fewer results than the plan announced.  kunit.py also exits
        # non-zero for a suite whose every case was skipped: that is no
        # parser error, and it says nothing else then.
        tail = [l for l in proc.stdout.splitlines() if "ERROR" in l or "plan" in l.lower()]
        if tail or all(s == "PASS" for _, s in cases):
            run.add("FAIL", f"{kind} {name}", "parser error: " + " ".join(tail)[:300], kind)


def scan_results(run, path, kunit_py):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        run.add("FAIL", "results", f"cannot read: {e}", "io")
        return
    section = None
    body = []
    for line in lines:
        m = re.match(r"^GMM-BEGIN (\S+) (\S+)", line)
        if m:
            section = (m.group(1), m.group(2))
            body = []
            continue
        m = re.match(r"^GMM-END (\S+) (\S+)(?: rc=(\d+))?", line)
        if m and section:
            kind, name = section
            text = "\n".join(body) + "\n"
            if kind in ("kunit", "selftest"):
                parse_tap(run, kind, name, text, kunit_py)
                if kind == "selftest" and m.group(3) not in (None, "0", "4"):
                    run.add("FAIL", f"selftest {name} exit status",
                            f"exited {m.group(3)}", kind)
            elif kind == "kmemleak":
                leaks = [l for l in body if l.startswith("unreferenced object")]
                if leaks:
                    run.add("FAIL", "kmemleak clean",
                            f"{len(leaks)} leak(s); first: " + "\n".join(body[:12]),
                            "kmemleak")
                else:
                    run.add("PASS", "kmemleak clean")
            section = None
            continue
        if section:
            body.append(line)
            continue
        m = re.match(r"^GMM-CHECK (\S+) (ok|fail|skip)\s*(.*)$", line)
        if m:
            status = {"ok": "PASS", "fail": "FAIL", "skip": "SKIP"}[m.group(2)]
            run.add(status, f"check {m.group(1)}", m.group(3) or None, "check")
    if section:
        run.add("FAIL", f"{section[0]} {section[1]}", "output cut off (VM died?)",
                section[0])
        if section[0] in ("kunit", "selftest"):
            parse_tap(run, section[0], section[1], "\n".join(body) + "\n", kunit_py)


def vm_status(run, status):
    if status == 0:
        run.add("PASS", "vm exit status")
    elif status == 124:
        run.add("FAIL", "vm exit status", "VM hung: timed out", "hang")
    elif status == 125:
        run.add("FAIL", "vm exit status", "VM crashed: ended without reporting", "crash")
    else:
        run.add("FAIL", "vm exit status", f"payload exited {status}", "payload")


EXPECT_KINDS = {
    # harness self-test name -> failure kinds that count as detecting it
    "kunit-fail": {"kunit", "nok"},
    "selftest-fail": {"selftest"},
    "warning": {"warning"},
    "kmemleak": {"kmemleak"},
    "hang": {"hang"},
    "crash": {"crash", "bug", "oops", "panic"},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name", required=True, help="prefix of every record")
    ap.add_argument("--console", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--vm-status", type=int, required=True)
    ap.add_argument("--kunit-py", required=True, help="path of kunit.py")
    ap.add_argument("--record", required=True, help="file to append records to")
    ap.add_argument("--expect", choices=sorted(set(EXPECT_KINDS) |
                                               {k for k, _ in CONSOLE_PATTERNS}),
                    help="harness self-test: the run must fail this way")
    args = ap.parse_args()

    run = Run(args.name, args.record)
    vm_status(run, args.vm_status)
    scan_console(run, args.console)
    scan_results(run, args.results, args.kunit_py)

    if args.expect:
        want = EXPECT_KINDS.get(args.expect, {args.expect})
        hit = sorted(run.kinds & want)
        why = [l for l in run.lines if l.startswith("FAIL")]
        if hit:
            out = [f"PASS {args.name}: harness detects {args.expect}"]
            print(f"  harness self-test {args.expect}: detected ({', '.join(hit)}):")
            for l in why[:3]:
                print("    caught: " + l[5:200])
        else:
            out = [f"FAIL {args.name}: harness detects {args.expect} -- "
                   f"not detected; failures seen: {sorted(run.kinds) or 'none'}"]
    else:
        out = run.lines
    with open(args.record, "a") as f:
        for l in out:
            f.write(l.replace("\n", "\n    ") + "\n")
    failed = any(l.startswith("FAIL") for l in out)
    for l in out:
        if l.startswith("FAIL"):
            print(l)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
