/** renderLayoutSvg: one run's layout as a standalone, valid SVG, from real Xen logs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderLayoutSvg } from '../../src/report/layout-svg.js';
import { MOVED_STROKE } from '../../src/report/map-svg.js';
import { drawnSpans, FIXTURE_MODULE, learned, TWO_BANK_KEYS } from '../helpers/address-map.js';

const svgOf = (log: string, over: Partial<Parameters<typeof renderLayoutSvg>[0]> = {}) =>
  renderLayoutSvg({ label: 'learn', memory: '6G', layout: learned(log), modules: [FIXTURE_MODULE], ...over });

describe('renderLayoutSvg', () => {
  it('is a valid SVG document with a title, a hex axis, the spans and a legend', () => {
    const svg = svgOf('xen417-6G-256M.log', { title: 'Xen 4.17, -m 6G, dom0_mem=256M' });
    assert.equal(XMLValidator.validate(svg), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg);
    assert.equal(doc.svg.xmlns, 'http://www.w3.org/2000/svg');
    assert.equal(doc.svg.title, 'Xen 4.17, -m 6G, dom0_mem=256M');
    assert.match(svg, /<text class="title"[^>]*>Xen 4\.17, -m 6G, dom0_mem=256M<\/text>/);
    assert.match(svg, /<text class="subtitle"[^>]*>Xen 4\.17\.7, -m 6G, event channel PPI 16<\/text>/);
    const ticks = [...svg.matchAll(/<g class="tick" data-address="(0x[0-9a-f]+)">/g)].map((m) => BigInt(m[1]!));
    assert.ok(ticks.length >= 8, `${ticks.length} ticks`);
    assert.deepEqual(
      ticks,
      [...ticks].sort((a, b) => (a < b ? -1 : 1)),
    );
    assert.ok(ticks.includes(0x50000000n) && ticks.includes(0x1c0000000n));
    assert.match(svg, /<g class="legend">/);
    assert.match(svg, /Xen itself is not drawn: its log does not say where it sits/);
  });

  it('draws each span once, in address order left to right, none thinner than a few pixels', () => {
    const spans = drawnSpans(svgOf('xen417-6G-3G-two-banks.log'));
    assert.deepEqual(spans.map((s) => s.key).sort(), TWO_BANK_KEYS);
    for (let i = 1; i < spans.length; i += 1) {
      const [a, b] = [spans[i - 1]!, spans[i]!];
      assert.ok(a.start <= b.start, `${a.key} before ${b.key}`);
      if (a.start < b.start) assert.ok(a.x < b.x, `${a.key} left of ${b.key}`);
    }
    for (const span of spans) assert.ok(span.width >= 5, `${span.key} is ${span.width} px wide`);
    const bank1 = spans.find((s) => s.key === 'dom0Bank[1]')!;
    assert.deepEqual([bank1.start, bank1.end], [0x1a0000000n, 0x1b0000000n]);
  });

  it('outlines exactly what differs from the baseline (the layout built with), and nothing without one', () => {
    const plain = drawnSpans(svgOf('xen417-6G-1G.log'));
    assert.ok(plain.every((s) => !s.moved && s.stroke !== MOVED_STROKE));
    const svg = svgOf('xen417-6G-1G.log', { baseline: learned('xen417-6G-256M.log') });
    const spans = drawnSpans(svg);
    const moved = spans.filter((s) => s.moved);
    assert.deepEqual(moved.map((s) => s.key).sort(), ['dom0Bank[0]', 'dom0Dtb', 'extendedRegion[0]', 'extendedRegion[1]', 'kernel']);
    assert.ok(moved.every((s) => s.stroke === MOVED_STROKE));
    assert.ok(spans.filter((s) => !s.moved).every((s) => s.stroke !== MOVED_STROKE));
    assert.match(svg, /Dom0 bank 0 0xc0000000-0x100000000 \(1 GiB\); moved from 0x50000000-0x60000000/);
    assert.match(svg, /moved: differs from the reference/);
  });

  it('escapes the title and labels, whatever characters they hold', () => {
    const nasty = `run <&> "quoted" 'single' \u0001 end`;
    const svg = svgOf('xen417-6G-256M.log', { title: nasty, label: nasty, modules: [{ ...FIXTURE_MODULE, label: 'a<b>&c' }] });
    assert.equal(XMLValidator.validate(svg), true);
    assert.ok(!svg.includes('<&>') && !svg.includes('a<b>'));
    assert.match(svg, /run &lt;&amp;&gt; &quot;quoted&quot; &apos;single&apos; \uFFFD end/);
    const doc = new XMLParser({ ignoreAttributes: false, processEntities: true }).parse(svg);
    assert.equal(doc.svg.title, `run <&> "quoted" 'single' \uFFFD end`);
  });

  it('shows a failed run as failed, with what is still known (RAM, the module)', () => {
    const svg = renderLayoutSvg({
      label: 'learn',
      memory: '2G',
      layout: null,
      failure: 'DOM0_NOT_BUILT: 1344MB unallocated',
      modules: [FIXTURE_MODULE],
    });
    assert.equal(XMLValidator.validate(svg), true);
    assert.match(svg, /FAILED DOM0_NOT_BUILT: 1344MB unallocated/);
    assert.match(svg, /<g class="lane" data-lane="0" data-failed="true"/);
    assert.deepEqual(
      drawnSpans(svg).map((s) => [s.key, s.end]),
      [
        ['ram', 0xc0000000n],
        ['bootModule[0]', 0x40601000n],
      ],
    );
  });
});
