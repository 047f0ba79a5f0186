/**
 * Same-event grouping on the held-out set written for this project
 * (test/fixtures/events-heldout: other topics than the development set in
 * ../shared), to see whether what works on the development set generalises.
 * Prints the development set's scores (pairwise and B-cubed, French–English
 * recall, joins across the confusable and follow-up pairs) and, for every split
 * event and every false join, the keys the reports carried: the evidence of
 * what the method missed or took for the same event.
 *
 * Run: node --import tsx bench/dedupe-heldout.ts [--root DIR] [items.jsonl]
 * `--root` loads the grouping code of another checkout (a worktree of another
 * branch), read-only, so that two branches are measured on one file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventSignature } from '../src/dedupe/event-signature.js';
import type { StoryInput, StorySignature } from '../src/dedupe/story-signature.js';

export interface HeldoutItem {
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

export function loadHeldoutItems(file = resolve(HELDOUT_DIR, 'items.jsonl')): HeldoutItem[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as HeldoutItem);
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

export interface HeldoutRun {
  signatures: EventSignature[];
  /** story[i]: the index of the report heading item i's story. */
  story: number[];
  /** Item pairs the copy rules (isSameStory) would join: none, and the digest's grouping of one page is groupEvents alone. */
  copyPairs: [number, number][];
}

/** Only what the method may use goes in: title, text, publication time (and the outlet, for the copy rules); the label stays out. */
export function runGrouping(grouping: Grouping, items: readonly HeldoutItem[]): HeldoutRun {
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
export function scorePartition(items: readonly HeldoutItem[], story: readonly number[]) {
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
export function recallWhere(items: readonly HeldoutItem[], story: readonly number[], test: (a: HeldoutItem, b: HeldoutItem) => boolean): { found: number; pairs: number } {
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
export function hardPairJoins(items: readonly HeldoutItem[], story: readonly number[], hard: readonly HardPair[]): (HardPair & { itemPairs: number })[] {
  return hard.map((pair) => {
    let itemPairs = 0;
    for (let i = 0; i < items.length; i++) for (let j = 0; j < items.length; j++) if (items[i]!.event === pair.a && items[j]!.event === pair.b && story[i] === story[j]) itemPairs++;
    return { ...pair, itemPairs };
  });
}

function shared(a: EventSignature, b: EventSignature): string[] {
  const other = new Set(b.terms);
  return a.terms.filter((k) => other.has(k)).sort();
}

function describe(item: HeldoutItem, signature: EventSignature): string {
  const headline = new Set(signature.headline);
  const text = signature.terms.filter((k) => !headline.has(k));
  return `    ${item.id} ${item.event} ${item.lang} ${item.published.slice(5, 16)} "${item.title}"\n      headline: ${[...headline].sort().join(' ')}\n      text:     ${text.sort().join(' ')}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--root');
  const root = at >= 0 ? resolve(args.splice(at, 2)[1]!) : undefined;
  const file = args[0] ? (isAbsolute(args[0]) ? args[0] : resolve(args[0])) : undefined;
  const items = loadHeldoutItems(file);
  const hard = loadHardPairs(file ? resolve(file, '..', 'README.md') : undefined);
  const run = runGrouping(await loadGrouping(root), items);
  const { story, signatures } = run;
  const score = scorePartition(items, story);
  const fmt = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
  const events = [...new Set(items.map((x) => x.event))].sort();
  console.log(`== Held-out same-event set: ${items.length} items, ${events.length} events, ${score.pairwise.positive} same-event pairs; grouping code from ${root ?? 'this checkout'}`);
  console.log(`pairwise  P=${fmt(score.pairwise.precision)}  R=${fmt(score.pairwise.recall)}  F1=${fmt(score.pairwise.f1)}  (tp ${score.pairwise.tp}, predicted ${score.pairwise.predicted})`);
  console.log(`B-cubed   P=${fmt(score.bcubed.precision)}  R=${fmt(score.bcubed.recall)}  F1=${fmt(score.bcubed.f1)}`);
  const cross = recallWhere(items, story, (a, b) => a.lang !== b.lang);
  const same = recallWhere(items, story, (a, b) => a.lang === b.lang);
  console.log(`recall fr-en ${cross.found}/${cross.pairs} (${fmt(cross.found / cross.pairs)}), same language ${same.found}/${same.pairs} (${fmt(same.found / same.pairs)})`);
  const joins = hardPairJoins(items, story, hard).filter((j) => j.itemPairs > 0);
  console.log(`confusable/follow-up pairs joined: ${joins.length} of ${hard.length}${joins.length ? ` (${joins.map((j) => `${j.kind} ${j.a}~${j.b}: ${j.itemPairs} item pairs`).join('; ')})` : ''}`);
  console.log(`item pairs the copy rules join: ${run.copyPairs.length}${run.copyPairs.length ? ' (the digest would differ from groupEvents alone)' : ''}`);

  console.log("\n-- Split events: each story of the event with its reports' keys, and the keys shared across the split");
  for (const event of events) {
    const members = items.flatMap((x, i) => (x.event === event ? [i] : []));
    const stories = [...new Set(members.map((i) => story[i]!))];
    if (stories.length < 2) continue;
    console.log(`  ${event}: ${stories.length} stories`);
    for (const s of stories) for (const i of members.filter((m) => story[m] === s)) console.log(`   [story ${s}]\n${describe(items[i]!, signatures[i]!)}`);
    for (const i of members)
      for (const j of members) if (i < j && story[i] !== story[j]) console.log(`    missed ${items[i]!.id}-${items[j]!.id}: shared ${shared(signatures[i]!, signatures[j]!).join(' ') || '(nothing)'}`);
  }
  console.log('\n-- Hard pairs kept apart: the two reports across each pair that share the most keys (the margin the method has)');
  for (const pair of hard) {
    let best = { shared: [] as string[], i: -1, j: -1 };
    for (let i = 0; i < items.length; i++)
      for (let j = 0; j < items.length; j++)
        if (items[i]!.event === pair.a && items[j]!.event === pair.b) {
          const keys = shared(signatures[i]!, signatures[j]!);
          if (keys.length > best.shared.length) best = { shared: keys, i, j };
        }
    if (best.i >= 0) console.log(`  ${pair.kind} ${pair.a}~${pair.b}: ${items[best.i]!.id}-${items[best.j]!.id} share ${best.shared.join(' ')}`);
  }
  console.log('\n-- False joins: reports of different events in one story, and the keys they share');
  for (const s of [...new Set(story)]) {
    const members = items.flatMap((_, i) => (story[i] === s ? [i] : []));
    if (new Set(members.map((i) => items[i]!.event)).size < 2) continue;
    console.log(`  story ${s}: ${[...new Set(members.map((i) => items[i]!.event))].join(', ')}`);
    for (const i of members) console.log(describe(items[i]!, signatures[i]!));
    for (const i of members) for (const j of members) if (i < j && items[i]!.event !== items[j]!.event) console.log(`    ${items[i]!.id}-${items[j]!.id}: shared ${shared(signatures[i]!, signatures[j]!).join(' ')}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
