// SPDX-License-Identifier: GPL-2.0
// The page of gmmctl serve: reads the recording line by line from
// /api/lines and says what it holds.
'use strict';

const counts = {};
let next = 0;

async function poll() {
  const r = await fetch('/api/lines?from=' + next);
  if (!r.ok) {
    document.getElementById('status').textContent = await r.text();
    return;
  }
  next = Number(r.headers.get('X-Gmm-Next'));
  for (const line of (await r.text()).split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line);
    counts[o.type] = (counts[o.type] || 0) + 1;
    if (o.type === 'meta') document.getElementById('what').textContent = o.what;
  }
  document.getElementById('status').textContent = Object.keys(counts)
    .map((k) => counts[k] + ' ' + k).join(', ');
  setTimeout(poll, 200);
}
poll();
