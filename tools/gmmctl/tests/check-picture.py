#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-picture.py - check gmmctl's pictures with decoders of our own.

  check-picture.py png FILE WIDTH HEIGHT [--min-colours N] [--has-rgb R,G,B]
  check-picture.py svg FILE WIDTH HEIGHT [--count CLASS=N ...]
  check-picture.py rec FILE [--frame K]      print what the recording holds
  check-picture.py frames FILE               "K SPANS" for every frame
  check-picture.py cycles FILE [--num-gc N]  the cycles the samples count
  check-picture.py graph FILE WIDTH HEIGHT --rec REC [--step K]
  check-picture.py animated FILE WIDTH HEIGHT --rec REC --of map|graph

PNG: the signature, every chunk's CRC, IHDR (8-bit RGB or RGBA, no
interlace) against WIDTH x HEIGHT, the whole IDAT stream inflated with zlib
to exactly the bytes the image needs, every scanline's filter undone
(None, Sub, Up, Average, Paeth), IEND last; then the pixels: at least N
distinct colours, and the given colours present (give or take 3).

SVG: well-formed XML (xml.etree), an <svg> root of WIDTH x HEIGHT, and the
number of elements whose class attribute is CLASS equal to N.

graph: an SVG of gmmctl graph: one <g class="obj"> per object of step K
of REC's object listings (default: the last), each titled with the colour
the listing gives it.  animated: an SVG of gmmctl map or graph
--animate: one <g class="frame"> per frame (map) or step (graph) of REC,
in order, each with its own <animate> and, inside it, one "span" per span
of that frame, or one "obj" per object of that step in its colour.

rec: the recording read with Python's json module (independently of
gmmctl's reader): prints "frames F cycles C spans S arenas A classes K
free P" for frame K (default: the last), which the test compares with the
pictures.

