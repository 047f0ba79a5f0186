import { createHash } from 'node:crypto';

/** One entry of a feed (or one scraped page), as plain text: the model every later stage reads. */
export interface Item {
  /** Stable identity: hash of the feed URL and the item key (see itemKey). */
  id: string;
  feedUrl: string;
  title: string;
  link: string | null;
  guid: string | null;
  /** ISO 8601, or null when the feed gives no usable date. */
  publishedAt: string | null;
  author: string | null;
  /** Feed summary as plain text. */
  summary: string;
  /** Feed full content as plain text (often empty or equal to the summary). */
  content: string;
  categories: string[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * What makes an item the same item on the next fetch: its GUID, else its link,
 * else a hash of title and content (Miniflux's rule).
 */
export function itemKey(parts: { guid: string | null; link: string | null; title: string; content: string }): string {
  if (parts.guid) return `guid:${parts.guid}`;
  if (parts.link) return `link:${parts.link}`;
  return `hash:${sha256(`${parts.title}\n${parts.content}`)}`;
}

export function itemId(feedUrl: string, key: string): string {
  return sha256(`${feedUrl}\n${key}`).slice(0, 24);
}
