/**
 * Matching throughput: watchlists of 10, 100 and 500 terms over the same 10,000
 * generated French-ish items (deterministic: seeded). Prints MB/s of text and
 * items/s per size, and the cost of 500 terms relative to 10.
 *
 *   node --import tsx bench/match.ts [items] [--vs <checkout>] [--rounds 5] [--matcher <checkout>] [--terms 10,500]
 *
 * Times are CPU time (user + system of this process), which the load of a
 * shared machine barely moves. With --vs, the matcher of another checkout (its
 * src/match/match-item.ts, e.g. a `git archive` of an older commit) runs on the
 * same items and watchlists, rounds interleaved, and each size's ratio is printed:
 * a before/after measured within one run. Two copies of the matcher in one
 * process can differ by up to 2× on the same code (which one is slow varies from
 * run to run), so a before/after also needs whole processes in turn: --matcher
 * runs another checkout's matcher alone, in place of this one.
 */
import type { Keyword, Rule, Watchlist } from '../src/config/watchlist.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '../src/match/match-item.js';
import type { MatchFields } from '../src/match/match-item.js';
import { seededRandom } from './seeded-random.js';

const args = process.argv.slice(2);
const vsAt = args.indexOf('--vs');
const VS = vsAt === -1 ? null : args.splice(vsAt, 2)[1]!;
const onlyAt = args.indexOf('--matcher');
const ONLY = onlyAt === -1 ? null : args.splice(onlyAt, 2)[1]!;
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt === -1 ? 5 : Number(args.splice(roundsAt, 2)[1]);
const termsAt = args.indexOf('--terms');
// One size alone, e.g. for a CPU profile of it (`--terms 500`).
const ONLY_SIZES = termsAt === -1 ? null : args.splice(termsAt, 2)[1]!.split(',').map(Number);
const ITEM_COUNT = Number(args[0] ?? 10_000);

const rand = seededRandom(42);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const ONSETS = ['b', 'ch', 'd', 'f', 'g', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'tr', 'pr', 'gr', 'qu'];
const VOWELS = ['a', 'e', 'i', 'o', 'ou', 'é', 'è', 'au', 'ai', 'on', 'an', 'in', 'eu'];
const ENDINGS = ['', '', 's', 'e', 'es', 'ment', 'tion', 'ité', 'eur', 'ienne'];
const FUNCTION_WORDS = ['le', 'la', 'les', 'de', 'des', 'du', 'et', 'à', 'en', 'un', 'une', "l'", "d'", 'qu’', 'sur', 'pour', 'par', 'avec'];
const word = () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(ONSETS) + pick(VOWELS)).join('') + pick(ENDINGS);
const VOCABULARY = Array.from({ length: 20_000 }, word);
const REAL = ['Pyongyang', 'Wonsan', 'Corée du Nord', 'Moscou', 'Lavrov', 'accord de défense', 'liaisons aériennes', 'Kim Jong-un', 'Vladivostok', 'Russie'];

function sentence(words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = rand();
    const w = r < 0.35 ? pick(FUNCTION_WORDS) : r < 0.353 ? pick(REAL) : pick(VOCABULARY);
    out.push(i === 0 ? w[0]!.toUpperCase() + w.slice(1) : w);
  }
  return `${out.join(' ').replace(/' /g, "'").replace(/’ /g, '’')}.`;
}

function makeItem(): MatchFields {
  const paragraphs = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => Array.from({ length: 3 }, () => sentence(12 + Math.floor(rand() * 14))).join(' '));
  return { title: sentence(8 + Math.floor(rand() * 6)), summary: sentence(25 + Math.floor(rand() * 20)), content: paragraphs.join('\n') };
}

function makeWatchlist(termCount: number): Watchlist {
  const keywords: Keyword[] = [];
  for (let i = 0; i < termCount; i++) {
    if (i < REAL.length) keywords.push({ term: REAL[i]!, aliases: i === 0 ? ["P'yŏngyang", 'Пхеньян', '평양'] : [] });
    else if (i % 3 === 0) keywords.push({ term: `${pick(VOCABULARY)} ${pick(FUNCTION_WORDS)} ${pick(VOCABULARY)}`, aliases: [pick(VOCABULARY)] });
    else if (i % 7 === 0) keywords.push({ term: pick(VOCABULARY), aliases: [], inflect: false });
    else keywords.push({ term: `${pick(VOCABULARY)}${i}`.replace(/\d+$/, '') + (i % 2 ? '' : 's'), aliases: [] });
  }
  const rules: Rule[] =
    termCount >= 100
      ? [
          { name: 'near', query: 'accord NEAR/5 défense' },
          { name: 'scope', query: `title:(${pick(VOCABULARY)} OR Pyongyang) AND ${pick(VOCABULARY).slice(0, 4)}*` },
        ]
      : [];
  return { name: `bench-${termCount}`, description: '', feeds: [], keywords, rules, exclude: termCount >= 100 ? ['football'] : [] };
}

