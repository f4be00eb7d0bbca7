/** Pure: the few SGR colours the live view uses (no colour package: util.styleText is not in Node 20.0). */

const CODES = {
  green: [32, 39],
  red: [31, 39],
  cyan: [36, 39],
  dim: [2, 22],
} as const;

export type Style = keyof typeof CODES;

/** `text` in `style` when `on`, else as it is. */
export function paint(on: boolean, style: Style, text: string): string {
  if (!on || text === '') return text;
  const [set, reset] = CODES[style];
  return `\u001b[${set}m${text}\u001b[${reset}m`;
}

/** `text` without escape sequences or control characters (tabs become spaces): nothing that moves the cursor. */
export function withoutControls(text: string): string {
  return (
    text
      // CSI and OSC sequences, then any other control character.
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)?/g, '')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
  );
}

/** What may be shown on one line of the live view: no controls, and only printable ASCII (one character, one column). */
export function printable(text: string): string {
  return withoutControls(text).replace(/[^\u0020-\u007e]/g, '?');
}

/** `text` cut to `width` columns, a cut marked with "…". */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
