/** renderDriftHtml: a drift matrix of real captures as one self-contained page, a lane per combination. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { renderDriftHtml } from '../../src/report/drift-html.js';
import { comboKey } from '../../src/report/drift-verdict.js';
import { MOVED_STROKE } from '../../src/report/map-svg.js';
import type { LayoutJson } from '../../src/xen/layout-json.js';
import { drawnSpans, FIXTURE_MODULE, fixtureRows, learned } from '../helpers/address-map.js';

const movedIn = (html: string, lane: number): string[] =>
  drawnSpans(html)
    .filter((s) => s.lane === lane && s.moved)
    .map((s) => s.key)
    .sort();

const svgPart = (html: string): string => html.slice(html.indexOf('<svg id="address-map"'), html.indexOf('</svg>') + '</svg>'.length);

describe('renderDriftHtml', () => {
  const rows = fixtureRows();
  const html = renderDriftHtml(rows, { modules: [FIXTURE_MODULE] });

  it('is self-contained: no script, no stylesheet or font to fetch, and a policy that forbids loading any', () => {
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(|\b(?:src|href)=/i);
    assert.deepEqual(
      [...html.matchAll(/https?:\/\/[^"\s]+/g)].map((m) => m[0]),
      ['http://www.w3.org/2000/svg'],
    );
    assert.match(html, /<\/body>\n<\/html>\n$/);
  });

  it('holds one well-formed SVG with a lane per combination, labelled with Xen, -m and dom0_mem', () => {
    assert.equal(XMLValidator.validate(svgPart(html)), true);
    const lanes = [...html.matchAll(/<g class="lane" data-lane="(\d+)" data-failed="(true|false)"/g)];
    assert.deepEqual(
      lanes.map((m) => [Number(m[1]), m[2]]),
      rows.map((row, i) => [i, row.failure ? 'true' : 'false']),
    );
    assert.match(html, />#1 xen 4\.17, -m 6G, dom0_mem=256M \(Xen 4\.17\.7\) {2}\(reference\)</);
    assert.match(html, />#5 xen 4\.20, -m 6G, dom0_mem=256M \(Xen 4\.20\.5-pre\)</);
  });

  it('draws every lane on one scale: the same address has the same x in every lane', () => {
    const spans = drawnSpans(html);
    const xs = (key: string) => new Set(spans.filter((s) => s.key === key).map((s) => s.x));
    assert.equal(xs('grantTable').size, 1);
    assert.equal(xs('bootModule[0]').size, 1);
    const ram2G = spans.find((s) => s.lane === 2 && s.kind === 'ram')!;
    const bank1G = spans.find((s) => s.lane === 1 && s.key === 'dom0Bank[0]')!;
    assert.ok(Math.abs(ram2G.x + ram2G.width - bank1G.x) < 0.02, 'the 2G RAM ends at 0xc0000000, where the 1G bank starts');
    for (const span of spans) assert.ok(span.width >= 5, `lane ${span.lane} ${span.key}: ${span.width} px`);
  });

  it('outlines exactly the spans that differ from row 1, in red, and only those', () => {
    assert.deepEqual(movedIn(html, 0), []);
    assert.deepEqual(movedIn(html, 1), ['dom0Bank[0]', 'dom0Dtb', 'extendedRegion[0]', 'extendedRegion[1]', 'kernel']);
    assert.deepEqual(movedIn(html, 2), ['extendedRegion[1]']);
    assert.deepEqual(movedIn(html, 3), ['dom0Bank[0]', 'dom0Bank[1]', 'dom0Dtb', 'extendedRegion[1]', 'extendedRegion[2]']);
    assert.deepEqual(movedIn(html, 4), ['extendedRegion[0]', 'extendedRegion[1]']);
    assert.deepEqual(movedIn(html, 6), []);
    for (const span of drawnSpans(html)) assert.equal(span.stroke === MOVED_STROKE, span.moved, `lane ${span.lane} ${span.key}`);
    assert.match(html, /Spans outlined in red differ from row #1, the first that has a layout\./);
  });

  it('shows a failed combination as failed, with its code and its message escaped', () => {
    assert.match(
      html,
      /data-failed="true" data-reference="false" data-failure="DOM0_NOT_BUILT: Xen could not give Dom0 its memory: 1344MB/,
    );
    assert.match(html, /#7 xen 4\.17, -m 2G, dom0_mem=3G {2}FAILED DOM0_NOT_BUILT: /);
    assert.deepEqual(
      drawnSpans(html)
        .filter((s) => s.lane === 6)
        .map((s) => s.key),
      ['ram', 'bootModule[0]'],
    );
    const odd = fixtureRows();
    odd[6]!.failure!.message = 'Xen said <b>"bad" & \'worse\'</b>\nsecond line';
    odd[6]!.combo.xenArgs = 'sched=null <x>';
    const page = renderDriftHtml(odd);
    assert.ok(!page.includes('<b>') && !page.includes('<x>'));
    assert.match(
      page,
      /<li data-lane="6">#7 DOM0_NOT_BUILT \(xen-boot\): Xen said &lt;b&gt;&quot;bad&quot; &amp; &apos;worse&apos;&lt;\/b&gt;\nsecond line<\/li>/,
    );
    assert.match(page, /-m 2G, dom0_mem=3G, sched=null &lt;x&gt;/);
    assert.equal(XMLValidator.validate(svgPart(page)), true);
  });

  it('compares each row with its own baseline when given one, and leaves rows without one unmarked', () => {
    const baseline = new Map<string, LayoutJson>([
      [comboKey(rows[1]!.combo), learned('xen417-6G-1G.log')],
      [comboKey(rows[4]!.combo), learned('xen417-6G-256M.log')],
      [comboKey(rows[3]!.combo), learned('xen420-6G-3G-two-banks.log')],
    ]);
    const page = renderDriftHtml(rows, { baseline });
    assert.deepEqual(movedIn(page, 0), [], 'no baseline for row 1');
    assert.deepEqual(movedIn(page, 1), [], 'row 2 equals its baseline');
    assert.deepEqual(movedIn(page, 2), [], 'no baseline for row 3');
    assert.deepEqual(movedIn(page, 3), ['extendedRegion[0]', 'extendedRegion[1]', 'extendedRegion[2]'], '4.17 against a 4.20 baseline');
    assert.deepEqual(movedIn(page, 4), ['extendedRegion[0]', 'extendedRegion[1]']);
    assert.doesNotMatch(page, /\(reference\)/);
    assert.match(page, /differ from the baseline layout of the same combination/);
  });
});