const items = Array.from({ length: ITEM_COUNT }, makeItem);
const bytes = items.reduce((sum, it) => sum + Buffer.byteLength(it.title) + Buffer.byteLength(it.summary) + Buffer.byteLength(it.content), 0);
const mb = bytes / 1e6;
console.log(`corpus: ${ITEM_COUNT} items, ${mb.toFixed(1)} MB of text (UTF-8), ${(bytes / ITEM_COUNT / 1000).toFixed(1)} kB per item`);

interface Matcher {
  compileWatchlist: typeof current.compileWatchlist;
  matchItem: typeof current.matchItem;
}
const importMatcher = async (checkout: string) => (await import(pathToFileURL(resolve(checkout, 'src/match/match-item.ts')).href)) as Matcher;
const matchers: [string, Matcher][] = [ONLY === null ? ['this', current] : [ONLY, await importMatcher(ONLY)]];
if (VS !== null) matchers.push([`vs ${VS}`, await importMatcher(VS)]);

const ALL_SIZES = [10, 100, 500];
// Made once and always all three, in order, so every matcher reads the same watchlists whatever --terms says.
const watchlists = new Map(ALL_SIZES.map((n) => [n, makeWatchlist(n)]));
const SIZES = ONLY_SIZES ?? ALL_SIZES;

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function run(matcher: Matcher, termCount: number): { seconds: number; matched: number; compileMs: number } {
  const t0 = cpuSeconds();
  const compiled = matcher.compileWatchlist(watchlists.get(termCount)!);
  const t1 = cpuSeconds();
  let matched = 0;
  for (const item of items) if (matcher.matchItem(item, compiled).matched) matched++;
  const t2 = cpuSeconds();
  return { seconds: t2 - t1, matched, compileMs: (t1 - t0) * 1000 };
}

// The first pass pays for JIT warm-up and the word-forms cache; report it, then measure warm.
for (const [name, matcher] of matchers) {
  const cold = run(matcher, 10);
  console.log(`${name}: cold first pass (10 terms): ${(mb / cold.seconds).toFixed(1)} MB/s, ${Math.round(ITEM_COUNT / cold.seconds)} items/s`);
}
// Sizes and matchers interleaved, ROUNDS rounds: on a shared machine the load moves between runs,
// so figures are medians, and ratios are taken within a round (both sides under the same load).
const rounds = matchers.map(() => new Map<number, ReturnType<typeof run>[]>(SIZES.map((n) => [n, []])));
for (let round = 0; round < ROUNDS; round++) {
  for (const termCount of SIZES) {
    matchers.forEach(([, matcher], m) => {
      rounds[m]!.get(termCount)!.push(run(matcher, termCount));
    });
  }
}
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const secondsOf = (m: number, termCount: number) => rounds[m]!.get(termCount)!.map((r) => r.seconds);
/** Median over rounds of a / b, each pair from the same round. */
const pairedRatio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
console.log(`${ROUNDS} rounds; medians of CPU time`);
matchers.forEach(([name], m) => {
  console.log(`${name}\nterms  compile ms  cpu s   MB/s   items/s  matched`);
  for (const termCount of SIZES) {
    const runs = rounds[m]!.get(termCount)!;
    const seconds = median(runs.map((r) => r.seconds));
    const compileMs = median(runs.map((r) => r.compileMs));
    console.log(
      `${String(termCount).padStart(5)}  ${compileMs.toFixed(1).padStart(10)}  ${seconds.toFixed(3).padStart(6)}  ${(mb / seconds).toFixed(1).padStart(5)}  ${String(Math.round(ITEM_COUNT / seconds)).padStart(8)}  ${String(runs[0]!.matched).padStart(7)}`,
    );
  }
  if (SIZES.includes(10) && SIZES.includes(500)) console.log(`500 terms cost ${pairedRatio(secondsOf(m, 500), secondsOf(m, 10)).toFixed(2)}× 10 terms (target: ≤ 1.5×)`);
});
if (matchers.length === 2) {
  for (const termCount of SIZES) {
    const ratio = pairedRatio(secondsOf(0, termCount), secondsOf(1, termCount));
    console.log(`${termCount} terms: this ${ratio.toFixed(2)}× the CPU time of ${matchers[1]![0]} (throughput ${((1 / ratio - 1) * 100).toFixed(0)}%)`);
  }
}
