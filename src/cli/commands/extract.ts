import { readSettings } from '../../config/settings.js';
import { toTerminalLine, toTerminalSafe } from '../../digest/safe-text.js';
import { trustHostsOf } from '../../fetch/address-policy.js';
import { FetchError } from '../../fetch/http.js';
import type { Article } from '../../scrape/article.js';
import { ScrapeError, scrapeArticle } from '../../scrape/scrape-article.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { RunError } from '../../errors.js';
import { politeFetcherFor } from '../run-options.js';
import { toJsonText } from '../../digest/render-json.js';

export interface ExtractFlags {
  format: 'text' | 'json';
}

export async function extractCommand(location: string, flags: ExtractFlags, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const settings = readSettings(ctx.locations.configDir);
  const fetcher = politeFetcherFor(settings);
  let article: Article;
  try {
    ctx.reporter.verbose(`extract: fetching ${location}`);
    // A URL typed on the command line is the user's own request: its host is trusted, its redirects elsewhere are not.
    article = await scrapeArticle(location, fetcher, trustHostsOf(location));
  } catch (error) {
    if (error instanceof FetchError) throw new RunError(`fetch: ${error.message}`);
    if (error instanceof ScrapeError) throw new RunError(`extract: ${error.message}`);
    throw error;
  }
  await writeStdout(flags.format === 'json' ? toJsonText(article) : renderArticleText(article));
}

/** Metadata header, a blank line, then the body; every string made safe for a terminal. */
export function renderArticleText(article: Article): string {
  const fields: Array<[string, string | null]> = [
    ['title', article.title],
    ['author', article.author],
    ['published', article.publishedAt],
    ['site', article.siteName],
    ['canonical', article.canonicalUrl],
    ['language', article.language],
    ['source', article.source],
  ];
  const header = fields.map(([name, value]) => `${`${name}:`.padEnd(11)}${value === null ? '-' : toTerminalLine(value)}`);
  return `${header.join('\n')}\n\n${toTerminalSafe(article.text)}\n`;
}
