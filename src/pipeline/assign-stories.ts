import type { EventSignature } from '../dedupe/event-signature.js';
import type { KnownReport } from '../dedupe/group-events.js';
import type { StorySignature } from '../dedupe/story-signature.js';
import type { Store, StoredItem, StoryMove, StoryVia } from '../store/store.js';
import { SILENT_REPORTER, type Reporter } from './reporter.js';

const PAGE = 500;
/** Reports of the days around a page read to judge its items' events; bounds memory on a huge first run. */
const EVENT_POOL_LIMIT = 20_000;
const HOUR = 3_600_000;
/** Candidates compared per item, those sharing the most evidence first (true copies share many bands). */
const MAX_CANDIDATES = 16;

/**
 * Puts every item not yet in a story into one: an earlier item's story when the
 * dedupe rules say it is the same story (same canonical URL, same outlet and
 * headline, or near-identical text: a copy), else the story of the same event
 * reported independently within the days around it (src/dedupe/group-events.ts),
 * else a story of its own. Copy candidates come from the store's indexes (URL,
 * title key, LSH bands); event candidates from the stories of the page's days.
 * One process at a time (a lock in the store), so two copies of a story arriving in
 * two processes still end in one story.
 */
export function assignStories(store: Store, reporter: Reporter = SILENT_REPORTER): Promise<number> {
  return store.exclusive('stories', (tx) => assignUnclusteredItems(tx, reporter));
}

/**
 * The dedupe stage's code, imported when a page has items: a run with nothing new to put in a
 * story loads none of it (nor the entity tables its event signatures read).
 */
type Dedupe = typeof import('../dedupe/event-signature.js') & typeof import('../dedupe/group-events.js') & typeof import('../dedupe/story-signature.js');
let dedupeStage: Promise<Dedupe> | undefined;

function loadDedupe(): Promise<Dedupe> {
  dedupeStage ??= Promise.all([import('../dedupe/event-signature.js'), import('../dedupe/group-events.js'), import('../dedupe/story-signature.js')]).then(([events, groups, stories]) => ({
    ...events,
    ...groups,
    ...stories,
  }));
  return dedupeStage;
}

async function assignUnclusteredItems(store: Store, reporter: Reporter): Promise<number> {
  let dedupe: Dedupe | undefined;
  let signatures: SignatureCache | undefined;
  let assigned = 0;
  // Pages come PAGE at a time: while a page comes full, more may follow, so the total stays open.
  let open = false;
  for (;;) {
    const items = await store.listUnclusteredItems(PAGE);
    if (items.length === 0) break;
    dedupe ??= await loadDedupe();
    signatures ??= new SignatureCache(dedupe);
    const d = dedupe;
    const cache = signatures;
    open = items.length === PAGE;
    reporter.progress({ phase: 'clustering', done: assigned, total: assigned + items.length, open });
    // Read before the page is assigned: the known stories of the days around it.
    const known = await readKnownReports(store, items, d);
    // One transaction per page: later items of the page see the stories of earlier ones.
    await store.transaction(async (tx) => {
      const page = new PageAssignments();
      for (const item of items) await assignCopyOrReport(tx, item, cache, page, d);
      await joinEvents(tx, page, known, d);
    });
    assigned += items.length;
    reporter.progress({ phase: 'clustering', done: assigned, total: assigned, open });
  }
  if (open) reporter.progress({ phase: 'clustering', done: assigned, total: assigned });
  return assigned;
}

/** What a page's items were assigned, kept to move a new story's items when its report joins another story's event. */
class PageAssignments {
  /** Items of the page that start a story (reports): the event rule judges them together. */
  readonly reports: { item: StoredItem; at: number; event: EventSignature }[] = [];
  /** Every item of the page by the story it was put in, and how. */
  readonly byStory = new Map<string, { itemId: string; via: StoryVia | null }[]>();

  record(storyId: string, itemId: string, via: StoryVia | null): void {
    const list = this.byStory.get(storyId);
    const entry = { itemId, via };
    if (list) list.push(entry);
    else this.byStory.set(storyId, [entry]);
  }
}

/**
 * First pass over a page: an item that is a copy of an earlier item joins its
 * story; any other item is a report and starts a story of its own for now, so
 * that its own copies later in the page find it.
 */
