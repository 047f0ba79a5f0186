import { buildDigest, DIGEST_SCHEMA, type Digest } from '../digest/digest.js';

/** What `watchlist deliver test` sends: one sample story, plainly marked as a test (pure). */
export function sampleDeliveryDigest(watchlist: string, now: Date): Digest {
  const at = now.toISOString();
  const digest = buildDigest({ now, mode: 'new', since: null, watchlists: [{ name: watchlist, matched: [] }], feeds: [] });
  return {
    ...digest,
    schema: DIGEST_SCHEMA,
    counts: { ...digest.counts, stories: 1 },
    stories: [
      {
        id: `presswatch-test-${now.getTime()}`,
        watchlist,
        title: 'presswatch test: this destination works',
        url: null,
        source: 'presswatch',
        language: 'en',
        publishedAt: at,
        matches: [{ term: 'test', count: 1, variant: 'test', field: 'title' }],
        snippet: `A sample sent by \`presswatch watchlist deliver test ${watchlist}\`. Real digests list the stories the watchlist matched.`,
        highlights: [],
      },
    ],
  };
}
