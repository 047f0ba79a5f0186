import { clusterStories, type StoryEntry } from '../dedupe/cluster-stories.js';
import { storySignature } from '../dedupe/story-signature.js';
import type { DigestEntry } from '../digest/digest.js';
import { foldStories } from '../digest/fold-stories.js';
import type { Store, StoredItem } from '../store/store.js';

/** A story a search found: the entry shown (with "also in"), and how many hits it stands for. */
export interface SearchStory {
  entry: DigestEntry;
  hits: number;
}

/**
 * Search hits folded into stories the way a digest folds them (foldStories: the
 * earliest copy shown, one "also in" per other outlet). Only matched items were
 * given a story by the pipeline, so the hits are also grouped among themselves by
 * the dedupe rules (groupHitsByStory); nothing is written.
 */
export async function foldSearchHits(store: Store, hits: readonly DigestEntry[]): Promise<SearchStory[]> {
  const storyOfHit = groupHitsByStory(hits.map((h) => h.item));
  // A stored story's other copies (matched or not) come along for "also in", under the group's key.
  const storyOfStored = new Map<string, string>();
  for (const { item } of hits) if (item.storyId !== null) storyOfStored.set(item.storyId, storyOfHit.get(item.id)!);
  const storyOf = (item: StoredItem) => storyOfHit.get(item.id) ?? (item.storyId !== null ? storyOfStored.get(item.storyId) : undefined) ?? item.storyId ?? item.id;
  const members = await store.listStoryMembers([...storyOfStored.keys()]);
  const hitsPerStory = new Map<string, number>();
  for (const { item } of hits) hitsPerStory.set(storyOf(item), (hitsPerStory.get(storyOf(item)) ?? 0) + 1);
  // Hits joined here rather than by the pipeline were joined by the copy rules: they are copies.
  const joined = hits.map((h) => (h.item.storyVia === null && storyOf(h.item) !== (h.item.storyId ?? h.item.id) ? { ...h, item: { ...h.item, storyVia: 'copy' as const } } : h));
  return foldStories(joined, members, storyOf).map((entry) => ({ entry, hits: hitsPerStory.get(storyOf(entry.item)) ?? 1 }));
}

/**
 * Each item's story key: items the store put in one story stay together, and
 * items that clusterStories judges the same story (same canonical URL, same outlet
 * and headline, or near-identical text) are joined. The key is the group's
 * smallest stored story id, else its smallest item id, so it does not depend on
 * the order of the hits. Pure.
 */
export function groupHitsByStory(items: readonly StoredItem[]): Map<string, string> {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    if (parent[i] !== i) parent[i] = find(parent[i]!);
    return parent[i]!;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstWithStory = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.storyId === null) return;
    const first = firstWithStory.get(item.storyId);
    if (first === undefined) firstWithStory.set(item.storyId, i);
    else join(first, i);
  });
  const entries: StoryEntry<number>[] = items.map((item, i) => ({
    key: i,
    signature: storySignature({ title: item.title, text: item.body || item.content || item.summary, url: item.link, canonicalUrl: item.canonicalUrl, source: item.feedUrl }),
    publishedAt: item.publishedAt,
    source: item.feedUrl,
  }));
  for (const cluster of clusterStories(entries)) for (const other of cluster.others) join(cluster.representative.key, other.key);

  const keyOfRoot = new Map<number, string>();
  items.forEach((item, i) => {
    const root = find(i);
    const candidate = item.storyId ?? `~${item.id}`;
    const current = keyOfRoot.get(root);
    // A stored story id sorts before any item id (prefixed '~'), so it is preferred.
    if (current === undefined || candidate < current) keyOfRoot.set(root, candidate);
  });
  return new Map(items.map((item, i) => [item.id, keyOfRoot.get(find(i))!.replace(/^~/, '')]));
}
