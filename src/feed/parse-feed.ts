import Parser from 'rss-parser';
import { decodeHTML } from 'entities';
import { htmlToText } from '../text/html-to-text.js';
import { FeedParseError } from './feed-parse-error.js';
import { itemId, itemKey, type Item } from './item.js';

export { FeedParseError };

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  /** RSS <ttl> in minutes, when the feed gives one. */
  ttlMinutes: number | null;
  items: Item[];
}

type RawItem = {
  title?: string;
  link?: string;
  guid?: string;
  id?: string;
  pubDate?: string;
  isoDate?: string;
  creator?: string;
  author?: string;
  content?: string;
  contentSnippet?: string;
  summary?: string;
  'content:encoded'?: string;
  description?: string;
  categories?: unknown[];
  'dc:date'?: string;
  'itunes:title'?: unknown;
  'media:title'?: unknown;
  'media:group'?: unknown;
  'media:content'?: unknown;
};

const newParser = () =>
  new Parser<Record<string, unknown>, RawItem>({
    // Kept raw (xml2js arrays): the Media RSS ones nest, and titleOf reads them.
    customFields: { item: ['description', 'summary', 'dc:date', 'itunes:title', 'media:title', 'media:group', 'media:content'] },
  });

/**
 * Parses RSS 2.0, RSS 1.0 (RDF) and Atom into Items. Pure: no network, no clock.
 * `feedUrl` is part of each item's identity and resolves relative links.
 */
