/**
 * Matching throughput: watchlists of 10, 100 and 500 terms over the same 10,000
 * generated French-ish items (deterministic: seeded). Prints MB/s of text and
 * items/s per size, and the cost of 500 terms relative to 10.
 *
 *   node --import tsx bench/match.ts [items]
 */
import type { Keyword, Rule, Watchlist } from '../src/config/watchlist.js';
import { compileWatchlist, matchItem, type MatchFields } from '../src/match/match-item.js';
import { seededRandom } from './seeded-random.js';

const ITEM_COUNT = Number(process.argv[2] ?? 10_000);

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

function run(termCount: number): { seconds: number; matched: number; compileMs: number } {
  const t0 = process.hrtime.bigint();
  const compiled = compileWatchlist(makeWatchlist(termCount));
  const t1 = process.hrtime.bigint();
  let matched = 0;
  for (const item of items) if (matchItem(item, compiled).matched) matched++;
  const t2 = process.hrtime.bigint();
  return { seconds: Number(t2 - t1) / 1e9, matched, compileMs: Number(t1 - t0) / 1e6 };
}

// The first pass pays for JIT warm-up and the word-forms cache; report it, then measure warm.
const cold = run(10);
console.log(`cold first pass (10 terms): ${(mb / cold.seconds).toFixed(1)} MB/s, ${Math.round(ITEM_COUNT / cold.seconds)} items/s`);
// Sizes interleaved, best of three each: on a shared machine the load moves between runs.
const SIZES = [10, 100, 500];
const best = new Map<number, ReturnType<typeof run>>();
for (let round = 0; round < 3; round++) {
  for (const termCount of SIZES) {
    const r = run(termCount);
    if (!best.has(termCount) || r.seconds < best.get(termCount)!.seconds) best.set(termCount, r);
  }
}
console.log('terms  compile ms  seconds   MB/s   items/s  matched');
for (const termCount of SIZES) {
  const r = best.get(termCount)!;
  console.log(
    `${String(termCount).padStart(5)}  ${r.compileMs.toFixed(1).padStart(10)}  ${r.seconds.toFixed(3).padStart(7)}  ${(mb / r.seconds).toFixed(1).padStart(5)}  ${String(Math.round(ITEM_COUNT / r.seconds)).padStart(8)}  ${String(r.matched).padStart(7)}`,
  );
}
console.log(`500 terms cost ${(best.get(500)!.seconds / best.get(10)!.seconds).toFixed(2)}× 10 terms (budget: < 50×)`);
