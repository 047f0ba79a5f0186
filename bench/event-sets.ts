/**
 * The same-event sets and their scoring, shared by `bench/dedupe.ts` (the
 * development set in ../shared and our own held-out set), `bench/dedupe-heldout.ts`
 * (the held-out set's diagnostics) and the held-out test. No side effects: the
 * benches import it.
 *
 * Both sets have one JSON report per line (id, event, lang, outlet, title, text,
 * published) and a README listing the confusable and follow-up pairs as
 * `confusable: A ~ B — …` and `follow-up: A → B — …`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventSignature } from '../src/dedupe/event-signature.js';
import type { StoryInput, StorySignature } from '../src/dedupe/story-signature.js';

export interface EventItem {
  id: string;
  event: string;
  lang: 'fr' | 'en';
  outlet: string;
  title: string;
  text: string;
  published: string;
}

export interface HardPair {
  kind: 'confusable' | 'follow-up';
  a: string;
  b: string;
}

export const HELDOUT_DIR = fileURLToPath(new URL('../test/fixtures/events-heldout/', import.meta.url));

export function loadEventItems(file = resolve(HELDOUT_DIR, 'items.jsonl')): EventItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as EventItem);
}

/** The README's list, in the development set's format (`confusable: ho03 ~ ho04 — …`, `follow-up: ho01 → ho02 — …`). */
export function loadHardPairs(readme = resolve(HELDOUT_DIR, 'README.md')): HardPair[] {
  return [...readFileSync(readme, 'utf8').matchAll(/^\s*(confusable|follow-up): (\w+) [~→] (\w+)/gm)].map((m) => ({ kind: m[1] as HardPair['kind'], a: m[2]!, b: m[3]! }));
}

/** The grouping of a checkout: its event signature and its grouping, as the digest runs them on a page of reports. */
export interface Grouping {
  eventSignature: (input: { title: string; text: string }) => EventSignature;
  groupEvents: (reports: readonly { at: number; signature: EventSignature }[]) => number[];
  isSameStory: (a: StorySignature, b: StorySignature) => { same: boolean };
  storySignature: (input: StoryInput) => StorySignature;
}

export async function loadGrouping(root = fileURLToPath(new URL('..', import.meta.url))): Promise<Grouping> {
  const load = (path: string) => import(pathToFileURL(resolve(root, path)).href);
  const [event, group, story] = await Promise.all([load('src/dedupe/event-signature.ts'), load('src/dedupe/group-events.ts'), load('src/dedupe/story-signature.ts')]);
  return { eventSignature: event.eventSignature, groupEvents: group.groupEvents, isSameStory: story.isSameStory, storySignature: story.storySignature };
}

export interface GroupingRun {
  signatures: EventSignature[];
  /** story[i]: the index of the report heading item i's story. */
  story: number[];
  /** Item pairs the copy rules (isSameStory) would join: none, and the digest's grouping of one page is groupEvents alone. */
  copyPairs: [number, number][];
}

/** Only what the method may use goes in: title, text, publication time (and the outlet, for the copy rules); the label stays out. */
export function runGrouping(grouping: Grouping, items: readonly EventItem[]): GroupingRun {
  const signatures = items.map((item) => grouping.eventSignature({ title: item.title, text: item.text }));
  const story = grouping.groupEvents(items.map((item, i) => ({ at: Date.parse(item.published), signature: signatures[i]! })));
  const copies = items.map((item) => grouping.storySignature({ title: item.title, text: item.text, url: null, source: item.outlet }));
  const copyPairs: [number, number][] = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) if (grouping.isSameStory(copies[i]!, copies[j]!).same) copyPairs.push([i, j]);
  return { signatures, story, copyPairs };
}

/**
 * The development set's scores from the partition's contingency counts: pairs
 * joined = Σ C(n,2) over stories, true pairs = Σ C(n,2) over (story, event) cells.
 */
