/**
 * The one asynchronous door of the scrape stage, for the pipeline and `presswatch extract`:
 * fetch a page through the polite fetcher, check that it is an HTML page, extract it.
 * The fetcher is passed in, so this module itself does no I/O of its own.
 */
import type { Trust } from '../fetch/address-policy.js';
import type { PoliteFetcher } from '../fetch/polite-fetcher.js';
import type { Article } from './article.js';
import { extractArticle } from './extract-article.js';

/** A page that was fetched but holds no article we can use; the message names the URL. */
export class ScrapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScrapeError';
  }
}

/**
 * Fetches and extracts one article. Throws FetchError (transfer) or ScrapeError (content).
 * `trust` names the hosts that may be on a private address (the host of the feed the link came from).
 */
export async function scrapeArticle(url: string, fetcher: Pick<PoliteFetcher, 'fetch'>, trust?: Trust): Promise<Article> {
  const result = await fetcher.fetch(url, {}, trust);
  if (result.kind !== 'ok') throw new ScrapeError(`${url}: server answered 304 Not Modified to an unconditional request`);
  return articleFromPage(result.text, result.url, result.contentType);
}

/** The checks and extraction without the fetch: for local files and tests. */
export function articleFromPage(text: string, url: string, contentType: string | null): Article {
  assertHtml(text, url, contentType);
  const article = extractArticle(text, url);
  if (!article.text) throw new ScrapeError(`${url}: no article text found on the page`);
  return article;
}

const HTML_TYPES = /^\s*(?:text\/html|application\/xhtml\+xml)\b/i;

export function assertHtml(text: string, url: string, contentType: string | null): void {
  if (contentType && !HTML_TYPES.test(contentType) && !/^\s*text\/plain\b/i.test(contentType)) {
    throw new ScrapeError(`${url}: not an HTML page (Content-Type ${contentType.split(';')[0]!.trim()})`);
  }
  if (!text.trim()) throw new ScrapeError(`${url}: empty page`);
  // Without a trustworthy type (a local file, a text/plain mislabel), look at the start of the document.
  const head = text
    .slice(0, 4096)
    .replace(/^\ufeff/, '')
    .trimStart();
  if (!contentType || !HTML_TYPES.test(contentType)) {
    if (/^%PDF-|^\x89PNG|^GIF8|^\xff\xd8/.test(head)) throw new ScrapeError(`${url}: not an HTML page (binary content)`);
    if (!/<(?:!doctype\s+html|html|head|body|p|div|article|title|meta)\b/i.test(head) && !/<(?:p|div|article)\b/i.test(text.slice(0, 65536))) {
      throw new ScrapeError(`${url}: not an HTML page (no HTML markup at the start)`);
    }
  }
  // A feed is XML, not a page: point the user at the right tool.
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:rss|feed|rdf:RDF)\b/i.test(head)) {
    throw new ScrapeError(`${url}: this is a feed, not an article page`);
  }
}
