#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""test-browser.py - gmmctl serve's page in a real browser (Debian's headless
Chromium through chromedriver and python3-selenium), checked against the
recording it shows, read here with Python's json module.

  test-browser.py --url URL --name NAME --shots DIR [--recording FILE]
  test-browser.py --url URL --name NAME --shots DIR --live

Recorded (--recording, or the server's own lines): every heap map the
scrubber reaches (first, middle, last) draws one <g class="span"> per
span of that frame; the timeline one <g class="cycle"> per cycle; every
object step draws each slot and each object in the colour the listing
(GMM_IOC_OBJECTS, as recorded) gave it; where a step scanned, at least
one object went from grey to black on the page.

Live (--live, gmmctl serve --script ... --step): waits for the stepped
cycle, clicks Step until the script ends, and after each click checks the
new step on the page against the line the server recorded for it, and
that at least one object went from grey to black.

Both: the browser's console has no errors; screenshots go to DIR and are
decoded (tools/gmmctl/tests/check-picture.py).  One record per check:
"PASS web: NAME: ..." or "FAIL web: NAME: ... -- why"; exit 1 if any
failed.  No check depends on timing: waits end on what the page shows,
within generous limits that only a hang exceeds.
"""
import argparse
import importlib.util
import json
import os
import struct
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
FAILED = []
COLOURS = ["free", "white", "grey", "black"]


def record(ok, name, why=""):
    if ok:
        print(f"PASS web: {name}", flush=True)
    else:
        print(f"FAIL web: {name} -- {why}", flush=True)
        FAILED.append(name)


def load_lines(text):
    """The recording's lines by type, parsed here (not by the page)."""
    rec = {"frames": [], "cycles": set(), "objects": [], "meta": None}
    for line in text.splitlines():
        if not line.strip():
            continue
        o = json.loads(line)
        if o["type"] == "frame":
            rec["frames"].append(o)
        elif o["type"] == "cycle":
            rec["cycles"].add(o["num"])
        elif o["type"] == "objects":
            rec["objects"].append(o)
        elif o["type"] == "meta":
            rec["meta"] = o
    return rec


def fetch_recording(url):
    """All whole lines the server has now, through /api/lines."""
    out, off = b"", 0
    while True:
        with urllib.request.urlopen(f"{url}api/lines?from={off}") as r:
            data = r.read()
            off = int(r.headers["X-Gmm-Next"])
        if not data:
            return out.decode()
        out += data


def browser():
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--window-size=1440,900",
              "--no-first-run", "--disable-extensions"):
        o.add_argument(a)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"),
                            options=o)


def wait_for(d, script, limit=120.0):
    """Poll a JS expression until it is true; False after @limit s."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if d.execute_script("return " + script):
            return True
        time.sleep(0.1)
    return False


def wait_http(url, limit):
    """Until @url answers 200 (a VM booting behind a forwarded port)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


def png_check(path):
    spec = importlib.util.spec_from_file_location(
        "check_picture", os.path.join(HERE, "check-picture.py"))
    cp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cp)
    with open(path, "rb") as f:
        head = f.read(24)
    w, h = struct.unpack(">II", head[16:24])
    try:
        cp.check_png(path, w, h, min_colours=16)
        return True, f"{w}x{h}"
    except SystemExit as e:
        return False, str(e)
    except Exception as e:  # the checker's own failures
        return False, str(e)


def shot(d, args, what):
    path = os.path.join(args.shots, f"{args.name}-{what}.png")
    d.save_screenshot(path)
    ok, why = png_check(path)
    record(ok, f"{args.name}: screenshot {what} decodes ({why})", why)


def set_range(d, rid, value):
    d.execute_script(
        "const e = document.getElementById(arguments[0]);"
        "e.value = arguments[1]; e.dispatchEvent(new Event('input'));",
        rid, str(value))


def page_colours(d):
    """Colours the page draws, by object index: slots and graph nodes."""
    slots = d.execute_script(
        "return [...document.querySelectorAll('#slots rect.slot')]"
        ".map(e => [Number(e.dataset.i), e.dataset.colour]);")
    nodes = d.execute_script(
        "return [...document.querySelectorAll('#objgraph .obj')]"
        ".map(e => [Number(e.dataset.i), e.dataset.colour]);")
    return dict(slots), dict(nodes)


def check_step(d, args, rec, k, prev):
    """Object step @k on the page against the recording; its colours."""
    L = rec["objects"][k]
    want = {i: COLOURS[o[5]] for i, o in enumerate(L["objects"])}
    slots, nodes = page_colours(d)
    bad = [i for i in want if slots.get(i) != want[i]]
    record(len(slots) == len(want) and not bad,
           f"{args.name}: step {k} ({L['why']}): {len(want)} slots in the "
           f"listing's colours", f"{len(slots)} drawn, wrong: {bad[:5]}")
    alive = {i for i, c in want.items() if c != "free"}
    badn = [i for i in nodes if nodes[i] != want.get(i)]
    if len(alive) <= 400:
        record(set(nodes) == alive and not badn,
               f"{args.name}: step {k}: {len(alive)} objects in the graph "
               f"in the listing's colours", f"wrong: {badn[:5]}")
    if prev is not None and L["why"] == "step":
        moved = [i for i in slots if prev.get(i) == "grey" and
                 slots[i] == "black"]
        record(len(moved) >= 1, f"{args.name}: step {k} moved "
               f"{len(moved)} object(s) from grey to black on the page",
               "none moved")
    return slots


