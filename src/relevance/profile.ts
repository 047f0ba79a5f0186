/**
 * The reference profile of a watchlist's seed article and the relevance score
 * of a story against it: TF-IDF cosine, with document frequencies from the
 * archive. Pure: the caller passes the texts, the clock and the corpus
 * statistics. Formulas and figures: docs/relevance.md.
 *
 * A profile holds weighted terms (stems and stem pairs), never sentences: it
 * is derived data, small enough to live in the watchlist file.
 */
import type { ReferenceProfile } from '../config/watchlist.js';
import { normalizeTerm } from '../match/normalize.js';
import { extractKeywords } from './keywords.js';
import { stemTerm } from './stem.js';
import { isStopWord } from '../text/stop-words.js';

/** Document frequencies over the archive the stories are ranked in. */
export interface CorpusStats {
  documentCount: number;
  /** How many documents hold `term` (a profileTerms token) at least once. */
  documentFrequency(term: string): number;
}

/** Terms kept in a profile. */
export const PROFILE_SIZE = 100;
/** A pair of words must recur in the seed to enter the profile (a once-seen pair is prose). */
const MIN_PAIR_TF = 2;
/** Keywords whose terms are kept and boosted in the profile, and by how much. */
const BOOSTED_KEYWORDS = 30;
const KEYWORD_BOOST = 2;

// Punctuation that ends a clause; word pairs never straddle it.
const CLAUSE_BREAK = /[.,;:!?()[\]{}"«»“”„|/…]+|\s[-–—]+\s|\n/;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The tokens of a text as profiles and document frequencies count them:
 * normalised (lower case, accents and apostrophes folded by normalizeTerm),
 * stop words, one-letter words and bare numbers dropped, lightly stemmed
 * (stemTerm). After the words come word pairs, "a b", for two kept words
 * adjacent in a clause or separated by stop words only ("accord de défense"
 * gives "accord defens"). Repeats are kept, so the list gives term
 * frequencies; a document's df contribution is the set of its terms.
 */
export function profileTerms(text: string): string[] {
  const words: string[] = [];
  const pairs: string[] = [];
  for (const clause of text.split(CLAUSE_BREAK)) {
    let previous: string | null = null;
    let gap = 0;
    for (const match of normalizeTerm(clause).matchAll(WORD)) {
      const word = match[0];
      if (word.length < 2 || /^\d+$/.test(word) || isStopWord(word)) {
        gap++;
        continue;
      }
      const stem = stemTerm(word);
      words.push(stem);
      if (previous !== null && gap <= 2 && previous !== stem) pairs.push(`${previous} ${stem}`);
      previous = stem;
      gap = 0;
    }
  }
  return words.concat(pairs);
}

/**
 * Weight of a term in the seed: w(t) = (1 + ln tf(t)) · b(t), where b(t) is 2
 * for a term of one of the article's top 30 keywords (extractKeywords) and 1
 * otherwise, so the names and phrases the article is about outweigh words it
 * merely repeats. Keyword terms are always kept (a place named once, like a
 * meeting's venue, counts); the other terms fill the profile up to
 * PROFILE_SIZE by weight (ties: earlier in the article first); pairs seen
 * once are dropped. Weights are scaled so the heaviest is 1 and rounded to 4
 * decimals. idf is applied at scoring time, against the archive.
 */
export function buildReferenceProfile(text: string, seed: string, now: Date): ReferenceProfile {
  const tokens = profileTerms(text);
  const counts = new Map<string, { tf: number; first: number }>();
  tokens.forEach((t, i) => {
    const entry = counts.get(t);
    if (entry) entry.tf++;
    else counts.set(t, { tf: 1, first: i });
  });

  const keywordTerms = new Set<string>();
  for (const keyword of extractKeywords(text, { max: BOOSTED_KEYWORDS })) {
    for (const term of profileTerms(keyword.phrase)) if (counts.has(term)) keywordTerms.add(term);
  }

  const weighted = [...counts]
    .filter(([term, { tf }]) => !term.includes(' ') || tf >= MIN_PAIR_TF || keywordTerms.has(term))
    .map(([term, { tf, first }]) => ({ term, first, key: keywordTerms.has(term), weight: (1 + Math.log(tf)) * (keywordTerms.has(term) ? KEYWORD_BOOST : 1) }))
    .sort((a, b) => Number(b.key) - Number(a.key) || b.weight - a.weight || a.first - b.first)
    .slice(0, PROFILE_SIZE)
    .sort((a, b) => b.weight - a.weight || a.first - b.first);
  const top = weighted[0]?.weight ?? 1;
  const terms: Record<string, number> = {};
  for (const { term, weight } of weighted) terms[term] = Math.round((weight / top) * 10_000) / 10_000;
  return { seed, createdAt: now.toISOString(), terms };
}

/**
 * Relevance of a document to a profile, in [0, 1]: the cosine between
 *   q(t) = w(t) · idf(t)                 (the profile)
 *   d(t) = (1 + ln tf_doc(t)) · idf(t)   (the document, all its terms)
 * with idf(t) = 1 + ln((N + 1) / (df(t) + 1)), N documents in the archive.
 * 0 when they share no term (or the document has none); 1 only for a document
 * whose terms are exactly the profile's, in the same proportions.
 */
export function scoreDocument(docText: string, profile: ReferenceProfile, stats: CorpusStats): number {
  const tf = new Map<string, number>();
  for (const term of profileTerms(docText)) tf.set(term, (tf.get(term) ?? 0) + 1);
  if (tf.size === 0) return 0;
  const idf = (term: string) => {
    const df = Math.min(Math.max(stats.documentFrequency(term), 0), stats.documentCount);
    return 1 + Math.log((stats.documentCount + 1) / (df + 1));
  };

  let dot = 0;
  let docNorm = 0;
  for (const [term, count] of tf) {
    const weight = idf(term);
    const d = (1 + Math.log(count)) * weight;
    docNorm += d * d;
    const w = profile.terms[term];
    if (w !== undefined && w > 0) dot += d * w * weight;
  }
  let profileNorm = 0;
  for (const [term, w] of Object.entries(profile.terms)) if (w > 0) profileNorm += (w * idf(term)) ** 2;
  if (dot === 0 || docNorm === 0 || profileNorm === 0) return 0;
  return Math.min(1, dot / Math.sqrt(docNorm * profileNorm));
}

/** Document frequencies of a few texts held in memory: for tests and small archives. */
export function buildCorpusStats(texts: string[]): CorpusStats {
  const df = new Map<string, number>();
  for (const text of texts) for (const term of new Set(profileTerms(text))) df.set(term, (df.get(term) ?? 0) + 1);
  return { documentCount: texts.length, documentFrequency: (term) => df.get(term) ?? 0 };
}
