import type { Watchlist } from '../config/watchlist.js';
import type { DigestEntry } from '../digest/digest.js';
import type { CorpusStats } from '../relevance/profile.js';
import type { Store } from '../store/store.js';
import { facetsOf, loadMatcher } from './match-stored-items.js';

/**
 * Relevance of each story to the watchlist (docs/relevance.md): the facets it
 * holds, with their words, and its score, when the watchlist has a reference.
 * Document frequencies come from the archive for the profile's own terms, the
 * ones that carry the score; a story's other terms, which only weigh in its
 * norm, get the median frequency of those, so scoring costs ~100 index
 * look-ups per watchlist rather than one per word of every story.
 */
export async function scoreEntries(store: Store, watchlist: Watchlist, entries: DigestEntry[]): Promise<DigestEntry[]> {
  // Facets compile into hundreds of spellings: not for a digest with no entry.
  if (entries.length === 0) return entries;
  const m = await loadMatcher();
  const profile = watchlist.reference;
  const facets = facetsOf(watchlist, m);
  if (!profile && !facets) return entries;
  const stats = profile ? await archiveStats(store, Object.keys(profile.terms)) : null;
  const { scoreDocument, relevanceScore } = await loadRelevance();
  return entries.map((entry) => {
    const { item } = entry;
    const found = facets ? m.matchFacets({ title: item.title, summary: item.summary, content: item.content, body: item.body }, facets) : null;
    const scored: DigestEntry = { ...entry };
    if (found) scored.facets = found.facets.map((f) => ({ name: f.facet, kind: f.kind, words: f.words }));
    if (profile && stats) {
      const text = [item.title, item.body || item.content || item.summary].join('\n');
      scored.score = relevanceScore(scoreDocument(text, profile, stats), found);
    }
    return scored;
  });
}

/** Relevance's code, like the matcher's, imported when a digest has an entry to score. */
type Relevance = typeof import('../relevance/profile.js') & typeof import('../relevance/relevance-score.js');
let relevance: Promise<Relevance> | undefined;

function loadRelevance(): Promise<Relevance> {
  relevance ??= Promise.all([import('../relevance/profile.js'), import('../relevance/relevance-score.js')]).then(([profile, score]) => ({ ...profile, ...score }));
  return relevance;
}

async function archiveStats(store: Store, terms: string[]): Promise<CorpusStats> {
  const { documentCount, df } = await store.documentFrequencies(terms);
  const known = [...df.values()].sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)]! : 0;
  return { documentCount, documentFrequency: (term) => df.get(term) ?? median };
}
