import { isSeenBefore, storySignature, type StorySignature } from '../dedupe/story-signature.js';
import type { Store } from '../store/store.js';

const PAGE = 500;
const MAX_CANDIDATES = 64;

/**
 * Puts every item not yet in a story into one: an earlier item's story when the
 * dedupe rules say it is the same story (same canonical URL, same outlet and
 * headline, or near-identical text), else a story of its own. Candidates come
 * from the store's indexes (URL, title key, LSH bands), so this stays near-linear.
 */
export function assignStories(store: Store): number {
  let assigned = 0;
  for (;;) {
    const items = store.listUnclusteredItems(PAGE);
    if (items.length === 0) break;
    for (const item of items) {
      const signature = storySignature({
        title: item.title,
        text: item.body || item.content || item.summary,
        url: item.link,
        canonicalUrl: item.canonicalUrl,
        source: item.feedUrl,
      });
      const keys = { canonicalUrl: signature.canonicalUrl, titleKey: signature.titleKey, bandKeys: signature.bandKeys };
      const candidates = store.findStoryCandidates(keys, MAX_CANDIDATES).filter((c) => c.itemId !== item.id);
      const parsed = candidates.map((c) => parseSignature(c.signature));
      const seen = isSeenBefore(signature, parsed);
      store.assignStory(item.id, seen ? candidates[seen.index]!.storyId : item.id, keys, JSON.stringify(signature));
      assigned++;
    }
  }
  return assigned;
}

// A signature that cannot be read (older version, damage) compares as nothing.
const EMPTY: StorySignature = { version: 1, canonicalUrl: null, titleKey: '|', fingerprint: [], leadFingerprint: [], bandKeys: [], textLength: 0 };

function parseSignature(json: string): StorySignature {
  try {
    return JSON.parse(json) as StorySignature;
  } catch {
    return EMPTY;
  }
}
