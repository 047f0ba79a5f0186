import type { Watchlist } from '../config/watchlist.js';
import type { DigestEntry } from '../digest/digest.js';
import { scoreDocument, type CorpusStats } from '../relevance/profile.js';
import type { Store } from '../store/store.js';

/**
 * Relevance of each story to the watchlist's reference profile (docs/relevance.md).
 * Document frequencies come from the archive for the profile's own terms, the ones
 * that carry the score; a story's other terms, which only weigh in its norm, get
 * the median frequency of those, so scoring costs ~100 index look-ups per
 * watchlist rather than one per word of every story.
 */
export async function scoreEntries(store: Store, watchlist: Watchlist, entries: DigestEntry[]): Promise<DigestEntry[]> {
  const profile = watchlist.reference;
  if (!profile || entries.length === 0) return entries;
  const stats = await archiveStats(store, Object.keys(profile.terms));
  return entries.map((entry) => {
    const { item } = entry;
    const text = [item.title, item.body || item.content || item.summary].join('\n');
    return { ...entry, score: scoreDocument(text, profile, stats) };
  });
}

async function archiveStats(store: Store, terms: string[]): Promise<CorpusStats> {
  const { documentCount, df } = await store.documentFrequencies(terms);
  const known = [...df.values()].sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)]! : 0;
  return { documentCount, documentFrequency: (term) => df.get(term) ?? median };
}
