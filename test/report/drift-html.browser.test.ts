/**
 * drift.html drawn by a real browser: Debian's chromium (installed by scripts/setup.sh) loads the page, unchanged,
 * in an iframe of a harness page; the harness measures what was laid out and --dump-dom prints it.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { renderDriftHtml } from '../../src/report/drift-html.js';
import { drawnSpans, FIXTURE_MODULE, fixtureRows } from '../helpers/address-map.js';
import { chromiumLeftovers, dumpDom } from '../helpers/chromium.js';
import { tempDir } from '../helpers/tmp.js';

const TIMEOUT_MS = 60_000;

/** Reads the page's SVG through the iframe (file:// pages share an origin only with --allow-file-access-from-files). */
const HARNESS = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><script>
function measure(frame) {
  const out = document.getElementById('measured');
  try {
    const doc = frame.contentDocument;
    const box = (el) => { const b = el.getBoundingClientRect(); return { left: b.left, right: b.right, top: b.top, bottom: b.bottom }; };
    const rects = [...doc.querySelectorAll('rect.span')].map((r) => ({
      ...box(r), lane: Number(r.dataset.lane), key: r.dataset.key, moved: r.dataset.moved === 'true',
      start: r.dataset.start, end: r.dataset.end, bboxWidth: r.getBBox().width,
      stroke: frame.contentWindow.getComputedStyle(r).stroke,
    }));
    const lanes = [...doc.querySelectorAll('g.lane')].map((g) => ({
      ...box(g), lane: Number(g.dataset.lane), failed: g.dataset.failed === 'true', header: g.querySelector('text').textContent,
    }));
    const ticks = [...doc.querySelectorAll('g.tick')].map((t) => ({ address: t.dataset.address, x: box(t.querySelector('line')).left }));
    const svg = box(doc.getElementById('address-map'));
    const failures = [...doc.querySelectorAll('.failures li')].map((li) => li.textContent);
    out.textContent = JSON.stringify({ title: doc.title, svg, rects, lanes, ticks, failures });
  } catch (error) {
    out.textContent = 'ERROR ' + error;
  }
}
</script></head>
<body><iframe src="drift.html" width="1400" height="1600" onload="measure(this)"></iframe><pre id="measured">not measured</pre></body></html>
`;

interface Measured {
  title: string;
  svg: { left: number; right: number };
  rects: {
    lane: number;
    key: string;
    moved: boolean;
    start: string;
    left: number;
    right: number;
    top: number;
    bottom: number;
    bboxWidth: number;
    stroke: string;
  }[];
  lanes: { lane: number; failed: boolean; header: string; top: number; bottom: number }[];
  ticks: { address: string; x: number }[];
  failures: string[];
}

describe('drift.html in headless chromium', () => {
  const dir = tempDir('drift-browser');
  after(async () => {
    const left = await chromiumLeftovers(dir);
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(left, [], 'no chromium process outlives the test');
  });

  it('draws every span visibly, lanes apart, addresses left to right, moved spans in red', { timeout: TIMEOUT_MS + 10_000 }, async () => {
    const html = renderDriftHtml(fixtureRows(), { modules: [FIXTURE_MODULE] });
    writeFileSync(path.join(dir, 'drift.html'), html);
    writeFileSync(path.join(dir, 'harness.html'), HARNESS);
    const dom = await dumpDom(pathToFileURL(path.join(dir, 'harness.html')).href, dir, TIMEOUT_MS);
    const pre = /<pre id="measured">([^<]*)<\/pre>/.exec(dom)?.[1] ?? 'no <pre id="measured"> in the dumped DOM';
    assert.doesNotMatch(pre, /^(ERROR|not measured)/);
    const m = JSON.parse(
      pre
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
    ) as Measured;

    assert.equal(m.title, 'Where Xen placed Dom0, per combination');
    const expected = drawnSpans(html);
    assert.equal(m.rects.length, expected.length, 'every span the markup holds was laid out');
    for (const r of m.rects) {
      assert.ok(r.right - r.left >= 4 && r.bboxWidth > 0, `lane ${r.lane} ${r.key}: ${r.right - r.left} px wide`);
      assert.ok(r.left >= m.svg.left && r.right <= m.svg.right + 2, `lane ${r.lane} ${r.key} inside the picture`);
    }
    assert.deepEqual(
      m.lanes.map((l) => l.lane),
      [0, 1, 2, 3, 4, 5, 6],
    );
    for (let i = 1; i < m.lanes.length; i += 1) assert.ok(m.lanes[i - 1]!.bottom <= m.lanes[i]!.top, `lane ${i - 1} ends above lane ${i}`);
    for (const r of m.rects) {
      const lane = m.lanes[r.lane]!;
      assert.ok(r.top >= lane.top && r.bottom <= lane.bottom, `lane ${r.lane} ${r.key} drawn inside its lane`);
    }

    const bySpan = [...m.rects].sort((a, b) => (BigInt(a.start) < BigInt(b.start) ? -1 : BigInt(a.start) > BigInt(b.start) ? 1 : 0));
    for (let i = 1; i < bySpan.length; i += 1) {
      const [a, b] = [bySpan[i - 1]!, bySpan[i]!];
      if (a.start === b.start) assert.ok(Math.abs(a.left - b.left) < 1, `${a.start}: same x in every lane (${a.left} vs ${b.left})`);
      else assert.ok(a.left < b.left, `${a.start} (lane ${a.lane} ${a.key}) left of ${b.start} (lane ${b.lane} ${b.key})`);
    }
    for (let i = 1; i < m.ticks.length; i += 1)
      assert.ok(m.ticks[i - 1]!.x < m.ticks[i]!.x && BigInt(m.ticks[i - 1]!.address) < BigInt(m.ticks[i]!.address));

    const red = 'rgb(213, 0, 0)';
    for (const r of m.rects) assert.equal(r.stroke === red, r.moved, `lane ${r.lane} ${r.key}: highlighted iff moved`);
    const moved = (lane: number) =>
      m.rects
        .filter((r) => r.lane === lane && r.stroke === red)
        .map((r) => r.key)
        .sort();
    assert.deepEqual(moved(0), []);
    assert.deepEqual(moved(1), ['dom0Bank[0]', 'dom0Dtb', 'extendedRegion[0]', 'extendedRegion[1]', 'kernel']);
    assert.deepEqual(moved(2), ['extendedRegion[1]']);
    assert.deepEqual(moved(4), ['extendedRegion[0]', 'extendedRegion[1]']);

    const failed = m.lanes.filter((l) => l.failed);
    assert.deepEqual(
      failed.map((l) => l.lane),
      [6],
    );
    assert.match(failed[0]!.header, /^#7 xen 4\.17, -m 2G, dom0_mem=3G {2}FAILED DOM0_NOT_BUILT: /);
    assert.match(m.failures[0]!, /^#7 DOM0_NOT_BUILT \(xen-boot\): Xen could not give Dom0 its memory: 1344MB unallocated/);
  });
});
