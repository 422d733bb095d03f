// SPDX-License-Identifier: GPL-2.0
// objects.js - one object listing (GMM_IOC_OBJECTS, written by gmmctl run
// --step): the object graph and the spans' slots side by side, in the
// colours of tri-colour marking: white (not marked), grey (marked, its
// pointers not scanned yet), black (marked and scanned), free.  The graph
// is laid out by distance from the roots (objects a handle holds); what
// no root reaches stands apart: it is the garbage the sweep will free.
'use strict';

const gmmObjects = (() => {
  const S = gmmSvg;
  const GRAPH_MAX = 400;   // objects drawn as a graph at most
  let shown = null;

  const FILL = { white: '#ffffff', grey: '#9b9b9b', black: '#151515', free: '#eeeeee' };

  function colourName(o) {
    return S.colours[o.colour] || 'free';
  }

  // Depth of every allocated object from the roots; -1 unreachable.
  function depths(L) {
    const depth = L.objs.map(() => -1);
    const out = L.objs.map(() => []);
    for (const e of L.links) out[e.from].push(e.to);
    let q = [];
    L.objs.forEach((o, i) => {
      if (o.roots > 0 && o.colour !== 0) {
        depth[i] = 0;
        q.push(i);
      }
    });
    for (let d = 1; q.length; d++) {
      const nq = [];
      for (const i of q)
        for (const j of out[i])
          if (depth[j] < 0) {
            depth[j] = d;
            nq.push(j);
          }
      q = nq;
    }
    return depth;
  }

  function nameOf(L, i) {
    const names = [];
    for (const [n, idx] of Object.entries(L.names || {})) if (idx === i) names.push(n);
    return names.join(',');
  }

  function placeGraph(L, width) {
    const depth = depths(L);
    const cols = new Map();
    L.objs.forEach((o, i) => {
      if (o.colour === 0) return;
      const d = depth[i] < 0 ? Infinity : depth[i];
      if (!cols.has(d)) cols.set(d, []);
      cols.get(d).push(i);
    });
    const keys = [...cols.keys()].sort((a, b) => a - b);
    const dx = Math.max(Math.min((width - 60) / Math.max(keys.length, 1), 130), 40);
    let rows = 0;
    for (const k of keys) rows = Math.max(rows, cols.get(k).length);
    const dy = 34;
    const pos = {};
    keys.forEach((k, c) => {
      cols.get(k).forEach((i, r) => {
        pos[i] = { x: 40 + c * dx + (k === Infinity ? 20 : 0), y: 40 + r * dy };
      });
    });
    return { pos, keys, dx, height: 40 + rows * dy + 10 };
  }

  function drawGraph(svg, L) {
    const width = Math.max(svg.parentNode.clientWidth - 4, 300);
    const alive = L.objs.filter((o) => o.colour !== 0).length;
    if (alive > GRAPH_MAX) {
      svg.setAttribute('width', width);
      svg.setAttribute('height', 40);
      svg.innerHTML = S.text(8, 24, `${alive} objects: the graph is drawn for up to ` +
        `${GRAPH_MAX}; the slots show them all`, 'class="lbl"');
      return;
    }
    const G = placeGraph(L, width);
    let out = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="19" refY="5" ' +
      'markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>';
    G.keys.forEach((k, c) => {
      const x = 40 + c * G.dx + (k === Infinity ? 20 : 0);
      out += S.text(x, 16, k === Infinity ? 'unreachable' : k === 0 ? 'roots' : `depth ${k}`,
        'class="tick" text-anchor="middle"');
    });
    for (const e of L.links) {
      const a = G.pos[e.from];
      const b = G.pos[e.to];
      if (!a || !b) continue;
      out += `<line class="edge" x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" marker-end="url(#arrow)"/>`;
    }
    L.objs.forEach((o, i) => {
      const p = G.pos[i];
      if (!p) return;
      const c = colourName(o);
      if (o.roots > 0)
        out += `<path class="root" d="M${p.x - 24},${p.y - 5} L${p.x - 14},${p.y} L${p.x - 24},${p.y + 5} z"/>`;
      out += `<g class="obj" data-tip-kind="obj" data-i="${i}" data-colour="${c}">` +
        `<circle cx="${p.x}" cy="${p.y}" r="10" fill="${FILL[c]}" class="c-${c}"/>` +
        S.text(p.x, p.y + 23, nameOf(L, i) || String(i), 'class="olbl" text-anchor="middle"') + '</g>';
    });
    svg.setAttribute('width', width);
    svg.setAttribute('height', G.height);
    svg.setAttribute('viewBox', `0 0 ${width} ${G.height}`);
    svg.innerHTML = out;
  }

  function drawSlots(svg, L) {
    const width = Math.max(svg.parentNode.clientWidth - 4, 300);
    const per = Math.max(Math.floor((width - 150) / 13), 8);
    const spans = new Map();
    L.objs.forEach((o, i) => {
      const k = o.arena + '/' + o.page;
      if (!spans.has(k)) spans.set(k, []);
      spans.get(k).push(i);
    });
    let y = 6;
    let out = '';
    for (const [k, idx] of spans) {
      const o0 = L.objs[idx[0]];
      out += S.text(4, y + 10, `span ${k}`, 'class="lbl"') +
        S.text(4, y + 22, `${o0.size} B x ${idx.length}`, 'class="lbl2"');
      idx.forEach((i, n) => {
        const c = colourName(L.objs[i]);
        const x = 150 + (n % per) * 13;
        const yy = y + Math.floor(n / per) * 13;
        out += S.rect(x, yy, 11, 11, `class="slot c-${c}" fill="${FILL[c]}" ` +
          `data-colour="${c}" data-tip-kind="obj" data-i="${i}"`);
      });
      y += Math.max(Math.ceil(idx.length / per) * 13, 28) + 8;
    }
    svg.setAttribute('width', width);
    svg.setAttribute('height', y);
    svg.setAttribute('viewBox', `0 0 ${width} ${y}`);
    svg.innerHTML = out;
  }

  function objTip(i) {
    if (!shown || !shown.objs[i]) return null;
    const o = shown.objs[i];
    const tn = (shown.type_names || {})[o.type];
    const out = shown.links.filter((e) => e.from === i).map((e) => `+${e.offset} -> ${e.to}`);
    const inn = shown.links.filter((e) => e.to === i).map((e) => e.from);
    const lines = [`object ${i}${nameOf(shown, i) ? ' (' + nameOf(shown, i) + ')' : ''}: ${colourName(o)}`,
      `span ${o.arena}/${o.page}, slot ${o.slot}, ${o.size} B`,
      o.type ? `type ${tn || o.type}` : 'no pointers (noscan)',
      o.roots ? `held by ${o.roots} handle(s): a root` : 'no handle holds it'];
    if (out.length) lines.push('points to ' + out.join(', '));
    if (inn.length) lines.push('pointed to by ' + inn.join(', '));
    return lines.join('\n');
  }
  S.setTip('obj', objTip);

  function draw(graphSvg, slotsSvg, L) {
    shown = L;
    drawGraph(graphSvg, L);
    drawSlots(slotsSvg, L);
    graphSvg.dataset.step = L.step;
  }

  function summary(L) {
    const n = { white: 0, grey: 0, black: 0, free: 0 };
    for (const o of L.objs) n[colourName(o)]++;
    const what = L.why === 'begin' ? 'marking began: the roots are grey'
      : L.why === 'end' ? 'the cycle ended: white objects were swept (free)'
        : L.why === 'before' ? 'before the cycle: every object is white'
          : `scanned ${L.scanned} grey object(s)`;
    return `cycle ${L.cycle}, step ${L.step}: ${what} \u00b7 ${n.white} white, ` +
      `${n.grey} grey, ${n.black} black, ${n.free} free slots`;
  }

  return { draw, summary };
})();
