/**
 * Page metadata, read in trust order: JSON-LD (schema.org Article and its kinds),
 * then Open Graph / article: / Dublin Core / plain meta tags, then the document itself
 * (<title>, <html lang>, <link rel=canonical>, <time datetime>).
 */
import type { AnyNode } from 'domhandler';
import type { ArticleMetadata } from './article.js';
import { attr, descendants, normalizeSpace, textContent } from './dom.js';
import { decodeHTML } from 'entities';
import { collapseWhitespace, htmlToText } from '../text/html-to-text.js';

export interface PageMetadata extends ArticleMetadata {
  /** JSON-LD articleBody as plain text, '' when absent. */
  jsonLdBody: string;
}

interface JsonLdArticle {
  headline?: unknown;
  name?: unknown;
  articleBody?: unknown;
  author?: unknown;
  datePublished?: unknown;
  dateCreated?: unknown;
  inLanguage?: unknown;
  publisher?: unknown;
  url?: unknown;
  mainEntityOfPage?: unknown;
  description?: unknown;
}

const ARTICLE_TYPE = /(?:^|:|\/)(?:\w*Article|BlogPosting|Report|LiveBlogPosting|SocialMediaPosting|NewsArticle|OpinionNewsArticle)$/i;

export function readMetadata(root: AnyNode, pageUrl: string): PageMetadata {
  const meta = new Map<string, string>();
  const ld: JsonLdArticle[] = [];
  let titleTag = '';
  let htmlLang = '';
  let canonical = '';
  let timeDatetime = '';
  let itempropDate = '';
  let itempropAuthor = '';

  for (const el of descendants(root)) {
    switch (el.name) {
      case 'meta': {
        const key = (attr(el, 'property') || attr(el, 'name') || attr(el, 'itemprop') || attr(el, 'http-equiv')).trim().toLowerCase();
        const content = attr(el, 'content').trim();
        if (key && content && !meta.has(key)) meta.set(key, content);
        if (attr(el, 'itemprop') === 'datePublished' && content && !itempropDate) itempropDate = content;
        break;
      }
      case 'script':
        if (/ld\+json/i.test(attr(el, 'type'))) collectJsonLd(textContent(el), ld);
        break;
      case 'title':
        if (!titleTag) titleTag = normalizeSpace(textContent(el));
        break;
      case 'html':
        htmlLang = attr(el, 'lang') || attr(el, 'xml:lang');
        break;
      case 'link':
        if (!canonical && /(?:^|\s)canonical(?:\s|$)/i.test(attr(el, 'rel'))) canonical = attr(el, 'href');
        break;
      case 'time':
        if (!timeDatetime && attr(el, 'datetime')) timeDatetime = attr(el, 'datetime');
        if (attr(el, 'itemprop') === 'datePublished' && !itempropDate) itempropDate = attr(el, 'datetime');
        break;
      default:
        if (!itempropAuthor && /\bauthor\b/.test(attr(el, 'itemprop')) && el.name !== 'meta') {
          const text = normalizeSpace(textContent(el));
          if (text.length > 0 && text.length < 100) itempropAuthor = text;
        }
    }
  }

  // Of several Article objects (a page may embed related ones), the one with a body, else the first.
  const article = ld.find((a) => typeof a.articleBody === 'string' && a.articleBody.trim()) ?? ld[0];
  const m = (...keys: string[]) => {
    for (const k of keys) {
      const v = meta.get(k);
      if (v) return v;
    }
    return null;
  };

  const title = str(article?.headline) ?? m('og:title', 'twitter:title', 'dc.title', 'sailthru.title', 'parsely-title') ?? (titleTag || null);
  const author = personNames(article?.author) ?? cleanAuthor(m('author', 'article:author', 'parsely-author', 'sailthru.author', 'dc.creator', 'byl')) ?? (itempropAuthor || null);
  const published =
    toIsoDate(str(article?.datePublished) ?? str(article?.dateCreated)) ??
    toIsoDate(
      m(
        'article:published_time',
        'og:published_time',
        'datepublished',
        'pubdate',
        'publishdate',
        'publish-date',
        'dc.date.issued',
        'dc.date',
        'date',
        'sailthru.date',
        'parsely-pub-date',
        'article.published',
        'published_time',
      ),
    ) ??
    toIsoDate(itempropDate || null) ??
    toIsoDate(timeDatetime || null);
  const language = cleanLanguage(str(article?.inLanguage) ?? (htmlLang || null) ?? m('content-language', 'og:locale', 'dc.language', 'language'));
  const canonicalUrl = absoluteUrl(canonical || m('og:url') || str(article?.url) || urlOf(article?.mainEntityOfPage), pageUrl);
  const siteName = m('og:site_name', 'application-name', 'twitter:site') ?? publisherName(article?.publisher);
  const description = str(article?.description) ?? m('og:description', 'description', 'twitter:description');
  const rawBody = str(article?.articleBody) ?? '';
  const jsonLdBody = rawBody ? bodyToText(rawBody) : '';

  return {
    title: title ? normalizeSpace(title) : null,
    author,
    publishedAt: published,
    language,
    canonicalUrl,
    siteName: siteName ? normalizeSpace(siteName.replace(/^@/, '')) : null,
    description: description ? normalizeSpace(description) : null,
    jsonLdBody,
  };
}