cycles: no cycle twice, the end line's count right, and every cycle the
samples and frames saw complete (num_gc, after the first sample's) in the
recording or counted in the end line's cycles_lost; with --num-gc N,
cycles 1..N too (the count a workload printed, for a recording from the heap's
start).  A debugfs recording of an older module (time_base "recording")
places its cycles by estimate and is only checked for repeats.

Exit status 0 when every check holds; 1 with a message otherwise.
"""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def fail(msg):
    print(f"check-picture: {msg}", file=sys.stderr)
    sys.exit(1)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def check_png(path, width, height, min_colours=0, has_rgb=()):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG (signature)")
    pos, chunks, idat = 8, [], b""
    ihdr = None
    while pos < len(data):
        if pos + 8 > len(data):
            fail(f"{path}: truncated chunk header at {pos}")
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            fail(f"{path}: truncated {ctype!r} chunk")
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(ctype + body) & 0xffffffff != crc:
            fail(f"{path}: bad CRC in {ctype!r} chunk")
        chunks.append(ctype)
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"IDAT":
            idat += body
        pos += 12 + length
    if not chunks or chunks[0] != b"IHDR" or chunks[-1] != b"IEND":
        fail(f"{path}: chunks {chunks[:3]}...{chunks[-1:]}: IHDR first, IEND last")
    w, h, depth, ctype, comp, filt, interlace = ihdr
    if (w, h) != (width, height):
        fail(f"{path}: {w}x{h}, gmmctl said {width}x{height}")
    if depth != 8 or ctype not in (2, 6) or comp or filt or interlace:
        fail(f"{path}: IHDR depth {depth} colour type {ctype} interlace {interlace}")
    bpp = 3 if ctype == 2 else 4
    try:
        raw = zlib.decompress(idat)
    except zlib.error as e:
        fail(f"{path}: IDAT does not inflate: {e}")
    stride = w * bpp
    if len(raw) != h * (stride + 1):
        fail(f"{path}: IDAT inflates to {len(raw)} bytes, the image needs {h * (stride + 1)}")
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f > 4:
            fail(f"{path}: scanline {y} has filter type {f}")
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        for x in range(0, stride, bpp):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    if len(colours) < min_colours:
        fail(f"{path}: {len(colours)} distinct colours, expected at least {min_colours}")
    for rgb in has_rgb:
        # Within 3 per channel: colour conversion may round either way.
        if not any(all(abs(c[k] - rgb[k]) <= 3 for k in range(3)) for c in colours):
            fail(f"{path}: no pixel of colour {rgb} (give or take 3)")
    print(f"{path}: PNG {w}x{h} ok, {len(raw)} bytes of pixels, {len(colours)} colours")


def check_svg(path, width, height, counts):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f"{path}: not well-formed XML: {e}")
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        fail(f"{path}: root element is {root.tag}, not svg")
    w, h = root.get("width"), root.get("height")
    if (w, h) != (str(width), str(height)):
        fail(f"{path}: {w}x{h}, gmmctl said {width}x{height}")
    found = {}
    for el in root.iter():
        for cls in (el.get("class") or "").split():
            found[cls] = found.get(cls, 0) + 1
    for cls, n in counts.items():
        if found.get(cls, 0) != n:
            fail(f"{path}: {found.get(cls, 0)} elements of class {cls!r}, expected {n}")
    print(f"{path}: SVG {w}x{h} ok, " +
          ", ".join(f"{found.get(c, 0)} {c}" for c in counts))


COLOURS = ["free", "white", "grey", "black"]
SVG = "{http://www.w3.org/2000/svg}"


def read_lines(path, kind):
    with open(path) as f:
        return [o for o in (json.loads(x) for x in f if x.strip())
                if o.get("type") == kind]


def step_objects(listing):
    """Colour of every object (not free slot) of a listing, by index."""
    col = listing["object_columns"].index("colour")
    return {i: COLOURS[r[col]] for i, r in enumerate(listing["objects"])
            if r[col] != 0}


def check_objs(path, group, want):
    """The <g class="obj"> of @group against @want (index: colour)."""
    got = {}
    for el in group.iter(SVG + "g"):
        if el.get("class") != "obj":
            continue
        t = el.find(SVG + "title")
        words = (t.text or "").split() if t is not None else []
        if len(words) < 2 or not words[1].rstrip(":").isdigit():
            fail(f"{path}: an obj without its title")
        colour = next((w.rstrip(",:") for w in words[2:]
                       if w.rstrip(",:") in COLOURS), None)
        got[int(words[1].rstrip(":"))] = colour
    if got != want:
        diff = sorted(set(got.items()) ^ set(want.items()))[:4]
        fail(f"{path}: {len(got)} objects drawn, {len(want)} in the listing; "
             f"differences {diff}")
    return len(got)


def check_graph(path, width, height, rec, step):
    check_svg(path, width, height, {})
    steps = read_lines(rec, "objects")
    if not steps:
        fail(f"{rec}: no object listings")
    listing = steps[-1] if step is None else steps[step]
    n = check_objs(path, ET.parse(path).getroot(), step_objects(listing))
    print(f"{path}: {n} objects in the listing's colours")


def check_animated(path, width, height, rec, of):
    check_svg(path, width, height, {})
    frames = [g for g in ET.parse(path).getroot() if g.get("class") == "frame"]
    want = read_lines(rec, "frame" if of == "map" else "objects")
    if len(frames) != len(want):
        fail(f"{path}: {len(frames)} frames, the recording has {len(want)}")
    for k, (g, w) in enumerate(zip(frames, want)):
        if g.get("data-frame") != str(k) or g.find(SVG + "animate") is None:
            fail(f"{path}: frame {k} out of order or not animated")
        if of == "map":
            n = sum(1 for el in g.iter() if el.get("class") == "span")
            if n != len(w["spans"]):
                fail(f"{path}: frame {k} has {n} spans, the recording "
                     f"{len(w['spans'])}")
        else:
            check_objs(f"{path} frame {k}", g, step_objects(w))
    print(f"{path}: {len(frames)} animated frames, each as recorded")


def read_rec(path, frame, every=False):
    frames, cycles, meta = [], set(), None
    # A frame without "frame" is numbered by its place, as gmmctl does.
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            o = json.loads(line)
            t = o.get("type")
            if n == 1 and t != "meta":
                fail(f"{path}: line 1 is not the meta line")
            if t == "meta":
                meta = o
            elif t == "frame":
                o.setdefault("frame", len(frames))
                frames.append(o)
            elif t == "cycle":
                cycles.add(o["num"])
    if meta is None:
        fail(f"{path}: no meta line")
    if every:
        for fr in frames:
            print(fr["frame"], len(fr["spans"]))
        return
    if not frames:
        print(f"frames 0 cycles {len(cycles)} spans 0 arenas 0 classes 0 free 0")
        return
    fr = frames[-1] if frame is None else next(
        (x for x in frames if x.get("frame") == frame), None)
    if fr is None:
        fail(f"{path}: no frame {frame}")
    scol = fr["span_columns"]
    acol = fr["arena_columns"]
    spans = [dict(zip(scol, s)) for s in fr["spans"]]
    arenas = [dict(zip(acol, a)) for a in fr["arenas"]]
    classes = {s["spanclass"] >> 1 if s.get("state", 1) != 2 else 0 for s in spans}
    free = sum(a["npages"] for a in arenas) - sum(s["npages"] for s in spans)
    print(f"frames {len(frames)} cycles {len(cycles)} spans {len(spans)} "
          f"arenas {len(arenas)} classes {len(classes)} free {free}")


def read_lines_of(path):
    with open(path) as f:
        return [json.loads(x) for x in f if x.strip()]


def check_cycles(path, num_gc):
    lines = read_lines_of(path)
    meta = lines[0] if lines and lines[0].get("type") == "meta" else None
    end = lines[-1] if lines and lines[-1].get("type") == "end" else None
    if meta is None or end is None:
        fail(f"{path}: no meta or no end line")
    nums = [o["num"] for o in lines if o.get("type") == "cycle"]
    seen = [o.get("num_gc", 0) for o in lines if o.get("type") == "sample"]
    # A frame's count too: the cycles it says are done are in the file.
    seen += [o["num_gc"] for o in lines
             if o.get("type") == "frame" and "num_gc" in o and seen]
    lost = end.get("cycles_lost", 0)
    if len(set(nums)) != len(nums):
        fail(f"{path}: a cycle written twice: {sorted(nums)}")
    if end.get("cycles") != len(nums):
        fail(f"{path}: end line says {end.get('cycles')} cycles, "
             f"{len(nums)} written")
    if not seen:
        fail(f"{path}: no sample")
    have = set(nums)
    want = range(seen[0] + 1, max(seen) + 1)
    if meta.get("time_base") == "recording" and meta.get("source") == "debugfs":
        want = range(0)
    missing = [n for n in want if n not in have]
    if len(missing) > lost:
        fail(f"{path}: the samples saw cycles {seen[0] + 1}..{max(seen)} "
             f"complete; {len(missing)} of them are not in the recording "
             f"(first: {missing[:5]}), {lost} counted lost")
    if num_gc is not None:
        missing = [n for n in range(1, num_gc + 1) if n not in have]
        if not nums or len(missing) > lost:
            fail(f"{path}: {len(nums)} cycles, {lost} lost, but the heap "
                 f"had {num_gc}; missing: {missing[:5]}...")
    print(f"{path}: {len(nums)} cycles, {lost} lost; the samples saw "
          f"{len(want)} complete" +
          (f"; the heap had {num_gc}" if num_gc is not None else ""))


def main(argv):
    if len(argv) < 3:
        fail(__doc__)
    kind, path = argv[1], argv[2]
    if kind == "frames":
        read_rec(path, None, True)
        return
    if kind == "cycles":
        n = None
        if len(argv) == 5 and argv[3] == "--num-gc":
            n = int(argv[4])
        check_cycles(path, n)
        return
    if kind == "rec":
        frame = None
        if len(argv) == 5 and argv[3] == "--frame":
            frame = int(argv[4])
        read_rec(path, frame)
        return
    width, height = int(argv[3]), int(argv[4])
    rest = argv[5:]
    if kind in ("graph", "animated"):
        opts = dict(zip(rest[0::2], rest[1::2]))
        if "--rec" not in opts:
            fail("--rec REC missing")
        if kind == "graph":
            step = int(opts["--step"]) if "--step" in opts else None
            check_graph(path, width, height, opts["--rec"], step)
        else:
            check_animated(path, width, height, opts["--rec"],
                           opts.get("--of", "map"))
        return
    if kind == "png":
        min_colours, has = 0, []
        while rest:
            if rest[0] == "--min-colours":
                min_colours = int(rest[1])
            elif rest[0] == "--has-rgb":
                has.append(tuple(int(x) for x in rest[1].split(",")))
            else:
                fail(f"unknown option {rest[0]}")
            rest = rest[2:]
        check_png(path, width, height, min_colours, has)
    elif kind == "svg":
        counts = {}
        while rest:
            if rest[0] != "--count":
                fail(f"unknown option {rest[0]}")
            cls, n = rest[1].split("=")
            counts[cls] = int(n)
            rest = rest[2:]
        check_svg(path, width, height, counts)
    else:
        fail(f"unknown kind {kind}")


if __name__ == "__main__":
    main(sys.argv)
