#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""test-serve.py GMMCTL RECORDING [OUTDIR] - gmmctl serve against bad clients.

Starts `gmmctl serve --input RECORDING` and checks, with Python's own
http.client and raw sockets (not with anything of gmmctl's):

 * the page and each of its files, /api/info, and that /api/lines read in
   chunks gives back the recording byte for byte, whole lines only;
 * a recording that grows: only its whole lines come out, the rest later;
 * every bad request gets its own clear error and the server goes on:
   unknown paths (404), other methods (405), unknown, repeated, empty or
   non-decimal parameters, offsets inside a line or past the end (400), a
   query of 50 KB (414), a body (413), /api/step without --step (403);
 * clients that never read their answer, or never finish their request,
   keep only their own connection: the others are answered meanwhile;
 * serve's --record reaches serve (not gmmctl's --record of the commands
   that build a heap): with --input it is serve's usage error;
 * --listen with an address that is not loopback is refused (status 2)
   unless --allow-remote is given; the server listens on 127.0.0.1 by
   default; SIGTERM ends it with status 0.

Prints one record per check ("PASS serve: ..." / "FAIL serve: ... -- why")
and exits 1 when any failed.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

FAILED = []


def record(ok, name, why=""):
    if ok:
        print(f"PASS serve: {name}")
    else:
        print(f"FAIL serve: {name} -- {why}")
        FAILED.append(name)


