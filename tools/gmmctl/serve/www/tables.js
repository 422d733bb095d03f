// SPDX-License-Identifier: GPL-2.0
// tables.js - the size-class table of a frame (spans, slots allocated and
// marked per class) and the latest gctrace lines up to a moment.
'use strict';

const gmmTables = (() => {
  const S = gmmSvg;

  function classes(table, frame, meta) {
    const use = new Map();
    for (const s of frame.spans) {
      const large = s.state === 2 || !(s.spanclass >> 1);
      const cls = large ? 0 : s.spanclass >> 1;
      const u = use.get(cls) || { spans: 0, noscan: 0, slots: 0, alloc: 0, marked: 0, bytes: 0 };
      u.spans++;
      if (s.spanclass & 1) u.noscan++;
      u.slots += s.nelems;
      u.alloc += s.allocated;
      u.marked += s.marked || 0;
      u.bytes += s.allocated * s.elemsize;
      use.set(cls, u);
    }
    const sizes = (meta && meta.class_sizes) || [];
    let out = '<thead><tr><th>class</th><th>size</th><th>spans</th><th>noscan</th>' +
      '<th>slots</th><th>allocated</th><th>marked</th><th>bytes</th></tr></thead><tbody>';
    for (const c of [...use.keys()].sort((a, b) => a - b)) {
      const u = use.get(c);
      out += `<tr data-class="${c}"><td><i style="background:${S.classColour(c, false)}"></i>${c}</td>` +
        `<td>${c ? (sizes[c] || '?') + ' B' : 'large'}</td><td>${u.spans}</td><td>${u.noscan}</td>` +
        `<td>${u.slots}</td><td>${u.alloc}</td><td>${u.marked}</td><td>${S.bytes(u.bytes)}</td></tr>`;
    }
    table.innerHTML = out + '</tbody>';
  }

  // The last @n cycles that began by @t_ns.
  function gctrace(pre, cycles, tNs, n) {
    const upto = cycles.filter((c) => c.start_ns <= tNs);
    const last = upto.slice(-n);
    pre.textContent = last.length ? last.map(S.gctrace).join('\n')
      : '(no GC cycle yet)';
  }

  return { classes, gctrace };
})();
