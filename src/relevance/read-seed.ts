/**
 * Reads a seed article for `watchlist create --from-seed`: a file path, a
 * file: URL or an http(s) URL holding plain text or an HTML page. The I/O
 * goes through fetchResource (timeout, size cap, redirects, charset); what
 * comes back is checked and, for HTML, reduced to the article's text.
 */
import { load } from 'cheerio';
import { fileURLToPath } from 'node:url';
import { trustHostsOf } from '../fetch/address-policy.js';
import { FetchError, fetchResource, type FetchOptions } from '../fetch/http.js';
import { extractArticle } from '../scrape/extract-article.js';
import { collapseWhitespace, htmlToText } from '../text/html-to-text.js';

/** Below this many characters of text there is no article to learn from. */
export const MIN_SEED_CHARS = 200;

export interface Seed {
  text: string;
  title: string | null;
  /** Where it was read: the absolute path of a file, or the final URL after redirects. */
  source: string;
}

/** A seed that cannot be used; the message names the location and says what is wrong. */
export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

export async function readSeed(location: string, fetchOptions: FetchOptions): Promise<Seed> {
  let result: Awaited<ReturnType<typeof fetchResource>>;
  try {
    // The seed's location is the user's own request (a command-line argument).
    result = await fetchResource(location, {}, fetchOptions, trustHostsOf(location));
  } catch (error) {
    if (error instanceof FetchError) throw new SeedError(`seed: cannot read ${error.message}`);
    throw error;
  }
  if (result.kind !== 'ok') throw new SeedError(`seed: ${location}: the server answered 304 Not Modified to an unconditional request`);
  const isFile = result.url.startsWith('file:');
  const source = isFile ? fileURLToPath(result.url) : result.url;
  const what = isFile ? 'file' : 'page';

  if (!result.text.trim()) throw new SeedError(`seed: ${source}: empty ${isFile ? 'file' : 'response'}; expected an article as plain text or HTML`);
  const mediaType = result.contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
  if (mediaType && !isTextualMediaType(mediaType)) {
    throw new SeedError(`seed: ${source}: served as ${mediaType}; expected an article as plain text or HTML`);
  }
  if (isBinary(result.text)) throw new SeedError(`seed: ${source}: binary ${what} (NUL bytes or mostly control characters); expected an article as plain text or HTML`);

  const html = mediaType === 'text/html' || mediaType === 'application/xhtml+xml' || looksLikeHtml(result.text);
  const { text, title } = html ? readArticle(result.text, result.url) : { text: collapseWhitespace(result.text), title: null };
  if (text.length < MIN_SEED_CHARS) {
    const found = text.length === 0 ? 'no article text' : `only ${text.length} characters of article text`;
    throw new SeedError(`seed: ${source}: ${found} (at least ${MIN_SEED_CHARS} needed to learn from)`);
  }
  return { text, title, source };
}

function isTextualMediaType(mediaType: string): boolean {
  return mediaType.startsWith('text/') || /(?:^application\/(?:xhtml\+xml|xml|json|octet-stream)$)|\+xml$/.test(mediaType);
}

/** NUL bytes, or more than 2% control characters other than tab, line breaks and form feed. */
function isBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 65_536);
  const controls = sample.match(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return controls > sample.length * 0.02;
}

function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096).replace(/^\ufeff/, '');
  return /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(head) || /<(?:p|article|div)\b[^>]*>/i.test(head);
}

// Not article text: page furniture and code.
const FURNITURE = 'script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]';

/**
 * The article's text and title, by the scrape stage's extractArticle. When it
 * finds too little, a simple main-content heuristic has the last word: drop
 * page furniture, then take the longest <article>, else <main> /
 * [role=main], else the body.
 */
function readArticle(html: string, url: string): { text: string; title: string | null } {
  const article = extractArticle(html, url);
  const title = article.title?.trim() ? collapseWhitespace(article.title) : null;
  const text = collapseWhitespace(article.text);
  if (text.length >= MIN_SEED_CHARS) return { text, title };
  const fallback = readMainContent(html);
  return fallback.text.length > text.length ? { text: fallback.text, title: title ?? fallback.title } : { text, title };
}

function readMainContent(html: string): { text: string; title: string | null } {
  const $ = load(html);
  const title = $('meta[property="og:title"]').attr('content')?.trim() || $('title').first().text().trim() || $('h1').first().text().trim() || null;
  $(FURNITURE).remove();
  const textOf = (selector: string) =>
    $(selector)
      .toArray()
      .map((el) => htmlToText($.html(el)))
      .sort((a, b) => b.length - a.length)[0] ?? '';
  let text = textOf('article');
  if (text.length < MIN_SEED_CHARS) text = textOf('main, [role=main]') || text;
  if (text.length < MIN_SEED_CHARS) text = htmlToText($('body').html() ?? $.html()) || text;
  return { text: collapseWhitespace(text), title: title ? collapseWhitespace(title) : null };
}
