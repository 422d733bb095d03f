// SPDX-License-Identifier: GPL-2.0
// data.js - the recording as the page knows it, read line by line from
// /api/lines (gmmctl serve) and kept whole: samples, heap-map frames,
// cycles and object listings (the lines of Documentation/pictures.rst).
'use strict';

const gmmData = (() => {
  const rec = {
    meta: null,
    samples: [],
    frames: [],
    cycles: [],
    objects: [],
    ended: false,
    cyclesLost: 0, // the end line's cycles_lost
    next: 0,       // byte offset of the next line to read
    size: 0,       // the recording's size at the last read
    info: null,    // /api/info
    error: null,
  };

  // A row of numbers named by @cols into an object.
  function rowObject(cols, row) {
    const o = {};
    for (let i = 0; i < cols.length; i++) o[cols[i]] = row[i];
    return o;
  }

  function addFrame(o) {
    const sc = o.span_columns || [];
    const ac = o.arena_columns || [];
    o.spans = (o.spans || []).map((r) => rowObject(sc, r));
    o.arenas = (o.arenas || []).map((r) => rowObject(ac, r));
    o.has = new Set(sc);
    rec.frames.push(o);
  }

  function addObjects(o) {
    const oc = o.object_columns || [];
    const ec = o.edge_columns || [];
    o.objs = (o.objects || []).map((r) => rowObject(oc, r));
    // An edge into a span made while the listing was taken points nowhere.
    o.links = (o.edges || []).map((r) => rowObject(ec, r))
      .filter((e) => e.to < o.objs.length && e.from < o.objs.length);
    delete o.objects;
    delete o.edges;
    rec.objects.push(o);
  }

  function addCycle(o) {
    // Cycles come once each, in order; a repeat (a reader's overlap) is
    // dropped, as gmmctl's own reader does.
    const last = rec.cycles[rec.cycles.length - 1];
    if (last && o.num <= last.num) {
      if (rec.cycles.some((c) => c.num === o.num)) return;
      rec.cycles.push(o);
      rec.cycles.sort((a, b) => a.num - b.num);
      return;
    }
    rec.cycles.push(o);
  }

  function ingest(line) {
    const o = JSON.parse(line);
    switch (o.type) {
      case 'meta': rec.meta = o; break;
      case 'sample': rec.samples.push(o); break;
      case 'frame': addFrame(o); break;
      case 'cycle': addCycle(o); break;
      case 'objects': addObjects(o); break;
      case 'end': rec.ended = true; rec.cyclesLost = o.cycles_lost || 0; break;
      default: break;  // a newer writer's line
    }
  }

  // Read what is new; true when anything came.
  async function poll() {
    const r = await fetch('/api/lines?from=' + rec.next);
    if (!r.ok) throw new Error(await r.text());
    const text = await r.text();
    rec.next = Number(r.headers.get('X-Gmm-Next'));
    rec.size = Number(r.headers.get('X-Gmm-Size'));
    if (!text) return false;
    for (const line of text.split('\n')) if (line) ingest(line);
    return true;
  }

  async function info() {
    const r = await fetch('/api/info');
    if (!r.ok) throw new Error(await r.text());
    rec.info = await r.json();
    return rec.info;
  }

  // Whether there is more to read now (a long recording comes in chunks).
  function behind() {
    return rec.next < rec.size;
  }

  return { rec, poll, info, behind };
})();
