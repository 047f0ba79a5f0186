/**
 * Deduplication benchmark (`npm run bench:dedupe`): same-event grouping on the
 * events development set in ../shared (pairwise and B-cubed scores), quality of
 * "same story" on the labelled copies (test/fixtures/dedup) and on the SemEval-2022
 * trial text pairs in ../shared, then the scale runs: 100,000 generated items
 * grouped by event, and signed and clustered as copies, with time and peak RSS.
 * Run: node --expose-gc --import tsx bench/dedupe.ts [items]
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLabelledPairs, type LabelledPair } from '../test/dedupe/labelled-pairs.js';
import { clusterStories, type StoryEntry } from '../src/dedupe/cluster-stories.js';
import { CONTENT_THRESHOLD, isSameStory, storySignature, type StorySignature } from '../src/dedupe/story-signature.js';
import { eventSignature } from '../src/dedupe/event-signature.js';
import { assignEvents, groupEvents } from '../src/dedupe/group-events.js';
import { HELDOUT_DIR, loadEventItems, loadHardPairs, printScores } from './event-sets.js';
import { seededRandom } from './seeded-random.js';

interface Tally {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function tally(results: { same: boolean; predicted: boolean }[]): Tally {
  const t = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const r of results) {
    if (r.predicted && r.same) t.tp++;
    else if (r.predicted) t.fp++;
    else if (r.same) t.fn++;
    else t.tn++;
  }
  return t;
}

function formatTally(label: string, t: Tally): string {
  const p = t.tp + t.fp ? t.tp / (t.tp + t.fp) : NaN;
  const r = t.tp + t.fn ? t.tp / (t.tp + t.fn) : 1;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  const n = t.tp + t.fp + t.fn + t.tn;
  return `${label.padEnd(34)} n=${String(n).padStart(4)}  P=${Number.isNaN(p) ? 'n/a  ' : p.toFixed(3)}  R=${r.toFixed(3)}  F1=${f1.toFixed(3)}  (tp ${t.tp}, fp ${t.fp}, fn ${t.fn}, tn ${t.tn})`;
}

function benchLabelledSet(): void {
  const pairs = buildLabelledPairs();
  console.log(`\n== Labelled set (test/fixtures/dedup): ${pairs.length} pairs, ${pairs.filter((p) => p.same).length} same-story, threshold ${CONTENT_THRESHOLD}`);
  const judge = (p: LabelledPair, contentOnly: boolean) => {
    const sign = (v: LabelledPair['a'], side: string) => storySignature({ title: v.title, text: v.text, url: contentOnly ? null : v.url, source: contentOnly ? side : v.source });
    return { same: p.same, predicted: isSameStory(sign(p.a, 'a'), sign(p.b, 'b')).same, pair: p };
  };
  const full = pairs.map((p) => judge(p, false));
  const content = pairs.map((p) => judge(p, true));
  console.log(formatTally('all rules (url, title, content)', tally(full)));
  console.log(formatTally('content only (no url, no title)', tally(content)));
  for (const lang of ['en', 'fr'] as const) console.log(formatTally(`  ${lang}`, tally(full.filter((r) => r.pair.lang === lang))));
  // The pipeline's order on the same versions, as a week of items: copy rules first, then the
  // same-event rule; a pair is predicted when both land in one story. Hard negatives must stay apart.
  const versions = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const storyOf = groupLikeThePipeline(versions.map((v) => ({ title: v.title, text: v.text, url: v.url, source: v.source, publishedAt: v.publishedAt })));
  const indexOf = new Map(versions.map((v, i) => [v, i]));
  const withEvents = pairs.map((p) => ({ same: p.same, predicted: storyOf[indexOf.get(p.a)!] === storyOf[indexOf.get(p.b)!], pair: p }));
  console.log(formatTally('copy rules, then same-event rule', tally(withEvents)));
  const kinds = [...new Set(pairs.map((p) => p.kind))].sort();
  for (const kind of kinds) {
    const rows = full.filter((r) => r.pair.kind === kind);
    const t = tally(rows);
    const ok = rows[0]!.same ? t.tp : t.tn;
    console.log(`  ${kind.padEnd(40)} ${ok}/${rows.length} right`);
  }
}

function benchSemeval(): void {
  const file = new URL('../../shared/corpora/dedup/semeval2022-trial-en-text-pairs.jsonl', import.meta.url);
  if (!existsSync(file)) {
    console.log('\n== SemEval-2022 trial text pairs: skipped, ../shared absent');
    return;
  }
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { pair_id: string; url1: string; url2: string; title1?: string; title2?: string; text1: string; text2: string; same_story: boolean; scores: { overall: number } });
  console.log(`\n== SemEval-2022 trial text pairs: ${rows.length} pairs, ${rows.filter((r) => r.same_story).length} same_story (overall <= 1.5)`);
  const results = rows.map((r) => {
    const a = storySignature({ title: r.title1 ?? '', text: r.text1, url: r.url1, source: new URL(r.url1).hostname });
    const b = storySignature({ title: r.title2 ?? '', text: r.text2, url: r.url2, source: new URL(r.url2).hostname });
    const verdict = isSameStory(a, b);
    return { same: r.same_story, predicted: verdict.same, overall: r.scores.overall, verdict };
  });
  console.log(formatTally('all rules', tally(results)));
  for (const r of results.filter((x) => x.same || x.predicted || x.verdict.similarity >= 0.1).sort((x, y) => x.overall - y.overall))
    console.log(`  overall ${r.overall.toFixed(2)}  similarity ${r.verdict.similarity.toFixed(2)}  predicted ${r.predicted}`);
}

/**
 * What assign-stories does, for a batch in memory (one page of new items): an item joins
 * the story of an earlier copy (isSameStory), else it is a report, and the reports are
 * grouped by event together (assignEvents), each copy following the report it copies.
 */
