// SPDX-License-Identifier: GPL-2.0
// app.js - the page of gmmctl serve: reads the recording (data.js) about
// seven times a second, and draws the frame the scrubber points at (the newest
// while "follow" is on): heap map, timeline, size classes, gctrace lines;
// and, when the recording has object listings, the object step the step
// scrubber points at.  The Step button (gmmctl serve --script --step)
// asks the server to let the stepped cycle go on; nothing else here
// asks the server for anything but reading.
'use strict';

(() => {
  const D = gmmData;
  const rec = D.rec;
  const $ = (id) => document.getElementById(id);
  const state = { frame: -1, step: -1, drawnFrame: null, drawnStep: null, redraws: 0 };
  window.gmmPage = state;  // for tests: what is drawn

  function fmtT(ns) {
    return (ns / 1e9).toFixed(3) + ' s';
  }

  function drawFrame() {
    const f = rec.frames[state.frame];
    if (!f) {
      $('maptitle').textContent = rec.meta ? 'no heap map yet' : 'loading...';
      return;
    }
    gmmHeapMap.draw($('heapmap'), $('legend'), f);
    $('maptitle').textContent = gmmHeapMap.title(f);
    gmmTimeline.draw($('timeline'), rec, f.t_ns);
    gmmTables.classes($('classes'), f, rec.meta);
    gmmTables.gctrace($('gctrace'), rec.cycles, f.t_ns, 6);
    $('frameinfo').textContent = `frame ${state.frame + 1} of ${rec.frames.length} ` +
      `(${f.why}) at ${fmtT(f.t_ns)}`;
    state.drawnFrame = state.frame;
    state.redraws++;
  }

  function drawStep() {
    const L = rec.objects[state.step];
    $('objpanel').hidden = !rec.objects.length && !(rec.info && rec.info.step);
    if (!L) return;
    gmmObjects.draw($('objgraph'), $('slots'), L);
    $('stepinfo').textContent = gmmObjects.summary(L);
    $('stepno').textContent = `${state.step + 1} / ${rec.objects.length}`;
    state.drawnStep = state.step;
  }

  function syncControls() {
    const s = $('scrub');
    s.max = Math.max(rec.frames.length - 1, 0);
    if ($('follow').checked) state.frame = rec.frames.length - 1;
    s.value = Math.max(state.frame, 0);
    const t = $('stepscrub');
    t.max = Math.max(rec.objects.length - 1, 0);
    if ($('stepfollow').checked) state.step = rec.objects.length - 1;
    t.value = Math.max(state.step, 0);
    const i = rec.info || {};
    $('stepbtn').hidden = !i.step;
    $('stepbtn').disabled = !i.stepping || i.steps_asked > i.steps_done;
    const live = i.live ? 'live' : rec.ended ? 'recorded' : 'recording';
    // Cycles missed: the end line says; until then, the gaps in the numbers.
    const cs = rec.cycles;
    const lost = rec.ended ? rec.cyclesLost
      : cs.length ? cs[cs.length - 1].num - cs[0].num + 1 - cs.length : 0;
    $('badge').textContent = live;
    $('badge').className = 'badge ' + (i.live ? 'live' : '');
    $('status').textContent = `${rec.samples.length} samples, ${rec.frames.length} heap maps, ` +
      `${rec.cycles.length} GC cycles` + (lost ? ` (${lost} not seen: they left the kernel's ring of 32)` : '') +
      (rec.objects.length ? `, ${rec.objects.length} object steps` : '') +
      (D.behind() ? ' (loading...)' : '');
  }

  function redraw(force) {
    syncControls();
    if (force || state.drawnFrame !== state.frame || state.dirty) drawFrame();
    if (force || state.drawnStep !== state.step || state.dirty) drawStep();
    state.dirty = false;
  }

  async function tick() {
    try {
      const [changed] = await Promise.all([D.poll(), D.info()]);
      if (changed) state.dirty = true;
      if (rec.meta) $('what').textContent = rec.meta.what || rec.info.what;
      redraw(false);
      $('error').hidden = true;
    } catch (e) {
      $('error').textContent = 'gmmctl serve: ' + e.message;
      $('error').hidden = false;
    }
    setTimeout(tick, D.behind() ? 0 : 140);
  }

  function init() {
    gmmSvg.installTip();
    $('scrub').addEventListener('input', (ev) => {
      $('follow').checked = false;
      state.frame = Number(ev.target.value);
      redraw(false);
    });
    $('stepscrub').addEventListener('input', (ev) => {
      $('stepfollow').checked = false;
      state.step = Number(ev.target.value);
      redraw(false);
    });
    $('follow').addEventListener('change', () => redraw(false));
    $('stepfollow').addEventListener('change', () => redraw(false));
    const move = (id, d) => $(id).addEventListener('click', () => {
      $('stepfollow').checked = false;
      state.step = Math.min(Math.max(state.step + d, 0), rec.objects.length - 1);
      redraw(false);
    });
    move('stepprev', -1);
    move('stepnext', 1);
    $('stepbtn').addEventListener('click', async () => {
      $('stepbtn').disabled = true;
      $('stepfollow').checked = true;
      const r = await fetch('/api/step', { method: 'POST' });
      if (!r.ok) {
        $('error').textContent = await r.text();
        $('error').hidden = false;
      }
    });
    window.addEventListener('resize', () => redraw(true));
    tick();
  }

  init();
})();
