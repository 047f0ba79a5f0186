/**
 * The relevance score of a story for a watchlist with a reference, and the
 * default cut-off derived from the seed. Pure. docs/relevance.md, "Score and
 * cut-off".
 *
 *   score = (facet part + similarity) / 2
 *
 * The similarity is the TF-IDF cosine to the seed's profile (scoreDocument).
 * The facet part says how much of the relation the story holds: 1 when the
 * watchlist's `require` holds, else half the share of the facets `require`
 * names that the story holds (a story about one side only gets 1/4 in a
 * two-sided relation). A watchlist without facets scores by similarity alone.
 */

/** What a story holds of the watchlist's facets. */
export interface FacetCoverage {
  satisfied: boolean;
  /** Facets named in `require` that the story holds, and how many `require` names. */
  found: number;
  required: number;
}

/**
 * Without facets, a story must be at least this share as close to the seed's
 * profile as the seed itself is (its own similarity) to be shown by default.
 */
export const CUT_OFF_SHARE = 0.1;

export function relevanceScore(similarity: number, coverage: FacetCoverage | null): number {
  if (!coverage) return similarity;
  const facetPart = coverage.satisfied ? 1 : coverage.required > 0 ? (0.5 * coverage.found) / coverage.required : 0;
  return (facetPart + similarity) / 2;
}

/**
 * The default cut-off, from the seed. With facets: the score of a story that
 * holds the relation the seed's facets describe and shares no word with its
 * profile (0.5), so a story is shown exactly when it holds the relation, and
 * similarity only ranks. Similarity cannot cut on its own: a two-line story
 * shares far fewer terms with a long seed than the seed shares with itself,
 * and a story in another language than the seed may share none (measured in
 * docs/relevance.md). Without facets: CUT_OFF_SHARE of the seed's own
 * similarity. Rounded down to 3 decimals, as digests show scores.
 */
export function seedCutOff(seedSimilarity: number, hasFacets: boolean): number {
  const score = hasFacets ? relevanceScore(0, { satisfied: true, found: 1, required: 1 }) : relevanceScore(CUT_OFF_SHARE * seedSimilarity, null);
  return Math.floor(score * 1000) / 1000;
}