function groupLikeThePipeline(items: readonly { title: string; text: string; url: string | null; source: string; publishedAt: string | null }[]): number[] {
  const order = items.map((_, i) => i).sort((a, b) => Date.parse(items[a]!.publishedAt ?? '') - Date.parse(items[b]!.publishedAt ?? '') || a - b);
  const signatures = items.map((item) => storySignature(item));
  const copyOf = new Array<number>(items.length);
  const reports: number[] = [];
  const done: number[] = [];
  for (const i of order) {
    const copy = done.find((j) => isSameStory(signatures[i]!, signatures[j]!).same);
    if (copy !== undefined) copyOf[i] = copyOf[copy]!;
    else {
      copyOf[i] = i;
      reports.push(i);
    }
    done.push(i);
  }
  const events = assignEvents<never>(
    [],
    reports.map((i) => ({ at: Date.parse(items[i]!.publishedAt ?? ''), signature: eventSignature(items[i]!) })),
  );
  const storyOfReport = new Map(reports.map((i, n) => [i, reports[(events[n] as { head: number }).head]!]));
  return copyOf.map((head) => storyOfReport.get(head)!);
}

/**
 * Same-event grouping on the development set (../shared/corpora/events) and on our own
 * held-out set on other topics (test/fixtures/events-heldout): the README's scores and
 * their breakdown. Only what the method may use goes in (title, text, publication time).
 */
function benchEvents(): void {
  const sets = [
    { label: 'Same-event development set (../shared/corpora/events)', dir: fileURLToPath(new URL('../../shared/corpora/events/', import.meta.url)) },
    { label: 'Same-event held-out set (test/fixtures/events-heldout)', dir: HELDOUT_DIR },
  ];
  for (const { label, dir } of sets) {
    if (!existsSync(resolve(dir, 'items.jsonl'))) {
      console.log(`== ${label}: skipped, ../shared absent`);
      continue;
    }
    const items = loadEventItems(resolve(dir, 'items.jsonl'));
    const t0 = performance.now();
    const story = groupEvents(items.map((item) => ({ at: Date.parse(item.published), signature: eventSignature({ title: item.title, text: item.text }) })));
    const ms = performance.now() - t0;
    printScores(`${label}, signed and grouped in ${ms.toFixed(0)} ms`, items, loadHardPairs(resolve(dir, 'README.md')), story);
  }
}

/**
 * Items shaped like a day of many feeds: base stories of 6-10 sentences drawn
 * from a Zipf vocabulary of 30,000 words, and copies (45%) that are edited
 * republications, summaries or re-issues of an earlier story.
 */
function* generateItems(count: number): Generator<{ title: string; text: string; url: string; source: string; publishedAt: string; story: number }> {
  const random = seededRandom(42);
  const syllables = ['ka', 'lo', 'mi', 'ter', 'sa', 'ven', 'dor', 'pu', 'ri', 'an', 'che', 'zo', 'ba', 'nel', 'gu', 'fi', 'tra', 'mon', 'le', 'si'];
  const vocabulary = Array.from({ length: 30_000 }, (_, i) => {
    let word = '';
    for (let n = i + 1; n > 0; n = Math.floor(n / syllables.length)) word += syllables[n % syllables.length];
    return word;
  });
  const cumulative = new Float64Array(vocabulary.length);
  let sum = 0;
  vocabulary.forEach((_, i) => {
    sum += 1 / (i + 1);
    cumulative[i] = sum;
  });
  const word = () => {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const sentence = () => `${Array.from({ length: 12 + Math.floor(random() * 14) }, word).join(' ')}.`;
  const bases: { title: string; sentences: string[] }[] = [];
  const start = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const publishedAt = new Date(start + i * 20_000).toISOString();
    const source = `outlet-${Math.floor(random() * 300)}`;
    if (bases.length > 0 && random() < 0.45) {
      const story = Math.max(0, bases.length - 1 - Math.floor(random() * 2000));
      const base = bases[story]!;
      if (!base.sentences.length) throw new Error('bench: generator copied a story it had already dropped');
      const kind = random();
      let sentences = base.sentences;
      if (kind < 0.5) sentences = [...sentences.filter((_, n) => n !== 2), sentence()];
      else if (kind < 0.8) sentences = sentences.slice(0, 2);
      else sentences = [sentence(), ...sentences];
      yield { title: kind < 0.3 ? base.title : `${base.title} ${word()}`, text: sentences.join(' '), url: `https://${source}.example/${i}?utm_source=rss`, source, publishedAt, story };
    } else {
      const base = { title: Array.from({ length: 8 }, word).join(' '), sentences: Array.from({ length: 6 + Math.floor(random() * 5) }, sentence) };
      bases.push(base);
      // Copies only come from the last 2,000 stories: older texts can go.
      if (bases.length > 2001) bases[bases.length - 2002]!.sentences = [];
      yield { title: base.title, text: base.sentences.join(' '), url: `https://${source}.example/${i}`, source, publishedAt, story: bases.length - 1 };
    }
  }
}

