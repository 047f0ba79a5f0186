/**
 * A rolling Atom feed in a file: the watchlist's last 100 stories, newest
 * delivered first, rewritten atomically on each delivery so that a reader (or
 * a web server) never sees half a file. Accepted once the new file is renamed
 * into place. The earlier stories come from the store, not from re-reading the
 * file, so a file edited or deleted by hand is simply written again.
 */
import { feedPathOf, type DestinationSpec } from '../config/destination.js';
import { renderAtom } from '../digest/render-atom.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { DeliveredStory, Destination } from './destination.js';

/** How many stories a rolling feed keeps. */
export const FEED_FILE_KEEPS = 100;

export function feedFileDestination(spec: DestinationSpec, keeps = FEED_FILE_KEEPS): Destination {
  const path = feedPathOf(spec.uri);
  return {
    uri: spec.uri,
    kind: 'feed',
    label: spec.uri,
    keeps,
    async deliver({ digest, earlier }) {
      const fresh = digest.stories.map((story): DeliveredStory => ({ story, deliveredAt: digest.generatedAt }));
      const entries = rollFeed(fresh, earlier, keeps);
      const deliveredAt = new Map(entries.map((e) => [e.story.id, e.deliveredAt]));
      const xml = renderAtom(
        { ...digest, stories: entries.map((e) => e.story), counts: { ...digest.counts, stories: entries.length } },
        {
          feedKey: `file:${digest.watchlists.join(',')}:${path}`,
          title: `presswatch · ${digest.watchlists.join(', ')}`,
          updatedOf: (story) => deliveredAt.get(story.id) ?? digest.generatedAt,
        },
      );
      try {
        await writeFileAtomic(path, xml);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOSPC' ? 'disk full' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'not writable' : code === 'ENOTDIR' ? 'a parent is not a folder' : (error as Error).message;
        return { status: 'failed', reason: `cannot write ${path}: ${reason}` };
      }
      return { status: 'accepted', detail: `${entries.length} entries in ${path}` };
    },
  };
}

/** The new stories first, then the earlier ones not among them, cut to `keeps` (pure). */
export function rollFeed(fresh: readonly DeliveredStory[], earlier: readonly DeliveredStory[], keeps: number): DeliveredStory[] {
  const ids = new Set(fresh.map((e) => e.story.id));
  return [...fresh, ...earlier.filter((e) => !ids.has(e.story.id))].slice(0, keeps);
}
