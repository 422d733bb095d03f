// SPDX-License-Identifier: GPL-2.0
// svg.js - what the views share: SVG text, colours (those of gmmctl map),
// numbers, the hover tip.
'use strict';

const gmmSvg = (() => {
  function esc(s) {
    return String(s).replace(/[&<>"]/g, (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  }

  function num(v) {
    return Math.round(v * 100) / 100;
  }

  function rect(x, y, w, h, attrs) {
    return `<rect x="${num(x)}" y="${num(y)}" width="${num(Math.max(w, 0))}"` +
      ` height="${num(Math.max(h, 0))}" ${attrs || ''}/>`;
  }

  function text(x, y, s, attrs) {
    return `<text x="${num(x)}" y="${num(y)}" ${attrs || ''}>${esc(s)}</text>`;
  }

  // A size class's colour, as viz/draw.c's class_colour(): the golden
  // angle over the hue circle, three lightnesses in turn; class 0 (large
  // objects) dark slate.
  function classColour(cls, tint) {
    if (!cls) return tint ? '#aeb4c3' : '#35456a';
    const h = (cls * 137.50776) % 360;
    const l = [47, 36, 58][cls % 3];
    return tint ? `hsl(${num(h)},68%,${num(l + (100 - l) * 0.72)}%)`
      : `hsl(${num(h)},68%,${l}%)`;
  }

  const colours = ['free', 'white', 'grey', 'black'];

  function bytes(b) {
    if (b >= 1 << 30) return (b / (1 << 30)).toFixed(2) + ' GiB';
    if (b >= 1 << 20) return (b / (1 << 20)).toFixed(1) + ' MiB';
    if (b >= 1 << 10) return (b / (1 << 10)).toFixed(1) + ' KiB';
    return b + ' B';
  }

  function ms(ns) {
    return (ns / 1e6).toFixed(3);
  }

  // x.y MB as gctrace prints it (MiB really, like Go's).
  function mb(b) {
    return Math.floor(b / 1048576) + '.' +
      Math.floor(((Math.floor(b / 1024)) % 1024) * 10 / 1024);
  }

  // One cycle as gmmctl prints gctrace lines (report.c's print_cycle()).
  function gctrace(c) {
    const t = Math.floor(c.start_ns / 1e9) + '.' +
      String(Math.floor(c.start_ns / 1e6) % 1000).padStart(3, '0');
    return `gc ${c.num} @${t}s: ${ms(c.stw1_ns)}+${ms(c.mark_ns)}+` +
      `${ms(c.stw2_ns)} ms clock, ${ms(c.stw1_ns)}+${ms(c.assist_ns)}/` +
      `${ms(c.bg_ns)}/0+${ms(c.stw2_ns)} ms cpu, ${mb(c.heap0)}->` +
      `${mb(c.heap1)}->${mb(c.heap2)} MB, ${mb(c.goal)} MB goal` +
      ((c.flags & 1) ? ' (forced)' : '');
  }

  // The hover tip: elements carry data-tip-kind and data-i; the view
  // that drew them says what they are.
  const tipTexts = {};
  function setTip(kind, fn) {
    tipTexts[kind] = fn;
  }

  function installTip() {
    const tip = document.getElementById('tip');
    document.addEventListener('mousemove', (ev) => {
      const el = ev.target.closest && ev.target.closest('[data-tip-kind]');
      const fn = el && tipTexts[el.dataset.tipKind];
      const s = fn ? fn(Number(el.dataset.i)) : null;
      if (!s) {
        tip.hidden = true;
        return;
      }
      tip.textContent = s;
      tip.hidden = false;
      const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
      const y = ev.clientY + 16 + tip.offsetHeight > window.innerHeight
        ? ev.clientY - tip.offsetHeight - 8 : ev.clientY + 16;
      tip.style.left = x + 'px';
      tip.style.top = y + 'px';
    });
  }

  return { esc, num, rect, text, classColour, colours, bytes, ms, mb,
    gctrace, setTip, installTip };
})();