async function assignCopyOrReport(store: Store, item: StoredItem, signatures: SignatureCache, page: PageAssignments, dedupe: Dedupe): Promise<void> {
  const text = item.body || item.content || item.summary;
  const signature = dedupe.storySignature({ title: item.title, text, url: item.link, canonicalUrl: item.canonicalUrl, source: item.feedUrl });

  const keys = { canonicalUrl: signature.canonicalUrl, titleKey: signature.titleKey, bandKeys: signature.bandKeys };
  const candidates: { storyId: string; signature: StorySignature }[] = [];
  for (const c of await store.findStoryCandidates(keys, MAX_CANDIDATES, signatures)) {
    if (c.itemId === item.id) continue;
    // Held signatures come back null; the cache may have dropped one since (it is bounded): read it then.
    const candidate = await signatures.get(c.itemId, async () => c.signature ?? (await store.readSignature(c.itemId)));
    if (candidate !== null) candidates.push({ storyId: c.storyId, signature: candidate });
  }
  const seen = dedupe.findSameStory(
    signature,
    candidates.map((c) => c.signature),
  );
  if (seen) {
    // A copy tells its story's event again in other words at best: it needs no event signature of its own.
    const storyId = candidates[seen.index]!.storyId;
    const json = JSON.stringify(signature);
    await store.assignStory(item.id, storyId, keys, json, 'copy');
    page.record(storyId, item.id, 'copy');
    signatures.set(item.id, signature);
    return;
  }
  const event = dedupe.eventSignature({ title: item.title, text });
  signature.event = event;
  const json = JSON.stringify(signature);
  await store.assignStory(item.id, item.id, keys, json, null);
  page.record(item.id, item.id, null);
  signatures.set(item.id, signature);
  page.reports.push({ item, at: reportTime(item), event });
}

/**
 * Second pass: the page's reports are grouped by event together with the known
 * reports of the days around them (assignEvents), so that the result does not
 * depend on the order the items were stored in. A report that joins a known
 * story, or another of the page's reports, moves there with its copies: every
 * move of the page in one write, signatures and keys staying as stored.
 */
async function joinEvents(store: Store, page: PageAssignments, known: readonly KnownReport<string>[], dedupe: Dedupe): Promise<void> {
  if (page.reports.length === 0) return;
  const assignments = dedupe.assignEvents(
    known,
    page.reports.map((r) => ({ at: r.at, signature: r.event })),
  );
  const moves: StoryMove[] = [];
  for (const [n, assignment] of assignments.entries()) {
    const own = page.reports[n]!.item.id;
    const storyId = 'story' in assignment ? assignment.story : page.reports[assignment.head]!.item.id;
    if (storyId === own) continue;
    for (const member of page.byStory.get(own) ?? []) moves.push({ itemId: member.itemId, storyId, via: member.itemId === own ? 'event' : member.via });
  }
  await store.moveToStories(moves);
}

/** When an item was reported: its publication date, else when presswatch first saw it. */
function reportTime(item: { publishedAt: string | null; firstSeenAt: string }): number {
  const published = item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN;
  return Number.isNaN(published) ? Date.parse(item.firstSeenAt) : published;
}

/** The reports already in stories within EVENT_WINDOW_HOURS of the page's items, for the event rule. */
async function readKnownReports(store: Store, items: readonly StoredItem[], dedupe: Dedupe): Promise<KnownReport<string>[]> {
  const times = items.map(reportTime).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return [];
  const window = dedupe.EVENT_WINDOW_HOURS * HOUR;
  const from = new Date(Math.min(...times) - window).toISOString();
  const to = new Date(Math.max(...times) + window).toISOString();
  const known: KnownReport<string>[] = [];
  for (const report of await store.listStoryReports(from, to, EVENT_POOL_LIMIT)) {
    const signature = report.signature === null ? null : parseSignature(report.signature, dedupe);
    if (signature?.event) known.push({ story: report.storyId, at: Date.parse(report.reportedAt), signature: signature.event });
  }
  return known;
}

/** Parsed signatures of the run: a popular story is a candidate of many items, parse it once. */
class SignatureCache {
  private readonly parsed = new Map<string, StorySignature | null>();

  constructor(private readonly dedupe: Dedupe) {}

  has(itemId: string): boolean {
    return this.parsed.has(itemId);
  }

  async get(itemId: string, read: () => Promise<string | null>): Promise<StorySignature | null> {
    let signature = this.parsed.get(itemId);
    if (signature === undefined) {
      const json = await read();
      signature = json === null ? null : parseSignature(json, this.dedupe);
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
function parseSignature(json: string, dedupe: Dedupe): StorySignature | null {
  try {
    const parsed = JSON.parse(json) as StorySignature;
    if (!parsed || parsed.version !== dedupe.SIGNATURE_VERSION) return null;
    // An event signature of another version is no evidence; the copy signature still is.
    if (parsed.event && parsed.event.version !== dedupe.EVENT_SIGNATURE_VERSION) delete parsed.event;
    return parsed;
  } catch {
    return null;
  }
}
