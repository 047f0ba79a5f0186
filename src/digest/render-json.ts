import type { Digest } from './digest.js';
import { escapeJsonControls } from './safe-text.js';

/** One JSON document; the shape is documented in docs/json.md and versioned by `schema`. */
export function renderJson(digest: Digest): string {
  return `${escapeJsonControls(JSON.stringify(digest, null, 2))}\n`;
}
