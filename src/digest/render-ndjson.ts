import type { Digest } from './digest.js';
import { escapeJsonControls } from './safe-text.js';

/**
 * One story per line, for `jq` and streams; a final `summary` line carries the
 * counts and the feed reports so that nothing of the JSON digest is lost.
 */
export function renderNdjson(digest: Digest): string {
  const { stories: _stories, ...rest } = digest;
  return `${renderNdjsonStories(digest)}${escapeJsonControls(JSON.stringify({ type: 'summary', ...rest }))}\n`;
}

/** Story lines only, for streams that have no end (`presswatch watch --format ndjson`). */
export function renderNdjsonStories(digest: Digest): string {
  return digest.stories.map((story) => `${escapeJsonControls(JSON.stringify({ type: 'story', schema: digest.schema, ...story }))}\n`).join('');
}
