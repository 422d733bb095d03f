// SPDX-License-Identifier: GPL-2.0
// timeline.js - the GC timeline, as gmmctl trace draws it: HeapSys,
// HeapInuse, the live heap, the goal and the heap marked over time; a
// band per GC cycle from sweep termination to the end of mark
// termination (STW 1, concurrent mark, STW 2); under the plot the pauses
// and each cycle's assist time.  One <g class="cycle"> per cycle, whose
// tip is its gctrace line; a cursor at the frame shown.
'use strict';

const gmmTimeline = (() => {
  const S = gmmSvg;
  const M = { l: 52, r: 10, t: 10, b: 70 };
  const HUGE = 2 ** 50;  // a goal with GOGC off: not drawn
  let shownCycles = [];

  // At most about two points per pixel: the first, min and max of each.
  function thin(pts, width) {
    if (pts.length <= width * 2) return pts;
    const out = [];
    const per = pts.length / width;
    for (let i = 0; i < width; i++) {
      const chunk = pts.slice(Math.floor(i * per), Math.floor((i + 1) * per));
      if (!chunk.length) continue;
      let lo = chunk[0];
      let hi = chunk[0];
      for (const p of chunk) {
        if (p[1] < lo[1]) lo = p;
        if (p[1] > hi[1]) hi = p;
      }
      out.push(lo[0] <= hi[0] ? lo : hi, lo[0] <= hi[0] ? hi : lo);
    }
    return out;
  }

  function series(samples, key, X, Y, width) {
    const pts = [];
    for (const s of samples)
      if (s[key] !== undefined && s[key] < HUGE) pts.push([X(s.t_ns), Y(s[key])]);
    return thin(pts, width).map((p) => `${S.num(p[0])},${S.num(p[1])}`).join(' ');
  }

  function ticks(max) {
    const raw = max / 5;
    const p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
    const step = [1, 2, 5, 10].map((k) => k * p).find((v) => v >= raw) || p;
    const out = [];
    for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
    return out;
  }

  function axes(W, H, X, Y, tEnd, yMax) {
    let out = '';
    for (const v of ticks(yMax)) {
      const y = Y(v * 1048576);
      out += `<line x1="${M.l}" x2="${W - M.r}" y1="${S.num(y)}" y2="${S.num(y)}" class="grid"/>`;
      out += S.text(M.l - 4, y + 4, S.num(v) + '', 'class="tick" text-anchor="end"');
    }
    for (const v of ticks(tEnd / 1e9)) {
      const x = X(v * 1e9);
      out += `<line x1="${S.num(x)}" x2="${S.num(x)}" y1="${M.t}" y2="${H - M.b}" class="grid"/>`;
      out += S.text(x, H - M.b + 13, S.num(v) + ' s', 'class="tick" text-anchor="middle"');
    }
    out += S.text(12, M.t + 8, 'MiB', 'class="tick"');
    return out;
  }

  function bands(cycles, X, H) {
    let out = '';
    cycles.forEach((c, i) => {
      const x0 = X(c.start_ns);
      const x1 = X(c.start_ns + c.stw1_ns);
      const x2 = X(c.start_ns + c.stw1_ns + c.mark_ns);
      const x3 = Math.max(X(c.start_ns + c.stw1_ns + c.mark_ns + c.stw2_ns), x0 + 1);
      const h = H - M.b - M.t;
      out += `<g class="cycle" data-tip-kind="cycle" data-i="${i}" data-num="${c.num}">` +
        S.rect(x0, M.t, x3 - x0, h, 'class="band"') +
        S.rect(x0, M.t, Math.max(x1 - x0, 0.6), h, 'class="stw"') +
        S.rect(x2, M.t, Math.max(x3 - x2, 0.6), h, 'class="stw"') + '</g>';
    });
    return out;
  }

  // A cycle still marking at the end of the samples: a band of its own
  // (not a "cycle": it is not in the cycle log until it ends).
  function marking(samples, cycles, X, H) {
    const last = samples[samples.length - 1];
    if (!last || !last.phase) return '';
    let end = 0;
    for (const c of cycles) end = Math.max(end, c.start_ns + c.stw1_ns + c.mark_ns + c.stw2_ns);
    let i = samples.length - 1;
    while (i > 0 && samples[i - 1].phase && samples[i - 1].t_ns > end) i--;
    const x0 = X(samples[i].t_ns);
    return `<g class="marking" data-tip-kind="marking" data-i="${last.num_gc + 1}">` +
      S.rect(x0, M.t, Math.max(X(last.t_ns) - x0, 2), H - M.b - M.t, 'class="band"') + '</g>';
  }
  S.setTip('marking', (n) => `GC cycle ${n} marking: in progress (it is in ` +
    'the cycle log, and a band of its own, when it ends)');

  // Pauses (ticks as high as they were long) and assists (bars).
  function strips(cycles, X, W, H) {
    const y0 = H - M.b + 22;
    const ph = 22;
    let maxP = 1;
    for (const c of cycles) maxP = Math.max(maxP, c.stw1_ns, c.stw2_ns);
    let out = S.text(M.l - 4, y0 + 12, 'STW', 'class="tick" text-anchor="end"');
    out += S.text(M.l - 4, y0 + ph + 18, 'assist', 'class="tick" text-anchor="end"');
    let maxA = 1;
    for (const c of cycles) maxA = Math.max(maxA, c.assist_ns || 0);
    for (const c of cycles) {
      const p1 = c.stw1_ns / maxP * ph;
      const p2 = c.stw2_ns / maxP * ph;
      const xa = X(c.start_ns);
      const xb = X(c.start_ns + c.stw1_ns + c.mark_ns + c.stw2_ns);
      out += S.rect(xa, y0 + ph - p1, 1.5, p1, 'class="pause"');
      out += S.rect(xb, y0 + ph - p2, 1.5, p2, 'class="pause"');
      if (c.assist_ns)
        out += S.rect(xa, y0 + ph + 8, Math.max(xb - xa, 1.5), 4 + 8 * c.assist_ns / maxA,
          'class="assist"');
    }
    out += `<line x1="${M.l}" x2="${W - M.r}" y1="${y0 + ph}" y2="${y0 + ph}" class="axis"/>`;
    return out;
  }

  function cycleTip(i) {
    const c = shownCycles[i];
    if (!c) return null;
    return `GC cycle ${c.num}${(c.flags & 1) ? ' (forced by GMM_OP_GC)' : ''}\n` +
      `STW 1 (sweep termination, roots) ${S.ms(c.stw1_ns)} ms\n` +
      `concurrent mark ${S.ms(c.mark_ns)} ms\n` +
      `STW 2 (mark termination) ${S.ms(c.stw2_ns)} ms\n` +
      `heap ${S.mb(c.heap0)} -> ${S.mb(c.heap1)} -> ${S.mb(c.heap2)} MB marked, goal ${S.mb(c.goal)} MB\n` +
      `assists ${S.ms(c.assist_ns)} ms, background ${S.ms(c.bg_ns)} ms\n` +
      S.gctrace(c);
  }
  S.setTip('cycle', cycleTip);

  function draw(svg, rec, cursorNs) {
    const W = Math.max(svg.parentNode.clientWidth - 4, 360);
    const H = 300;
    const samples = rec.samples;
    const cycles = rec.cycles;
    shownCycles = cycles;
    let tEnd = 1;
    let yMax = 1;
    for (const s of samples) {
      tEnd = Math.max(tEnd, s.t_ns);
      for (const k of ['heap_sys', 'heap_inuse', 'next_gc', 'heap_live'])
        if (s[k] < HUGE) yMax = Math.max(yMax, s[k]);
    }
    for (const c of cycles) tEnd = Math.max(tEnd, c.start_ns + c.stw1_ns + c.mark_ns + c.stw2_ns);
    const yMaxMiB = yMax / 1048576 * 1.08;
    const X = (t) => M.l + (W - M.l - M.r) * t / tEnd;
    const Y = (b) => H - M.b - (H - M.b - M.t) * (b / 1048576) / yMaxMiB;
    let out = axes(W, H, X, Y, tEnd, yMaxMiB) + bands(cycles, X, H) +
      marking(samples, cycles, X, H);
    const inuse = series(samples, 'heap_inuse', X, Y, W);
    if (inuse)
      out += `<polygon class="inuse" points="${S.num(X(samples[0].t_ns))},${H - M.b} ${inuse} ` +
        `${S.num(X(samples[samples.length - 1].t_ns))},${H - M.b}"/>`;
    for (const [k, cls] of [['heap_sys', 'sys'], ['next_gc', 'goal'],
      ['heap_live', 'live'], ['heap_marked', 'markedl']]) {
      const pts = series(samples, k, X, Y, W);
      if (pts) out += `<polyline class="${cls}" points="${pts}"/>`;
    }
    out += strips(cycles, X, W, H);
    if (cursorNs !== undefined)
      out += `<line class="cursor" x1="${S.num(X(cursorNs))}" x2="${S.num(X(cursorNs))}" ` +
        `y1="${M.t}" y2="${H - 4}"/>`;
    for (const f of rec.frames)
      out += `<line class="fmark" x1="${S.num(X(f.t_ns))}" x2="${S.num(X(f.t_ns))}" y1="${M.t - 6}" y2="${M.t}"/>`;
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.dataset.cycles = cycles.length;
    svg.innerHTML = out;
  }

  return { draw };
})();