function benchScale(count: number): void {
  console.log(`\n== Scale: ${count.toLocaleString('en')} generated items`);
  const entries: StoryEntry<number>[] = [];
  const truth: number[] = [];
  let signMs = 0;
  for (const item of generateItems(count)) {
    const t0 = performance.now();
    const signature: StorySignature = storySignature(item);
    signMs += performance.now() - t0;
    entries.push({ key: entries.length, signature, publishedAt: item.publishedAt, source: item.source });
    truth.push(item.story);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const heapSigned = process.memoryUsage().heapUsed / 2 ** 20;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const clusters = clusterStories(entries);
  const clusterMs = performance.now() - t0;
  const clusterCpu = process.cpuUsage(cpu0);
  const heapClustered = process.memoryUsage().heapUsed / 2 ** 20;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  // Quality against the generator's truth: pairs inside a cluster that share a base story.
  let mixed = 0;
  for (const c of clusters) {
    const story = truth[c.representative.key];
    if (c.others.some((o) => truth[o.key] !== story)) mixed++;
  }
  const stories = new Set(truth).size;
  console.log(`signatures: ${(signMs / 1000).toFixed(2)} s (${((signMs * 1000) / count).toFixed(0)} µs/item)`);
  console.log(
    `clustering: ${(clusterMs / 1000).toFixed(2)} s for ${count.toLocaleString('en')} items -> ${clusters.length.toLocaleString('en')} clusters (generator made ${stories.toLocaleString('en')} stories; ${mixed} clusters mix stories)`,
  );
  console.log(`clustering CPU: ${((clusterCpu.user + clusterCpu.system) / 1e6).toFixed(2)} s; JS heap: ${heapSigned.toFixed(0)} MB with the signatures, ${heapClustered.toFixed(0)} MB after clustering`);
  console.log(`peak RSS: ${rssMb.toFixed(0)} MB (whole process: generator, signatures and clusters)`);
}

/**
 * The same-event rule at scale: event signatures of the generated items (paid
 * once per item when it is assigned a story), then one pass of groupEvents over
 * all of them in time order, with time and peak RSS. The generator's words are
 * not news words, so this measures cost, not quality.
 */
const EVENT_SIGNED = 5_000;

function benchEventScale(count: number): void {
  // Signing is the slow part (an entity look-up per item, paid once at assignment): sign the first
  // EVENT_SIGNED items and give the rest their signatures in turn, at their own times.
  const signatures: ReturnType<typeof eventSignature>[] = [];
  const reports: { at: number; signature: ReturnType<typeof eventSignature> }[] = [];
  let signMs = 0;
  for (const item of generateItems(count)) {
    if (signatures.length < EVENT_SIGNED) {
      const t0 = performance.now();
      signatures.push(eventSignature({ title: item.title, text: item.text }));
      signMs += performance.now() - t0;
    }
    reports.push({ at: Date.parse(item.publishedAt), signature: signatures[reports.length % signatures.length]! });
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const story = groupEvents(reports);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stories = new Set(story).size;
  console.log(`event signatures: ${((signMs * 1000) / signatures.length).toFixed(0)} µs/item (${signatures.length.toLocaleString('en')} signed, reused in turn)`);
  console.log(
    `event grouping: ${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU for ${count.toLocaleString('en')} items -> ${stories.toLocaleString('en')} stories; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (so far in the process)`,
  );
}

if (!process.env.SCALE_ONLY) benchEvents();
if (!process.env.SCALE_ONLY) benchLabelledSet();
if (!process.env.SCALE_ONLY) benchSemeval();
// Events first: the process's peak RSS then still says what the event pass needs on its own.
console.log(`\n== Same-event grouping at scale: ${Number(process.argv[2] ?? 100_000).toLocaleString('en')} generated items`);
benchEventScale(Number(process.argv[2] ?? 100_000));
benchScale(Number(process.argv[2] ?? 100_000));
