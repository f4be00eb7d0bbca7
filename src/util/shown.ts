/** A user's value quoted for a one-line error message: escaped (NUL, newlines) and cut when long. */

const MAX_SHOWN = 80;

/** Why: an error line must stay one short line whatever bytes or length the user's value has. */
export function shown(value: unknown): string {
  if (typeof value !== 'string') {
    let text: string;
    try {
      text = typeof value === 'bigint' || typeof value === 'function' ? String(value) : (JSON.stringify(value) ?? String(value));
    } catch {
      text = Object.prototype.toString.call(value);
    }
    return text.slice(0, MAX_SHOWN);
  }
  const quoted = JSON.stringify(value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) : value);
  return value.length > MAX_SHOWN ? `${quoted.slice(0, -1)}..." (${value.length} characters)` : quoted;
}