def check_recorded_maps(d, args, rec):
    n = len(rec["frames"])
    for k in sorted({0, n // 2, n - 1} if n else set()):
        set_range(d, "scrub", k)
        want = len(rec["frames"][k]["spans"])
        got = d.execute_script(
            "return document.querySelectorAll('#heapmap g.span').length")
        fr = d.execute_script(
            "return document.getElementById('heapmap').dataset.frame")
        record(got == want and str(rec["frames"][k]["frame"]) == fr,
               f"{args.name}: heap map {k + 1}/{n} draws its {want} spans",
               f"{got} spans, frame {fr}")
    got = d.execute_script(
        "return document.querySelectorAll('#timeline g.cycle').length")
    record(got == len(rec["cycles"]), f"{args.name}: the timeline has "
           f"{len(rec['cycles'])} cycle bands", f"{got} bands")


def check_recorded(d, args, rec):
    check_recorded_maps(d, args, rec)
    shot(d, args, "recording")
    prev = None
    for k in range(len(rec["objects"])):
        set_range(d, "stepscrub", k)
        prev = check_step(d, args, rec, k, prev)
        if k in (1, len(rec["objects"]) // 2):
            shot(d, args, f"step-{k}")


def click_step(d, args, url, k):
    """Click Step and wait for object step @k + 1: the recording then,
    or None when the script ended instead (no Step offered any more)."""
    wait_for(d, "(gmmData.rec.info.stepping && "
             "!document.getElementById('stepbtn').disabled) || "
             "!gmmData.rec.info.live", 600)
    if not d.execute_script("return gmmData.rec.info.live"):
        return None
    d.find_element("id", "stepbtn").click()
    ok = wait_for(d, f"gmmData.rec.objects.length > {k + 1} && "
                  f"gmmPage.drawnStep === {k + 1}", 600)
    record(ok, f"{args.name}: a click on Step made step {k + 1}",
           "no new step")
    return load_lines(fetch_recording(url)) if ok else None


def check_live(d, args):
    ok = wait_for(d, "gmmData.rec.objects.length >= 1 && "
                  "gmmData.rec.info && gmmData.rec.info.stepping", 600)
    record(ok, f"{args.name}: the stepped script waits for the page",
           "no objects line, or not stepping")
    if not ok:
        return
    shot(d, args, "live-before")
    frames0 = d.execute_script("return gmmData.rec.frames.length")
    t0 = time.monotonic()
    prev = page_colours(d)[0]
    k = d.execute_script("return gmmData.rec.objects.length") - 1
    steps = 0
    while k < 40:
        rec = click_step(d, args, args.url, k)
        if rec is None:
            break
        k += 1
        steps += 1
        prev = check_step(d, args, rec, k, prev)
        shot(d, args, f"live-step-{k}")
    record(steps >= 2, f"{args.name}: {steps} steps clicked", "too few")
    wait_for(d, "!gmmData.rec.info.live && "
             "gmmData.rec.next === gmmData.rec.size", 600)
    rec = load_lines(fetch_recording(args.url))
    frames = d.execute_script("return gmmData.rec.frames.length")
    rate = (frames - frames0) / max(time.monotonic() - t0, 1e-3)
    record(frames > frames0, f"{args.name}: heap maps came while it ran "
           f"({frames - frames0}, {rate:.1f}/s)", "none")
    d.execute_script("document.getElementById('follow').checked = true;")
    wait_for(d, "gmmPage.drawnFrame === gmmData.rec.frames.length - 1", 60)
    check_recorded_maps(d, args, rec)
    record(any(o["why"] == "end" for o in rec["objects"]),
           f"{args.name}: the stepped cycle ended", "no 'end' step")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--shots", required=True)
    ap.add_argument("--recording")
    ap.add_argument("--live", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.shots, exist_ok=True)
    if args.live and not wait_http(args.url + "api/info", 900):
        record(False, f"{args.name}: the server answers", "it never did")
        return 1
    d = browser()
    try:
        d.get(args.url)
        ok = wait_for(d, "typeof gmmData !== 'undefined' && gmmData.rec.meta "
                      "&& gmmData.rec.next === gmmData.rec.size && "
                      "gmmData.rec.size > 0", 300)
        record(ok, f"{args.name}: the page read the recording", "it did not")
        if ok and args.live:
            check_live(d, args)
        elif ok:
            text = open(args.recording).read() if args.recording else \
                fetch_recording(args.url)
            check_recorded(d, args, load_lines(text))
        logs = [e for e in d.get_log("browser") if e["level"] == "SEVERE"]
        record(not logs, f"{args.name}: no errors in the browser's console",
               "; ".join(e["message"] for e in logs[:3]))
    finally:
        d.quit()
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