class Server:
    """A gmmctl serve process and the port it printed."""

    def __init__(self, gmmctl, args, env=None):
        self.p = subprocess.Popen([gmmctl, "serve"] + args,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env)
        line = self.p.stdout.readline()
        m = re.search(r"http://(\S+):(\d+)/", line)
        if not m:
            err = self.p.stderr.read() if self.p.poll() is not None else ""
            raise RuntimeError(f"no address printed: {line!r} {err!r}")
        self.host, self.port = m.group(1), int(m.group(2))

    def get(self, path, method="GET", body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data

    def alive(self):
        try:
            st, _, _ = self.get("/api/info")
            return st == 200 and self.p.poll() is None
        except OSError:
            return False

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            return self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return None


def read_all(srv, maxb):
    """The recording through /api/lines, in chunks of at most maxb."""
    out, off = b"", 0
    for _ in range(100000):
        st, hdr, data = srv.get(f"/api/lines?from={off}&max={maxb}")
        if st != 200:
            return None, f"status {st}: {data[:100]!r}"
        if not data:
            break
        if not data.endswith(b"\n"):
            return None, "a chunk does not end with a newline"
        out += data
        off = int(hdr["X-Gmm-Next"])
    return out, ""


def check_pages(srv, rec):
    st, hdr, data = srv.get("/")
    record(st == 200 and b"<html" in data and
           "text/html" in hdr.get("Content-Type", ""), "GET / is the page",
           f"status {st}")
    names = re.findall(rb'(?:src|href)="([a-z]+\.(?:js|css))"', data)
    bad = [n for n in names if srv.get("/" + n.decode())[0] != 200]
    record(names and not bad, f"the page's {len(names)} files are served",
           f"missing {bad}")
    st, _, data = srv.get("/api/info")
    try:
        info = json.loads(data)
        ok = st == 200 and info["source"] == "recording" and \
            info["size"] == len(rec) and info["live"] is False
    except (ValueError, KeyError) as e:
        ok, info = False, str(e)
    record(ok, "/api/info describes the recording", f"{st} {info}")
    for maxb in (1 << 20, 700, 1):
        got, why = read_all(srv, maxb)
        record(got == rec, f"/api/lines in chunks of {maxb} bytes give the "
               f"recording back", why or "different bytes")


def check_growing(gmmctl, rec):
    with tempfile.NamedTemporaryFile("wb", suffix=".json") as f:
        lines = rec.splitlines(keepends=True)
        f.write(b"".join(lines[:2]))
        f.flush()
        srv = Server(gmmctl, ["--input", f.name])
        try:
            part = lines[2][: len(lines[2]) // 2]
            f.write(part)
            f.flush()
            st, hdr, d1 = srv.get("/api/lines?from=0")
            nxt = int(hdr.get("X-Gmm-Next", -1))
            f.write(lines[2][len(part):])
            f.flush()
            st2, hdr2, d2 = srv.get(f"/api/lines?from={nxt}")
            ok = d1 == b"".join(lines[:2]) and d2 == lines[2]
            record(ok, "a growing recording: whole lines only, the rest "
                   "when it is whole", f"{d1[-40:]!r} / {d2[:40]!r}")
        finally:
            srv.stop()


BAD = [
    ("/nonexistent", "GET", 404),
    ("/api/nope", "GET", 404),
    ("/a/b/../index.html", "GET", 404),
    ("/index.html", "DELETE", 405),
    ("/api/lines?from=0", "PUT", 405),
    ("/api/step", "GET", 405),
    ("/api/step", "POST", 403),
    ("/api/lines?from=abc", "GET", 400),
    ("/api/lines?from=-1", "GET", 400),
    ("/api/lines?from=0x10", "GET", 400),
    ("/api/lines?from=", "GET", 400),
    ("/api/lines?from", "GET", 400),
    ("/api/lines?from=0&from=0", "GET", 400),
    ("/api/lines?from=0&bogus=1", "GET", 400),
    ("/api/lines?from=0&max=0", "GET", 400),
    ("/api/lines?from=0&max=99999999999", "GET", 400),
    ("/api/lines?from=%zz%00", "GET", 400),
    ("/api/lines?from=99999999999999999999999", "GET", 400),
    ("/api/lines?from=1", "GET", 400),
    ("/api/info?x=1", "GET", 400),
]


def check_bad_requests(srv, rec):
    for path, method, want in BAD:
        st, _, data = srv.get(path, method)
        ok = st == want and data.startswith(str(want).encode())
        record(ok, f"{method} {path} -> {want}", f"got {st}: {data[:80]!r}")
    st, _, _ = srv.get(f"/api/lines?from={len(rec) + 1}")
    record(st == 400, "an offset past the end -> 400", f"got {st}")
    st, _, _ = srv.get("/api/lines?from=" + "1" * 50000)
    record(st == 414, "a query of 50 KB -> 414", f"got {st}")
    st, _, _ = srv.get("/api/lines?from=0", "GET", body=b"x" * 100)
    record(st == 413, "a request with a body -> 413", f"got {st}")
    record(srv.alive(), "the server still answers after the bad requests")


def check_slow_clients(srv):
    # Clients that ask for the whole recording and never read, and one that
    # never finishes its request line.
    socks = []
    for _ in range(8):
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"GET /api/lines?from=0&max=16777216 HTTP/1.1\r\n"
                  b"Host: x\r\n\r\n")
        socks.append(s)
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"GET /api/info HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    socks.append(s)
    time.sleep(0.5)
    t0 = time.monotonic()
    ok = all(srv.get("/api/info")[0] == 200 for _ in range(5))
    record(ok and time.monotonic() - t0 < 5, "answers while 8 clients do "
           "not read and one never ends its request", "no answer")
    for s in socks:
        s.close()
    record(srv.alive(), "the server still answers after they hang up")


def check_listen(gmmctl, rec_path):
    r = subprocess.run([gmmctl, "serve", "--input", rec_path, "--listen",
                        "0.0.0.0"], capture_output=True, text=True,
                       timeout=20)
    record(r.returncode == 2 and "allow-remote" in r.stderr,
           "--listen 0.0.0.0 without --allow-remote is refused (status 2)",
           f"status {r.returncode}: {r.stderr.strip()}")
    r = subprocess.run([gmmctl, "serve", "--input", rec_path, "--listen",
                        "bogus"], capture_output=True, text=True, timeout=20)
    record(r.returncode == 2, "--listen bogus is a usage error",
           f"status {r.returncode}")
    srv = Server(gmmctl, ["--input", rec_path, "--listen", "::1"])
    ok = srv.host == "[::1]"
    srv.stop()
    record(ok, "--listen ::1 (loopback) is taken", srv.host)
    r = subprocess.run([gmmctl, "serve", "--input", rec_path, "--record",
                        os.devnull], capture_output=True, text=True,
                       timeout=20)
    record(r.returncode == 2 and "goes with a run (" in r.stderr,
           "serve takes its own --record (with --input: a usage error "
           "of serve's)", f"status {r.returncode}: {r.stderr.strip()}")
    srv = Server(gmmctl, ["--input", rec_path, "--listen", "0.0.0.0",
                          "--allow-remote"])
    ok = srv.alive()
    srv.stop()
    record(ok, "--listen 0.0.0.0 --allow-remote serves", "no answer")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    gmmctl, rec_path = sys.argv[1], sys.argv[2]
    with open(rec_path, "rb") as f:
        rec = f.read()
    srv = Server(gmmctl, ["--input", rec_path])
    record(srv.host == "127.0.0.1", "listens on 127.0.0.1 by default",
           srv.host)
    try:
        check_pages(srv, rec)
        check_bad_requests(srv, rec)
        check_slow_clients(srv)
    finally:
        st = srv.stop()
    record(st == 0, "SIGTERM ends the server with status 0", f"status {st}")
    check_growing(gmmctl, rec)
    check_listen(gmmctl, rec_path)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