export function scorePartition(items: readonly EventItem[], story: readonly number[]) {
  const count = <K>(keys: K[]) => {
    const m = new Map<K, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const pairs = (m: Map<unknown, number>) => [...m.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
  const byStory = count([...story]);
  const byEvent = count(items.map((x) => x.event));
  const byCell = count(items.map((x, i) => `${story[i]}\u0000${x.event}`));
  const tp = pairs(byCell);
  const predicted = pairs(byStory);
  const positive = pairs(byEvent);
  let bp = 0;
  let br = 0;
  items.forEach((x, i) => {
    const both = byCell.get(`${story[i]}\u0000${x.event}`)!;
    bp += both / byStory.get(story[i]!)!;
    br += both / byEvent.get(x.event)!;
  });
  bp /= items.length;
  br /= items.length;
  const f1 = (p: number, r: number) => (p + r ? (2 * p * r) / (p + r) : 0);
  const precision = predicted ? tp / predicted : Number.NaN;
  const recall = positive ? tp / positive : Number.NaN;
  return { pairwise: { precision, recall, f1: f1(precision, recall), tp, predicted, positive }, bcubed: { precision: bp, recall: br, f1: f1(bp, br) } };
}

/** Recall over the same-event pairs a test selects (French–English, same language). */
export function recallWhere(items: readonly EventItem[], story: readonly number[], test: (a: EventItem, b: EventItem) => boolean): { found: number; pairs: number } {
  let found = 0;
  let pairs = 0;
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++)
      if (items[i]!.event === items[j]!.event && test(items[i]!, items[j]!)) {
        pairs++;
        if (story[i] === story[j]) found++;
      }
  return { found, pairs };
}

/** Item pairs that join the two events of each hard pair. */
export function hardPairJoins(items: readonly EventItem[], story: readonly number[], hard: readonly HardPair[]): (HardPair & { itemPairs: number })[] {
  return hard.map((pair) => {
    let itemPairs = 0;
    for (let i = 0; i < items.length; i++) for (let j = 0; j < items.length; j++) if (items[i]!.event === pair.a && items[j]!.event === pair.b && story[i] === story[j]) itemPairs++;
    return { ...pair, itemPairs };
  });
}

/** The README's scores and the diagnostic breakdown, as `npm run bench:dedupe` prints them for each set. */
export function printScores(label: string, items: readonly EventItem[], hard: readonly HardPair[], story: readonly number[]): void {
  const score = scorePartition(items, story);
  const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
  const events = new Set(items.map((x) => x.event));
  console.log(`== ${label}: ${items.length} items, ${events.size} events, ${score.pairwise.positive} same-event pairs`);
  console.log(`pairwise  P=${fmt(score.pairwise.precision)}  R=${fmt(score.pairwise.recall)}  F1=${fmt(score.pairwise.f1)}  (tp ${score.pairwise.tp}, predicted ${score.pairwise.predicted})`);
  console.log(`B-cubed   P=${fmt(score.bcubed.precision)}  R=${fmt(score.bcubed.recall)}  F1=${fmt(score.bcubed.f1)}`);
  const cross = recallWhere(items, story, (a, b) => a.lang !== b.lang);
  const same = recallWhere(items, story, (a, b) => a.lang === b.lang);
  console.log(`recall fr-en ${cross.found}/${cross.pairs} (${fmt(cross.found / cross.pairs)}), same language ${same.found}/${same.pairs} (${fmt(same.found / same.pairs)})`);
  const joins = hardPairJoins(items, story, hard).filter((j) => j.itemPairs > 0);
  console.log(`confusable/follow-up pairs joined: ${joins.length} of ${hard.length}${joins.length ? ` (${joins.map((j) => `${j.kind} ${j.a}~${j.b}: ${j.itemPairs} item pairs`).join('; ')})` : ''}`);
  const split = [...events].filter((event) => new Set(items.flatMap((item, i) => (item.event === event ? [story[i]] : []))).size > 1);
  console.log(`events split over several stories: ${split.length} of ${events.size}`);
}