export async function parseFeed(xml: string, feedUrl: string): Promise<ParsedFeed> {
  const head = xml
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  // rss-parser never settles on an empty string: answer before it is asked.
  if (!head.startsWith('<') && head) throw new FeedParseError('not a feed (the document is not XML)');
  if (!head || !/<[a-z_]/i.test(xml.replace(/<!--[\s\S]*?-->/g, ''))) throw new FeedParseError('empty document (no root element)');
  if (/^(<!--[\s\S]*?-->\s*)*<!doctype html|^(<!--[\s\S]*?-->\s*)*<html[\s>]/i.test(head)) {
    throw new FeedParseError('not a feed (got an HTML page)');
  }
  // xml2js expands internal entities recursively; refuse DTDs outright so an
  // entity bomb or an external entity never reaches it.
  // Comments and processing instructions may pad the prolog past any fixed window: look after them too.
  const padding = /^\uFEFF?(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(xml)![0].length;
  const prolog = xml.slice(padding, padding + 65536);
  if (/<!DOCTYPE[^>]*\[/i.test(head) || /<!ENTITY/i.test(xml.slice(0, 65536)) || /^<!DOCTYPE[^>[]*\[|<!ENTITY/i.test(prolog)) {
    throw new FeedParseError('refused: the document declares XML entities (DTD), which feeds do not need');
  }
  let raw: Awaited<ReturnType<ReturnType<typeof newParser>['parseString']>>;
  try {
    // A fresh parser each time: rss-parser reuses one xml2js parser, and some malformed documents leave it
    // in a state where a later parse never calls back (found by test/hostile/fuzz.test.ts).
    raw = await newParser().parseString(xhtmlAsHtml(repairXml(xml)));
  } catch (error) {
    // rss-parser indexes into the tree without checking: a TypeError means a recognised root with nothing inside.
    if (error instanceof TypeError) throw new FeedParseError('not a feed (the root element has no channel or entries)');
    const reason = (error as Error).message.split('\n').slice(0, 2).join(' ').trim();
    throw new FeedParseError(/feed not recognized/i.test(reason) ? 'not a feed (no RSS, RDF or Atom root element)' : `malformed XML: ${reason}`);
  }
  const items = (raw.items ?? []).map((entry) => toItem(entry, feedUrl));
  const ttl = Number((raw as Record<string, unknown>)['ttl']);
  return {
    title: textOf(raw.title) || null,
    link: textOf(raw.link) || null,
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    items,
  };
}

/**
 * Mends the two faults real feeds have most often, which strict XML parsing
 * rejects: HTML named entities (&nbsp;, &eacute;) and bare ampersands. Also
 * gives a versionless <rss> root the version rss-parser needs to recognise it.
 */
export function repairXml(xml: string): string {
  // Most feeds need neither repair: one scan answers that, instead of three passes that rewrite.
  if (!NEEDS_ENTITY_REPAIR.test(xml) && !VERSIONLESS_RSS.test(xml)) return xml;
  return xml
    .replace(/&(?!#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '&amp;')
    .replace(/&([a-z][a-z0-9]*);/gi, (whole, name: string) => {
      if (XML_ENTITIES.has(name)) return whole;
      const decoded = decodeHTML(whole);
      return decoded === whole ? `&amp;${name};` : [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
    })
    .replace(VERSIONLESS_RSS, '<rss version="2.0"$1');
}

/**
 * Atom's type="xhtml" text (title, summary, content…) is inline XHTML markup. xml2js keeps an
 * element's own text apart from its children, so "Le port de <b>Wonsan</b> accueillera" came out
 * as "Le port de accueillera … Wonsan": words out of order break phrases and snippets. Handed to
 * rss-parser as escaped HTML instead (what type="html" holds), the markup is read by htmlToText
 * in document order. An element holding CDATA or its own name again is left to textOf.
 */
export function xhtmlAsHtml(xml: string): string {
  if (!HAS_XHTML.test(xml)) return xml;
  return xml.replace(XHTML_TEXT_CONSTRUCT, (whole, name: string, attrs: string, _quote: string, inner: string) => {
    if (inner.includes('<![CDATA[') || new RegExp(`<${name}[\\s>/]`).test(inner)) return whole;
    const escaped = inner.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    return `<${name}${attrs.replace(XHTML_TYPE, 'type="html"')}>${escaped}</${name}>`;
  });
}

const HAS_XHTML = /\btype\s*=\s*["']xhtml["']/;
const XHTML_TYPE = /\btype\s*=\s*(["'])xhtml\1/;
/** An Atom text construct (any namespace prefix) whose type is xhtml, not self-closing, up to its end tag. */
const XHTML_TEXT_CONSTRUCT = /<((?:[A-Za-z_][\w.-]*:)?(?:title|subtitle|summary|content|rights))(\s[^>]*?\btype\s*=\s*(["'])xhtml\3[^>]*?)(?<!\/)>([\s\S]*?)<\/\1\s*>/g;

/** An ampersand that does not start one of XML's five entities or a character reference. */
const NEEDS_ENTITY_REPAIR = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#[xX][0-9a-fA-F]+);)/;
const VERSIONLESS_RSS = /<rss(?![^>]*\bversion=)([\s>])/;

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

function toItem(entry: RawItem, feedUrl: string): Item {
  const title = titleOf(entry);
  const link = resolveLink(textOf(entry.link), feedUrl);
  const guid = textOf(entry.guid) || textOf(entry.id) || null;
  const contentHtml = textOf(entry['content:encoded']) || textOf(entry.content);
  const summaryHtml = textOf(entry.description) || textOf(entry.summary) || textOf(entry.contentSnippet);
  const content = htmlToText(contentHtml);
  const summary = htmlToText(summaryHtml) || content;
  const key = itemKey({ guid, link, title, content: content || summary });
  return {
    id: itemId(feedUrl, key),
    feedUrl,
    title,
    link,
    guid,
    publishedAt: parseDate(entry.isoDate ?? entry.pubDate ?? entry['dc:date']),
    author: htmlToText(textOf(entry.creator) || textOf(entry.author)) || null,
    summary,
    content: content === summary ? '' : content,
    categories: (entry.categories ?? [])
      .map(textOf)
      .map((c) => c.trim())
      .filter(Boolean),
  };
}

/**
 * Podcast and video feeds often leave <title> out and name the episode in
 * <itunes:title> or Media RSS's <media:title> (on the item, in <media:group>, or
 * on a <media:content>): those come next, in that order, before an empty title.
 */
function titleOf(entry: RawItem): string {
  const group = firstElement(entry['media:group']);
  const candidates = [entry.title, entry['itunes:title'], entry['media:title'], group?.['media:title'], firstElement(group?.['media:content'])?.['media:title'], firstElement(entry['media:content'])?.['media:title']];
  for (const candidate of candidates) {
    const title = htmlToText(textOf(candidate));
    if (title) return title;
  }
  return '';
}

/** The first element of an xml2js child list, when it is an element with children. */
function firstElement(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

/** xml2js gives strings, or objects with `_` text and `$` attributes, or arrays of those. */
function textOf(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj['_'] === 'string') return obj['_'];
    const attrs = obj['$'] as Record<string, unknown> | undefined;
    if (attrs && typeof attrs['href'] === 'string') return attrs['href'];
    if (attrs && typeof attrs['term'] === 'string') return attrs['term'];
    // Atom type="xhtml" text that xhtmlAsHtml left as markup arrives as element objects (<div>…</div>): keep their text.
    if (attrs?.['type'] === 'xhtml') return xhtmlText(obj);
  }
  return '';
}

/** xml2js keeps an element's own text apart from its children, so inline markup can move words after the text around it. */
function xhtmlText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(xhtmlText).join(' ');
  if (!value || typeof value !== 'object') return '';
  return Object.entries(value)
    .filter(([key]) => key !== '$')
    .map(([, child]) => xhtmlText(child))
    .join(' ')
    .trim();
}

function resolveLink(link: string, base: string): string | null {
  const trimmed = link.trim();
  if (!trimmed) return null;
  try {
    const url = new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function parseDate(value: string | undefined): string | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
