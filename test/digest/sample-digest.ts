import type { Digest } from '../../src/digest/digest.js';
import { buildDigest, type DigestEntry } from '../../src/digest/digest.js';

const entry = (id: string, title: string, summary: string, extra: Partial<DigestEntry> = {}): DigestEntry => ({
  item: {
    seq: 1,
    id,
    feedUrl: 'https://example.org/feed.xml',
    title,
    link: `https://example.org/${id}`,
    guid: id,
    publishedAt: '2026-11-23T08:30:00.000Z',
    author: null,
    summary,
    content: '',
    categories: [],
    firstSeenAt: '2026-11-23T09:00:00.000Z',
    body: '',
    canonicalUrl: null,
    storyId: id,
    storyVia: null,
  },
  matches: [
    {
      itemId: id,
      term: 'accord de défense',
      count: 1,
      variant: 'accord de défense',
      field: 'summary',
      offsets: { summary: [[summary.indexOf('accord de défense'), summary.indexOf('accord de défense') + 17]] },
      matchedAt: '2026-11-23T09:00:00.000Z',
    },
  ],
  feedLabel: 'Le Quotidien',
  feedTitle: null,
  ...extra,
});

/** A fixed digest value with hostile feed text, shared by the renderer tests. */
export function sampleDigest(): Digest {
  return buildDigest({
    now: new Date('2026-11-24T07:00:00.000Z'),
    mode: 'new',
    since: null,
    watchlists: [
      {
        name: 'coree-russie',
        matched: [
          entry('a1', 'Pyongyang et Moscou : le point sur l’accord', "Un an après, l'accord de défense tient toujours, selon Moscou.", {
            score: 0.8123,
            facets: [
              { name: 'Russie', kind: 'actor', words: ['Moscou'] },
              { name: 'Corée du Nord', kind: 'actor', words: ['Pyongyang'] },
            ],
            alsoReportedBy: [{ title: 'Même dépêche', url: 'https://other.example/x', source: 'Autre Journal', publishedAt: null, kind: 'copy', language: 'fr' }],
          }),
          entry(
            'evil',
            '<script>alert(1)</script>\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 [x](javascript:alert(1)) \u202eevil\u0007',
            'Texte <img src=x onerror=alert(1)> et accord de défense \u001b[31mrouge\u001b[0m \u001b]52;c;ZXZpbA==\u0007',
          ),
        ],
      },
    ],
    feeds: [
      { url: 'https://example.org/feed.xml', label: 'Le Quotidien', status: 'ok', error: null, httpStatus: 200, newItems: 2 },
      { url: 'https://down.example/rss', label: null, status: 'error', error: 'HTTP 503 Service Unavailable', httpStatus: 503, newItems: 0 },
    ],
  });
}

/**
 * What `presswatch search` renders: three hits, two of them copies of one story
 * (folded, with "also in"), or each copy on its own (`folded: false`). The query
 * carries markup, which every format must escape.
 */
export function sampleSearchDigest(folded = true): Digest {
  const dispatch = "Moscou et Pyongyang renforcent leur accord de défense, selon l'agence.";
  const first = entry('s1', 'Accord de défense : Moscou et Pyongyang renforcent leur pacte', dispatch, {
    ...(folded
      ? { alsoReportedBy: [{ title: 'Moscou et Pyongyang renforcent leur pacte', url: 'https://autre.example/pacte', source: 'Autre Journal', publishedAt: '2026-11-23T10:00:00.000Z', kind: 'copy', language: 'fr' }] }
      : {}),
  });
  const copy = entry('s1-copy', 'Moscou et Pyongyang renforcent leur pacte', dispatch, { feedLabel: 'Autre Journal' });
  copy.item = { ...copy.item, publishedAt: '2026-11-23T10:00:00.000Z', feedUrl: 'https://autre.example/rss' };
  const older = entry('s2', 'Le Parlement russe ratifie l’accord', "La Douma a ratifié l'accord de défense avec la Corée du Nord.");
  older.item = { ...older.item, publishedAt: '2026-11-20T06:00:00.000Z' };
  const query = '"accord de défense" AND NOT <b>sport</b>';
  return buildDigest({
    now: new Date('2026-11-24T07:00:00.000Z'),
    mode: 'since',
    since: '2026-11-01T00:00:00.000Z',
    watchlists: [{ name: `search: ${query}`, matched: folded ? [first, older] : [first, copy, older] }],
    feeds: [],
    search: { query, hits: 3, folded },
  });
}
