// SPDX-License-Identifier: GPL-2.0
// heapmap.js - the heap map of one frame, as gmmctl map draws it: each
// arena rows of 8 KiB runtime pages; each span a block over its pages,
// coloured by size class, light where free and full colour over the
// share of slots allocated, a black bar for the share marked; noscan
// spans hatched, spans in a CPU's cache outlined, a white corner while a
// span needs sweeping, free pages grey.  Every span is one
// <g class="span">; hovering it says what it is.
'use strict';

const gmmHeapMap = (() => {
  const S = gmmSvg;
  const LABEL_W = 78;
  let shown = null;  // the frame drawn, for the tip

  function layout(frame, width) {
    let pages = 0;
    for (const a of frame.arenas) pages += a.npages;
    const cols = pages <= 8 * 512 ? 64 : pages <= 32 * 512 ? 128 : 256;
    const cw = Math.max(Math.floor((width - LABEL_W - 8) / cols), 2);
    const ch = cols === 64 ? 14 : cols === 128 ? 9 : 7;
    const labelH = cols === 64 ? 38 : cols === 128 ? 25 : 12;
    const top = {};
    let y = 4;
    for (const a of frame.arenas) {
      top[a.id] = y;
      const h = Math.max(Math.ceil(a.npages / cols) * ch, labelH);
      y += h + (cols === 256 ? 6 : 10);
    }
    return { cols, cw, ch, top, height: Math.max(y, 40), gx: LABEL_W };
  }

  // The rectangles (one per row) that pages [first, first+n) cover.
  function segments(L, arena, first, n) {
    const out = [];
    let p = first;
    const end = first + n;
    while (p < end) {
      const row = Math.floor(p / L.cols);
      const col = p % L.cols;
      const k = Math.min(end - p, L.cols - col);
      out.push({ x: L.gx + col * L.cw, y: L.top[arena] + row * L.ch,
        w: k * L.cw, pages: k });
      p += k;
    }
    return out;
  }

  // Fill @units page widths of the segments from the left, y0..y1.
  function fill(segs, units, L, y0, y1, attrs) {
    let out = '';
    for (const g of segs) {
      if (units <= 0) break;
      const w = Math.min(units, g.pages) * L.cw;
      out += S.rect(g.x, g.y + y0, Math.min(w, g.w), y1 - y0, attrs);
      units -= g.pages;
    }
    return out;
  }

  function drawSpan(frame, L, s, i) {
    const large = s.state === 2 || !(s.spanclass >> 1);
    const cls = large ? 0 : s.spanclass >> 1;
    const segs = segments(L, s.arena, s.page, s.npages);
    const gap = L.cw >= 6 ? 1 : 0.5;
    const h = L.ch - gap;
    if (!segs.length) return '';
    segs[segs.length - 1].w -= gap;
    let out = `<g class="span" data-tip-kind="span" data-i="${i}">`;
    for (const g of segs) out += S.rect(g.x, g.y, g.w, h, `fill="${S.classColour(cls, true)}"`);
    const scale = 1 - gap / (s.npages * L.cw);
    if (s.nelems && s.allocated)
      out += fill(segs, s.npages * s.allocated / s.nelems * scale, L, 0, h,
        `fill="${S.classColour(cls, false)}"`);
    if ((s.spanclass & 1) && L.cw >= 3)
      for (const g of segs)
        out += S.rect(g.x, g.y, g.w, h, 'fill="url(#hatch)"');
    if (frame.has.has('marked') && s.marked && s.nelems)
      out += fill(segs, s.npages * s.marked / s.nelems * scale, L, h * 0.7, h,
        'fill="#0d0d0d" class="marked"');
    if (frame.has.has('where') && s.where === 1)
      for (const g of segs)
        out += S.rect(g.x + 0.9, g.y + 0.9, g.w - 1.8, h - 1.8,
          'fill="none" stroke="#000" stroke-width="1.8" class="cached"');
    if (frame.has.has('sweepgen') && s.sweepgen && L.ch >= 7) {
      const d = L.ch >= 12 ? 5 : 3;
      out += S.rect(segs[0].x + 1.5, segs[0].y + 1.5, d, d,
        'fill="#fff" stroke="#000" stroke-width="0.8" class="unswept"');
    }
    return out + '</g>';
  }

  function drawArena(L, frame, a) {
    const y = L.top[a.id];
    let out = `<g class="arena" data-id="${a.id}">`;
    const rows = Math.ceil(a.npages / L.cols);
    for (let r = 0; r < rows; r++) {
      const n = Math.min(L.cols, a.npages - r * L.cols);
      out += S.rect(L.gx, y + r * L.ch, n * L.cw - 0.5, L.ch - 0.5, 'fill="#d9d9db"');
    }
    out += S.text(4, y + 11, `arena ${a.id}`, 'class="lbl"');
    if (L.cols === 64) {
      out += S.text(4, y + 23, S.bytes(a.npages * 8192), 'class="lbl2"');
      out += S.text(4, y + 35, `${a.free_pages} free`, 'class="lbl2"');
    }
    return out + '</g>';
  }

  function spanTip(i) {
    if (!shown || !shown.spans[i]) return null;
    const s = shown.spans[i];
    const large = s.state === 2 || !(s.spanclass >> 1);
    const lines = [
      large ? `large object span: ${S.bytes(s.elemsize)}`
        : `span of size class ${s.spanclass >> 1}: ${s.nelems} slots of ${s.elemsize} B`,
      `arena ${s.arena}, pages ${s.page}..${s.page + s.npages - 1} (${s.npages} x 8 KiB)`,
      (s.spanclass & 1) ? 'noscan: no pointers, never scanned' : 'scan: objects with pointers',
      `${s.allocated} of ${s.nelems} slots allocated`,
    ];
    if (shown.has.has('marked')) lines.push(`${s.marked} marked (grey or black)`);
    if (shown.has.has('sweepgen'))
      lines.push(['swept', 'being swept', 'needs sweeping'][s.sweepgen] || 'sweep ?');
    if (shown.has.has('where'))
      lines.push(s.where === 1 ? `in CPU ${s.cpu}'s cache (mcache)`
        : s.where === 2 ? 'on the large-object list' : 'on its central list (mcentral)');
    return lines.join('\n');
  }
  S.setTip('span', spanTip);

  function legend(frame) {
    const use = new Map();
    for (const s of frame.spans) {
      const large = s.state === 2 || !(s.spanclass >> 1);
      const cls = large ? 0 : s.spanclass >> 1;
      const u = use.get(cls) || { spans: 0, slots: 0, alloc: 0, size: s.elemsize };
      u.spans++;
      u.slots += s.nelems;
      u.alloc += s.allocated;
      use.set(cls, u);
    }
    return [...use.keys()].sort((a, b) => a - b).map((c) => {
      const u = use.get(c);
      const pct = u.slots ? Math.round(100 * u.alloc / u.slots) : 0;
      return `<span class="lg"><i style="background:${S.classColour(c, false)}"></i>` +
        (c ? `${c}: ${u.size} B` : 'large') + ` &middot; ${u.spans} spans &middot; ${pct}%</span>`;
    }).join('');
  }

  const HATCH = '<defs><pattern id="hatch" width="4" height="4" ' +
    'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<line x1="0" y1="0" x2="0" y2="4" stroke="rgba(255,255,255,0.65)" ' +
    'stroke-width="1.2"/></pattern></defs>';

  function draw(svg, legendEl, frame) {
    shown = frame;
    const width = Math.max(svg.parentNode.clientWidth - 4, 420);
    const L = layout(frame, width);
    let out = HATCH;
    for (const a of frame.arenas) out += drawArena(L, frame, a);
    frame.spans.forEach((s, i) => { out += drawSpan(frame, L, s, i); });
    if (!frame.arenas.length) out += S.text(L.gx, 24, 'no arenas', 'class="lbl"');
    svg.setAttribute('width', width);
    svg.setAttribute('height', L.height);
    svg.setAttribute('viewBox', `0 0 ${width} ${L.height}`);
    svg.dataset.frame = frame.frame;
    svg.dataset.spans = frame.spans.length;
    svg.innerHTML = out;
    legendEl.innerHTML = legend(frame);
  }

  function title(frame) {
    const phase = frame.phase ? `GC cycle ${frame.num_gc + 1} marking`
      : `GC off after cycle ${frame.num_gc}`;
    const cached = frame.spans.filter((s) => s.where === 1).length;
    const large = frame.spans.filter((s) => s.state === 2).length;
    const parts = [`${(frame.t_ns / 1e9).toFixed(3)} s`, phase,
      `${frame.spans.length} spans (${cached} cached, ${large} large)`];
    if (frame.heap_alloc !== undefined) parts.push(`HeapAlloc ${S.bytes(frame.heap_alloc)}`);
    if (frame.heap_inuse !== undefined) parts.push(`HeapInuse ${S.bytes(frame.heap_inuse)}`);
    if (frame.heap_sys !== undefined) parts.push(`HeapSys ${S.bytes(frame.heap_sys)}`);
    if (frame.next_gc !== undefined) parts.push(`goal ${S.bytes(frame.next_gc)}`);
    if (frame.heap_marked !== undefined) parts.push(`marked ${S.bytes(frame.heap_marked)}`);
    return parts.join(' \u00b7 ');
  }

  return { draw, title };
})();
