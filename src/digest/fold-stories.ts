import { type DigestEntry, hostOf, type OtherReport, type ReportKind } from './digest.js';
import type { StoredItem } from '../store/store.js';
import { detectTextLanguage } from '../text/detect-language.js';

export interface StoryMember {
  item: StoredItem;
  feedLabel: string | null;
  feedTitle: string | null;
}

/** The story an item belongs to, as the store recorded it (an item without one is its own story). */
export const storedStoryOf = (item: StoredItem): string => item.storyId ?? item.id;

/**
 * One story once: matched entries of the same story (the store's story id, or
 * the one `storyOf` gives) fold into one entry, shown through its representative
 * — the earliest published copy (undated last; ties go to the longer text), the
 * rule of docs/dedupe.md — with one "also in" line per other outlet that carried
 * it, matched or not: a copy of one of the story's reports, or its own report of
 * the same event. Pure.
 */
export function foldStories(entries: readonly DigestEntry[], members: readonly StoryMember[], storyOf: (item: StoredItem) => string = storedStoryOf): DigestEntry[] {
  const byStory = new Map<string, DigestEntry[]>();
  for (const entry of entries) {
    const key = storyOf(entry.item);
    const group = byStory.get(key);
    if (group) group.push(entry);
    else byStory.set(key, [entry]);
  }
  const membersByStory = new Map<string, StoryMember[]>();
  for (const m of members) {
    const key = storyOf(m.item);
    const group = membersByStory.get(key);
    if (group) group.push(m);
    else membersByStory.set(key, [m]);
  }
  const folded: DigestEntry[] = [];
  for (const [story, group] of byStory) {
    const representative = [...group].sort(compareCopies)[0]!;
    const outlets = new Map<string, OtherReport>();
    const copies = [...(membersByStory.get(story) ?? []), ...group].sort((a, b) => compareCopies(a, b));
    for (const copy of copies) {
      if (copy.item.id === representative.item.id) continue;
      // One line per other outlet for copies; an outlet's own separate report of the event (joined by
      // the same-event rule) keeps its line even from the shown report's outlet, or it would vanish.
      const kind = reportKind(representative.item, copy.item);
      const key = kind === 'copy' ? copy.item.feedUrl : `${copy.item.feedUrl}\n${copy.item.id}`;
      if ((kind === 'copy' && copy.item.feedUrl === representative.item.feedUrl) || outlets.has(key)) continue;
      outlets.set(key, {
        title: copy.item.title,
        url: copy.item.link,
        source: copy.feedLabel || copy.feedTitle || hostOf(copy.item.feedUrl),
        publishedAt: copy.item.publishedAt,
        kind,
        language: detectTextLanguage(copy.item.title, textOf(copy.item)),
      });
    }
    // A story is as relevant as its most relevant matched report: a report that holds the
    // watchlist's relation must not be hidden because an earlier report of the event is vaguer.
    const best = group.reduce((a, b) => ((b.score ?? -Infinity) > (a.score ?? -Infinity) ? b : a));
    const shown = best === representative || best.score === undefined ? representative : { ...representative, score: best.score, ...(best.facets ? { facets: best.facets } : {}) };
    folded.push(outlets.size > 0 ? { ...shown, alsoReportedBy: [...outlets.values()] } : shown);
  }
  return folded;
}

function compareCopies(a: { item: StoredItem }, b: { item: StoredItem }): number {
  const da = a.item.publishedAt;
  const db = b.item.publishedAt;
  if (da && db && da !== db) return da.localeCompare(db);
  if (da && !db) return -1;
  if (!da && db) return 1;
  return textLength(b.item) - textLength(a.item) || a.item.seq - b.item.seq;
}

/**
 * A copy when it joined the story by the copy rules (same URL, outlet and headline,
 * or shared text); the story's first report counts as a copy when the shown report
 * joined it as one (it is then the text the shown report copies).
 */
function reportKind(shown: StoredItem, other: StoredItem): ReportKind {
  if (other.storyVia === 'copy') return 'copy';
  return other.storyVia === null && shown.storyVia === 'copy' ? 'copy' : 'report';
}

function textOf(item: StoredItem): string {
  return item.body || item.content || item.summary;
}

function textLength(item: StoredItem): number {
  return item.body.length || item.content.length || item.summary.length;
}
