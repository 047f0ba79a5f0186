/**
 * Pages without a feed: a list page read with the watchlist source's CSS selectors
 * becomes entries shaped like a feed's items. Pure: HTML and its URL in, entries out.
 */
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { HtmlSelectors } from '../config/watchlist.js';
import { itemId, itemKey, type Item } from '../feed/item.js';
import { normalizeSpace } from './dom.js';
import { toIsoDate } from './metadata.js';

export interface HtmlListEntry {
  title: string;
  /** Absolute http(s) URL of the article. */
  link: string;
  publishedAt: string | null;
}

/** Thrown when a selector cannot be parsed; the message names the selector field. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

export function listHtmlSource(html: string, pageUrl: string, selectors: HtmlSelectors): HtmlListEntry[] {
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true } });
  const base = baseUrl($('base[href]').attr('href'), pageUrl);
  const links = select(() => $(selectors.links).toArray(), 'links', selectors.links)
    .filter((n): n is Element => n.type === 'tag')
    .map((el) => anchorOf(el))
    .filter((el): el is Element => el !== null);
  const linkSet = new Set<AnyNode>(links);

  const seen = new Set<string>();
  const entries: HtmlListEntry[] = [];
  for (const anchor of links) {
    const link = absoluteHttpUrl(anchor.attribs['href'] ?? '', base);
    if (!link || seen.has(link)) continue;
    const container = containerOf(anchor, linkSet);
    const scope = $(container);
    let title = '';
    if (selectors.title) {
      const found = select(() => scope.find(selectors.title!).first(), 'title', selectors.title);
      title = normalizeSpace(found.text());
    }
    if (!title) title = normalizeSpace($(anchor).text()) || normalizeSpace(anchor.attribs['title'] ?? '');
    if (!title) continue; // an image-only link with no title is not an article entry
    let publishedAt: string | null = null;
    if (selectors.date) {
      const found = select(() => scope.find(selectors.date!).first(), 'date', selectors.date);
      publishedAt = toIsoDate(found.attr('datetime') ?? found.attr('content') ?? (normalizeSpace(found.text()) || null));
    }
    seen.add(link);
    entries.push({ title, link, publishedAt });
  }
  return entries;
}

/** Turns list entries into Items with the same identity rule as feed items (the link). */
export function toItems(entries: readonly HtmlListEntry[], sourceUrl: string): Item[] {
  return entries.map((e) => ({
    id: itemId(sourceUrl, itemKey({ guid: null, link: e.link, title: e.title, content: '' })),
    feedUrl: sourceUrl,
    title: e.title,
    link: e.link,
    guid: null,
    publishedAt: e.publishedAt,
    author: null,
    summary: '',
    content: '',
    categories: [],
  }));
}

function select<T>(run: () => T, field: string, selector: string): T {
  try {
    return run();
  } catch (error) {
    throw new SelectorError(`selectors.${field}: invalid CSS selector "${selector}" (${(error as Error).message})`);
  }
}

/** The selector may point at the <a> itself or at something holding it. */
function anchorOf(el: Element): Element | null {
  if (el.name === 'a' && el.attribs['href']) return el;
  const stack: AnyNode[] = [...el.children];
  while (stack.length) {
    const node = stack.shift()!;
    if (node.type === 'tag' && (node as Element).name === 'a' && (node as Element).attribs['href']) return node as Element;
    if ('children' in node) stack.push(...(node as Element).children);
  }
  return null;
}

/** The largest ancestor that holds this link and no other matched one: the entry's card or row. */
function containerOf(anchor: Element, links: Set<AnyNode>): AnyNode {
  let current: AnyNode = anchor;
  while (current.parent && current.parent.type !== 'root' && (current.parent as Element).name !== 'body') {
    if (countLinks(current.parent, links, anchor)) break;
    current = current.parent;
  }
  return current;
}

function countLinks(node: AnyNode, links: Set<AnyNode>, except: AnyNode): boolean {
  if (node !== except && links.has(node)) return true;
  if (!('children' in node)) return false;
  for (const child of (node as Element).children) if (countLinks(child, links, except)) return true;
  return false;
}

function baseUrl(href: string | undefined, pageUrl: string): string {
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return pageUrl;
  }
}

function absoluteHttpUrl(href: string, base: string): string | null {
  if (!href.trim() || href.trim().startsWith('#')) return null;
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
