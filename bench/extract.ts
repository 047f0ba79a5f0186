/**
 * npm run bench:extract — scores extractArticle on ../shared/corpora/extraction/
 * with the upstream article-extraction-benchmark method (see that folder's README):
 * \w+ tokens, 4-token shingles as multisets, per-page tp/fp/fn normalised by their sum,
 * precision and recall averaged over pages, F1 of the two averages. The published
 * baselines stored beside the corpus are scored with the same code, so the figures
 * printed side by side are comparable.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractArticle } from '../src/scrape/extract-article.js';

export interface PageScore {
  id: string;
  tp: number;
  fp: number;
  fn: number;
  exact: boolean;
}

export interface CorpusScore {
  pages: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

// Python's Unicode \w (letters, numbers, underscore): JavaScript's \w is ASCII-only even with /u.
const TOKEN = /[\p{L}\p{N}_]+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Consecutive 4-token shingles as a multiset; a text under 4 tokens is one shorter shingle. */
export function shingles(tokens: readonly string[], size = 4): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  if (tokens.length === 0) return counts;
  if (tokens.length < size) {
    add(tokens.join('\u0001'));
    return counts;
  }
  for (let i = 0; i + size <= tokens.length; i++) add(tokens.slice(i, i + size).join('\u0001'));
  return counts;
}

export function scorePage(id: string, predicted: string, truth: string): PageScore {
  const pt = tokenize(predicted);
  const tt = tokenize(truth);
  const p = shingles(pt);
  const t = shingles(tt);
  let tp = 0;
  let fp = 0;
  for (const [key, n] of p) {
    const m = Math.min(n, t.get(key) ?? 0);
    tp += m;
    fp += n - m;
  }
  let trueTotal = 0;
  for (const n of t.values()) trueTotal += n;
  const fn = trueTotal - tp;
  const exact = pt.length === tt.length && pt.every((tok, i) => tok === tt[i]);
  return { id, tp, fp, fn, exact };
}

/** Averages as the README states: per-page counts normalised to sum 1, then P and R over the pages where they are defined. */
export function scoreCorpus(pages: readonly PageScore[]): CorpusScore {
  let pSum = 0;
  let pN = 0;
  let rSum = 0;
  let rN = 0;
  let exact = 0;
  for (const page of pages) {
    if (page.exact) exact++;
    const total = page.tp + page.fp + page.fn;
    if (total === 0) {
      // Both empty: a perfect page for both averages.
      pSum += 1;
      pN++;
      rSum += 1;
      rN++;
      continue;
    }
    const tp = page.tp / total;
    const fp = page.fp / total;
    const fn = page.fn / total;
    if (tp + fp > 0) {
      pSum += tp / (tp + fp);
      pN++;
    }
    if (tp + fn > 0) {
      rSum += tp / (tp + fn);
      rN++;
    }
  }
  const precision = pN ? pSum / pN : 0;
  const recall = rN ? rSum / rN : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { pages: pages.length, precision, recall, f1, accuracy: pages.length ? exact / pages.length : 0 };
}

export interface Corpus {
  dir: string;
  ids: string[];
  truth: Record<string, { articleBody: string; url: string }>;
}

/** The shared corpus sits beside the repository: <repo>/../shared/corpora/extraction. */
export function locateCorpus(): string {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  return resolve(repoRoot, '..', 'shared', 'corpora', 'extraction');
}

export function loadCorpus(dir = locateCorpus()): Corpus | null {
  if (!existsSync(join(dir, 'ground-truth.json'))) return null;
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Corpus['truth'];
  const ids = readFileSync(join(dir, 'ids.txt'), 'utf8')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  return { dir, ids, truth };
}

export function scoreBaseline(corpus: Corpus, file: string): CorpusScore {
  const output = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { articleBody?: string }>;
  return scoreCorpus(corpus.ids.map((id) => scorePage(id, output[id]?.articleBody ?? '', corpus.truth[id]?.articleBody ?? '')));
}

export interface ExtractorRun {
  score: CorpusScore;
  pages: PageScore[];
  totalMs: number;
  perPageMs: number[];
}

/** Reads every page first so the timing covers extraction only. */
export function runExtractor(corpus: Corpus, limit = Infinity): ExtractorRun {
  const ids = corpus.ids.slice(0, limit);
  const htmls = ids.map((id) => readFileSync(join(corpus.dir, 'html', `${id}.html`), 'utf8'));
  const pages: PageScore[] = [];
  const perPageMs: number[] = [];
  let totalMs = 0;
  ids.forEach((id, i) => {
    const truth = corpus.truth[id]!;
    const start = performance.now();
    const article = extractArticle(htmls[i]!, truth.url);
    const ms = performance.now() - start;
    totalMs += ms;
    perPageMs.push(ms);
    pages.push(scorePage(id, article.text, truth.articleBody));
  });
  return { score: scoreCorpus(pages), pages, totalMs, perPageMs };
}

function formatRow(name: string, s: CorpusScore): string {
  const f = (n: number) => n.toFixed(3);
  return `${name.padEnd(28)} ${f(s.f1)}  ${f(s.precision)}  ${f(s.recall)}  ${f(s.accuracy)}`;
}

function main(): void {
  const corpus = loadCorpus();
  if (!corpus) {
    process.stderr.write(`bench:extract: corpus not found at ${locateCorpus()} (../shared absent?)\n`);
    process.exitCode = 1;
    return;
  }
  const worst = process.argv.includes('--worst');
  // One warm-up pass so the JIT and cheerio's lazy paths do not count against the first pages.
  runExtractor(corpus, 10);
  const run = runExtractor(corpus);
  const sorted = [...run.perPageMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;

  const lines = [`extraction benchmark: ${corpus.ids.length} pages from ${corpus.dir}`, '', `${'system'.padEnd(28)} F1     P      R      accuracy`];
  lines.push(formatRow('presswatch (this build)', run.score));
  const baselineDir = join(corpus.dir, 'baselines');
  const baselines = existsSync(baselineDir)
    ? readdirSync(baselineDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const rows = baselines.map((f) => ({ name: f.replace(/\.json$/, ''), score: scoreBaseline(corpus, join(baselineDir, f)) }));
  rows.sort((a, b) => b.score.f1 - a.score.f1);
  for (const row of rows) lines.push(formatRow(row.name, row.score));
  lines.push(
    '',
    `speed: ${(corpus.ids.length / (run.totalMs / 1000)).toFixed(1)} pages/s, ` + `mean ${(run.totalMs / corpus.ids.length).toFixed(1)} ms/page, median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (one core)`,
  );
  if (worst) {
    lines.push('', 'worst pages (F1, tp/fp/fn):');
    const perPage = run.pages.map((p) => {
      const pr = p.tp + p.fp ? p.tp / (p.tp + p.fp) : 0;
      const rc = p.tp + p.fn ? p.tp / (p.tp + p.fn) : 0;
      return { p, f1: pr + rc ? (2 * pr * rc) / (pr + rc) : 0, pr, rc };
    });
    perPage.sort((a, b) => a.f1 - b.f1);
    for (const x of perPage.slice(0, 15)) lines.push(`  ${x.p.id.slice(0, 12)}  F1 ${x.f1.toFixed(3)}  P ${x.pr.toFixed(3)}  R ${x.rc.toFixed(3)}  ${x.p.tp}/${x.p.fp}/${x.p.fn}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
