import { findSameStory, SIGNATURE_VERSION, storySignature, type StorySignature } from '../dedupe/story-signature.js';
import type { Store, StoredItem } from '../store/store.js';
import { SILENT_REPORTER, type Reporter } from './reporter.js';

const PAGE = 500;
/** Candidates compared per item, those sharing the most evidence first (true copies share many bands). */
const MAX_CANDIDATES = 16;

/**
 * Puts every item not yet in a story into one: an earlier item's story when the
 * dedupe rules say it is the same story (same canonical URL, same outlet and
 * headline, or near-identical text), else a story of its own. Candidates come
 * from the store's indexes (URL, title key, LSH bands), so this stays near-linear.
 * One process at a time (a lock in the store), so two copies of a story arriving in
 * two processes still end in one story.
 */
export function assignStories(store: Store, reporter: Reporter = SILENT_REPORTER): Promise<number> {
  return store.exclusive('stories', (tx) => assignUnclusteredItems(tx, reporter));
}

async function assignUnclusteredItems(store: Store, reporter: Reporter): Promise<number> {
  const signatures = new SignatureCache();
  let assigned = 0;
  // Pages come PAGE at a time: while a page comes full, more may follow, so the total stays open.
  let open = false;
  for (;;) {
    const items = await store.listUnclusteredItems(PAGE);
    if (items.length === 0) break;
    open = items.length === PAGE;
    reporter.progress({ phase: 'clustering', done: assigned, total: assigned + items.length, open });
    // One transaction per page: later items of the page see the stories of earlier ones.
    await store.transaction(async (tx) => {
      for (const item of items) await assignStory(tx, item, signatures);
    });
    assigned += items.length;
    reporter.progress({ phase: 'clustering', done: assigned, total: assigned, open });
  }
  if (open) reporter.progress({ phase: 'clustering', done: assigned, total: assigned });
  return assigned;
}

async function assignStory(store: Store, item: StoredItem, signatures: SignatureCache): Promise<void> {
  const signature = storySignature({
    title: item.title,
    text: item.body || item.content || item.summary,
    url: item.link,
    canonicalUrl: item.canonicalUrl,
    source: item.feedUrl,
  });
  const keys = { canonicalUrl: signature.canonicalUrl, titleKey: signature.titleKey, bandKeys: signature.bandKeys };
  const candidates: { storyId: string; signature: StorySignature }[] = [];
  for (const c of await store.findStoryCandidates(keys, MAX_CANDIDATES)) {
    if (c.itemId === item.id) continue;
    const candidate = await signatures.get(c.itemId, () => store.readSignature(c.itemId));
    if (candidate !== null) candidates.push({ storyId: c.storyId, signature: candidate });
  }
  const seen = findSameStory(signature, candidates.map((c) => c.signature));
  await store.assignStory(item.id, seen ? candidates[seen.index]!.storyId : item.id, keys, JSON.stringify(signature));
  signatures.set(item.id, signature);
}

/** Parsed signatures of the run: a popular story is a candidate of many items, parse it once. */
class SignatureCache {
  private readonly parsed = new Map<string, StorySignature | null>();

  async get(itemId: string, read: () => Promise<string | null>): Promise<StorySignature | null> {
    let signature = this.parsed.get(itemId);
    if (signature === undefined) {
      const json = await read();
      signature = json === null ? null : parseSignature(json);
      this.set(itemId, signature);
    }
    return signature;
  }

  set(itemId: string, signature: StorySignature | null): void {
    if (this.parsed.size >= 50_000) this.parsed.clear();
    this.parsed.set(itemId, signature);
  }
}

// A signature that cannot be read (damage, an older format) is no evidence either way.
function parseSignature(json: string): StorySignature | null {
  try {
    const parsed = JSON.parse(json) as StorySignature;
    return parsed && parsed.version === SIGNATURE_VERSION ? parsed : null;
  } catch {
    return null;
  }
}
