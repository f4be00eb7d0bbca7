/** Pure: where a committed overlay's body differs from the one its lock's layout renders, named by lock field. */
import type { DtTargets } from '../devicetree/targets.js';
import { hex, type Layout, type Range } from '../xen/layout.js';
import { overlayBody, overlayBodyLines, renderOverlay } from './render.js';

const span = (r: Range | null | undefined): string => (r ? `${hex(r.start)}-${hex(r.end)}` : 'none');

/** What the lock says for `field` (`dom0Banks[0]`, `grantTable`, `extendedRegions[1]`, `eventChannelPpi`). */
export function lockValue(layout: Layout, field: string): string {
  const indexed = /^(dom0Banks|extendedRegions)\[(\d+)\]$/.exec(field);
  if (indexed) return span(layout[indexed[1] as 'dom0Banks' | 'extendedRegions'][Number(indexed[2])]);
  if (field === 'grantTable') return span(layout.grantTable);
  if (field === 'eventChannelPpi') return String(layout.eventChannelPpi);
  return '?';
}

/**
 * Each difference between the committed overlay `text` and what `layout` renders for `targets`
 * (header comment excluded): the lock fields whose lines are not in the overlay, with the lock's
 * value, then any other line added or missing. Empty when the bodies are byte for byte equal.
 */
export function overlayDifferences(text: string, layout: Layout, targets?: DtTargets): string[] {
  const body = overlayBody(text);
  if (body === overlayBody(renderOverlay(layout, { toolVersion: '', xenVersion: null }, targets))) return [];
  const expected = overlayBodyLines(layout, targets);
  const have = body.split('\n');
  const haveSet = new Set(have);
  const wantSet = new Set(expected.map((l) => l.text));
  const fields = [...new Set(expected.filter((l) => l.field && !haveSet.has(l.text)).map((l) => l.field!))];
  const differences = fields.map((field) => `${field} (lock: ${lockValue(layout, field)})`);
  // The body starts on the header's last line (the rest of ` */`): its line number in the file.
  const firstBodyLine = text.slice(0, text.length - body.length).split('\n').length;
  have.forEach((line, i) => {
    if (line.trim() && !wantSet.has(line))
      differences.push(`line ${firstBodyLine + i} ${JSON.stringify(line.trim())} is not what the lock renders`);
  });
  for (const line of expected) {
    if (!line.field && line.text.trim() && !haveSet.has(line.text)) differences.push(`line ${JSON.stringify(line.text.trim())} is missing`);
  }
  if (differences.length === 0) differences.push('the text differs (blank lines, order or whitespace)');
  return differences;
}