function collectJsonLd(raw: string, out: JsonLdArticle[]): void {
  let data: unknown;
  try {
    // Some sites wrap the JSON in CDATA or HTML comments.
    data = JSON.parse(raw.replace(/^\s*(?:<!\[CDATA\[|<!--)/, '').replace(/(?:\]\]>|-->)\s*$/, ''));
  } catch {
    return; // malformed JSON-LD is common; the meta tags still serve
  }
  const visit = (node: unknown, depth: number): void => {
    if (depth > 6 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1);
      return;
    }
    const obj = node as Record<string, unknown>;
    const types = ([] as unknown[]).concat(obj['@type'] ?? []).filter((t): t is string => typeof t === 'string');
    if (types.some((t) => ARTICLE_TYPE.test(t))) out.push(obj as JsonLdArticle);
    if (obj['@graph']) visit(obj['@graph'], depth + 1);
    if (obj['mainEntity']) visit(obj['mainEntity'], depth + 1);
  };
  visit(data, 0);
}

function str(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (Array.isArray(value)) return str(value[0]);
  return null;
}

function urlOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return str((value as Record<string, unknown>)['@id']) ?? str((value as Record<string, unknown>)['url']);
  return null;
}

function personNames(value: unknown): string | null {
  const names: string[] = [];
  for (const v of ([] as unknown[]).concat(value ?? [])) {
    const name = typeof v === 'string' ? v : v && typeof v === 'object' ? str((v as Record<string, unknown>)['name']) : null;
    const clean = cleanAuthor(name);
    if (clean && !names.includes(clean)) names.push(clean);
  }
  return names.length ? names.join(', ') : null;
}

function publisherName(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (first && typeof first === 'object') return str((first as Record<string, unknown>)['name']);
  return typeof first === 'string' ? first : null;
}

/** An author field that is a profile URL is not a name. */
function cleanAuthor(value: string | null): string | null {
  if (!value) return null;
  const v = normalizeSpace(value.replace(/^by\s+/i, ''));
  if (!v || /^https?:\/\//i.test(v) || v.length > 200) return null;
  return v;
}

function cleanLanguage(value: string | null): string | null {
  if (!value) return null;
  const tag = value.trim().replace(/_/g, '-');
  return /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(tag) ? tag : null;
}

export function toIsoDate(value: string | null): string | null {
  if (!value) return null;
  const v = value.trim();
  // A bare epoch (seconds or milliseconds) appears in some meta tags.
  if (/^\d{10}$/.test(v)) return new Date(Number(v) * 1000).toISOString();
  if (/^\d{13}$/.test(v)) return new Date(Number(v)).toISOString();
  if (!/\d{4}/.test(v)) return null;
  const time = Date.parse(v);
  if (Number.isNaN(time)) return null;
  const year = new Date(time).getUTCFullYear();
  return year >= 1990 && year <= 2100 ? new Date(time).toISOString() : null;
}

function absoluteUrl(value: string | null, base: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** articleBody is plain text by the schema, yet some sites put HTML in it. */
function bodyToText(body: string): string {
  // Some even escape it twice: `&lt;p&gt;` inside the JSON string.
  const unescaped = /&lt;\/?[a-z][^&]*&gt;/i.test(body) ? decodeHTML(body) : body;
  // Read as a feed's text is: a line break (one <br> or one newline) stays a line break, a gap a
  // phrase runs across; a blank line, two <br> or a block boundary is a paragraph break.
  return /<\/?[a-z][^>]*>/i.test(unescaped) ? htmlToText(unescaped) : collapseWhitespace(unescaped);
}
