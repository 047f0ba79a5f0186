/**
 * Delivery step: for each destination of each watchlist, the stories it has not
 * accepted yet (the new ones, and any it missed when it failed before) become one
 * digest, handed to the destination; what it accepted is recorded, and only that.
 * A destination that fails gets the same stories again next run; the others get
 * no duplicate, and stdout's "shown" mark is not touched.
 */
import type { Watchlist } from '../config/watchlist.js';
import type { DeliveredStory, Destination, DeliveryOutcome } from '../deliver/destination.js';
import { buildDigest, type DeliveryReport, type DigestEntry, type DigestSort, type FeedReport, type Story } from '../digest/digest.js';
import type { Store } from '../store/store.js';
import { feedUrlsOf } from './refresh-feeds.js';
import type { Reporter } from './reporter.js';

export interface DeliveryPlan {
  watchlist: Watchlist;
  destinations: readonly Destination[];
}

export interface DeliverOptions {
  now: () => Date;
  /** This run's fetched feeds: each watchlist's digest lists its own. */
  feeds: readonly FeedReport[];
  sort?: DigestSort;
  minScore?: number;
  reporter: Reporter;
  /** One entry per story, with other outlets and relevance (the digest's own presentation). */
  present: (watchlist: Watchlist, matched: readonly DigestEntry[]) => Promise<DigestEntry[]>;
  /** A watchlist's own sort and cut-off (a reference ranks by score and leaves out what scores under its cut-off). */
  defaultsOf: (watchlist: Watchlist) => { sort?: DigestSort; minScore?: number };
}

/** Delivers to every destination at once (each waits only for its own server), and reports each. */
export async function deliverStories(store: Store, plans: readonly DeliveryPlan[], options: DeliverOptions): Promise<DeliveryReport[]> {
  const jobs = plans.flatMap((plan) => plan.destinations.map((destination) => deliverOne(store, plan.watchlist, destination, options)));
  return Promise.all(jobs);
}

async function deliverOne(store: Store, watchlist: Watchlist, destination: Destination, options: DeliverOptions): Promise<DeliveryReport> {
  const report = (status: DeliveryReport['status'], stories: number, delivered: number, error: string | null): DeliveryReport => ({
    watchlist: watchlist.name,
    destination: destination.label,
    kind: destination.kind,
    status,
    stories,
    delivered,
    error,
  });
  const feedUrls = feedUrlsOf(watchlist);
  // Held until recorded as delivered (or the run ends): two runs delivering at once split the stories.
  const listed = await store.listMatchedItems(watchlist.name, { undeliveredOnly: false, undeliveredTo: destination.uri, feedUrls });
  const matched = await claimedOnly(store, watchlist.name, listed, destination.uri);
  const urls = new Set(feedUrls);
  const digest = buildDigest({
    now: options.now(),
    mode: 'new',
    since: null,
    watchlists: [{ name: watchlist.name, matched: await options.present(watchlist, matched), ...options.defaultsOf(watchlist) }],
    feeds: options.feeds.filter((f) => urls.has(f.url)),
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
  });
  // Nothing new: no empty mail, no empty chat message, no rewrite of the feed.
  if (digest.stories.length === 0) return report('nothing-new', 0, 0, null);

  const earlier: DeliveredStory[] = destination.keeps
    ? (await store.listFeedEntries(watchlist.name, destination.uri, destination.keeps)).map((e) => ({ story: JSON.parse(e.story) as Story, deliveredAt: e.deliveredAt }))
    : [];
  let outcome: DeliveryOutcome;
  try {
    outcome = await destination.deliver({ digest, earlier });
  } catch (error) {
    outcome = { status: 'failed', reason: `unexpected error (a bug, please report it): ${(error as Error).message}` };
  }
  const accepted = outcome.status === 'accepted' ? digest.stories : digest.stories.filter((s) => outcome.acceptedStoryIds?.includes(s.id));
  if (accepted.length > 0) {
    const feed = destination.keeps ? { entries: accepted.map((story) => ({ storyId: story.id, story: JSON.stringify(story), deliveredAt: digest.generatedAt })), keep: destination.keeps } : undefined;
    await store.markDeliveredTo(watchlist.name, destination.uri, {
      itemIds: itemsOfStories(
        matched,
        accepted.map((s) => s.id),
      ),
      at: options.now().toISOString(),
      ...(feed ? { feed } : {}),
    });
  }
  const count = `${digest.stories.length} ${digest.stories.length === 1 ? 'story' : 'stories'}`;
  if (outcome.status === 'accepted') {
    options.reporter.info(`delivered ${count} of ${watchlist.name} to ${destination.label}`);
    return report('delivered', digest.stories.length, accepted.length, null);
  }
  const partly = accepted.length > 0 ? ` (${accepted.length} of the ${count} went through)` : '';
  options.reporter.warn(`deliver: ${watchlist.name} to ${destination.label} failed: ${outcome.reason}${partly}; the next run sends what it missed`);
  return report('failed', digest.stories.length, accepted.length, outcome.reason);
}

/**
 * The new stories this run holds (for stdout, or for one destination): when two digests of a
 * watchlist run at once (a team on PostgreSQL) they split the new stories, none shown twice,
 * none lost.
 */
export async function claimedOnly<T extends DigestEntry>(store: Store, watchlist: string, matched: T[], destination?: string): Promise<T[]> {
  const storyOf = (m: DigestEntry) => m.item.storyId ?? m.item.id;
  const claimed = new Set(await store.claimStories(watchlist, [...new Set(matched.map(storyOf))], destination));
  return matched.filter((m) => claimed.has(storyOf(m)));
}

/**
 * The item ids behind the digest stories `shownIds` (a story's id is the id of the copy it
 * shows): every matched copy of each of those stories, since the whole story has been seen.
 */
export function itemsOfStories(matched: readonly DigestEntry[], shownIds: readonly string[]): string[] {
  const storyOf = (m: DigestEntry) => m.item.storyId ?? m.item.id;
  const shown = new Set(shownIds);
  const stories = new Set(matched.filter((m) => shown.has(m.item.id)).map(storyOf));
  return matched.filter((m) => stories.has(storyOf(m))).map((m) => m.item.id);
}
