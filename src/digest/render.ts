import type { Digest } from './digest.js';
import type { DigestFormat } from './formats.js';
import { renderAtom } from './render-atom.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderNdjson } from './render-ndjson.js';
import { renderText } from './render-text.js';

/** Every renderer takes the same Digest value; only the text one knows about colour. */
export function renderDigest(digest: Digest, format: DigestFormat, options: { color: boolean } = { color: false }): string {
  switch (format) {
    case 'text':
      return renderText(digest, options);
    case 'markdown':
      return renderMarkdown(digest);
    case 'html':
      return renderHtml(digest);
    case 'json':
      return renderJson(digest);
    case 'ndjson':
      return renderNdjson(digest);
    case 'atom':
      return renderAtom(digest);
  }
}
