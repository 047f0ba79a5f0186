/** Items, fetch records and matches for the store tests (the contract and each store's own). */
import { itemId, type Item } from '../../src/feed/item.js';
import type { FeedFetchRecord, StoredMatch } from '../../src/store/store.js';

export const FEED = 'https://flux.example.fr/monde.xml';
export const OTHER_FEED = 'https://autre.example.org/asie.xml';

export function makeItem(n: number, overrides: Partial<Item> = {}): Item {
  const feedUrl = overrides.feedUrl ?? FEED;
  return {
    id: itemId(feedUrl, `guid:${n}`),
    feedUrl,
    title: `Dépêche numéro ${n}`,
    link: `https://flux.example.fr/a/${n}`,
    guid: String(n),
    publishedAt: `2026-11-${String(10 + n).padStart(2, '0')}T08:00:00.000Z`,
    author: null,
    summary: `Résumé ${n}`,
    content: '',
    categories: ['Monde'],
    ...overrides,
  };
}

export function okRecord(url = FEED, overrides: Partial<FeedFetchRecord> = {}): FeedFetchRecord {
  return {
    url,
    label: 'Le Flux',
    title: 'Le Flux — Monde',
    status: 'ok',
    httpStatus: 200,
    error: null,
    etag: '"v1"',
    lastModified: null,
    fetchedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export function makeMatch(item: Item, term = 'Pyongyang'): StoredMatch {
  return {
    itemId: item.id,
    term,
    count: 1,
    variant: term.toLowerCase(),
    field: 'title',
    offsets: { title: [[0, 9]] },
    matchedAt: '2026-11-20T10:00:01.000Z',
  };
}
