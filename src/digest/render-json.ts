import type { Digest } from './digest.js';
import { escapeJsonControls } from './safe-text.js';

/** One JSON document; the shape is documented in docs/json.md and versioned by `schema`. */
export function renderJson(digest: Digest): string {
  return toJsonText(digest);
}

/** Any value as pretty JSON for stdout, with the controls that terminals act on escaped. */
export function toJsonText(value: unknown): string {
  return `${escapeJsonControls(JSON.stringify(value, null, 2))}\n`;
}
