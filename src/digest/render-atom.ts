import { createHash } from 'node:crypto';
import { escapeXml } from './safe-text.js';
import { describeScope, type Digest, type Story } from './digest.js';
import { renderStoryHtml } from './render-html.js';
import { safeHref, toTerminalLine, toTerminalSafe } from './safe-text.js';

export interface AtomOptions {
  /** What the feed is: its id is derived from it, so the same key gives the same feed id. Default: the digest's watchlists. */
  feedKey?: string;
  title?: string;
  /** When an entry last changed (a rolling feed: when it was delivered). Default: its publication date, else the digest's time. */
  updatedOf?: (story: Story) => string;
}

/**
 * An Atom 1.0 feed (RFC 4287) of a digest: one entry per story, its id derived
 * from the story's id so that a reader sees a story once however often the feed
 * is rewritten. Feed text is escaped as XML text (the entry content is escaped
 * HTML from the HTML renderer: no script, http(s) links only); controls and
 * escape sequences are removed first.
 */
export function renderAtom(digest: Digest, options: AtomOptions = {}): string {
  const feedKey = options.feedKey ?? `digest:${digest.watchlists.join(',')}`;
  const title = options.title ?? `presswatch · ${digest.watchlists.join(', ') || 'digest'}`;
  const updatedOf = options.updatedOf ?? ((story: Story) => story.publishedAt ?? digest.generatedAt);
  const entries = digest.stories.map((story) => ({ story, updated: updatedOf(story) }));
  const newest = entries.reduce((max, e) => (e.updated > max ? e.updated : max), entries.length ? '' : digest.generatedAt);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${atomId(`feed:${feedKey}`)}</id>`,
    `  <title type="text">${text(title)}</title>`,
    `  <subtitle type="text">${text(`Stories matched by presswatch (${describeScope(digest)})`)}</subtitle>`,
    `  <updated>${newest}</updated>`,
    '  <author><name>presswatch</name></author>',
    '  <generator>presswatch</generator>',
  ];
  for (const { story, updated } of entries) lines.push(renderEntry(story, updated));
  lines.push('</feed>');
  return `${lines.join('\n')}\n`;
}

function renderEntry(story: Story, updated: string): string {
  const href = safeHref(story.url);
  const lines = ['  <entry>', `    <id>${atomId(`story:${story.id}`)}</id>`, `    <title type="text">${text(story.title)}</title>`, `    <updated>${updated}</updated>`];
  if (story.publishedAt) lines.push(`    <published>${story.publishedAt}</published>`);
  lines.push(`    <author><name>${text(story.source)}</name></author>`);
  if (href) lines.push(`    <link rel="alternate" type="text/html" href="${escapeXml(href)}"/>`);
  for (const m of story.matches) lines.push(`    <category term="${text(m.term)}"/>`);
  if (story.snippet) lines.push(`    <summary type="text">${text(story.snippet)}</summary>`);
  lines.push(`    <content type="html">${escapeXml(renderStoryHtml(story))}</content>`, '  </entry>');
  return lines.join('\n');
}

function text(value: string): string {
  return escapeXml(toTerminalLine(toTerminalSafe(value)));
}

/**
 * A name-based UUID (RFC 4122 version 5 layout over SHA-1) as a urn:uuid IRI:
 * the same name always gives the same id, and the id is a registered URN form.
 */
export function atomId(name: string): string {
  const hash = createHash('sha1').update(`presswatch:${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
