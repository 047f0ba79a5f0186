import { isCountryKey, type EventSignature } from './event-signature.js';

/**
 * One event, one story: which reports, among those published around the same
 * time, are about one event. The editor's test, in numbers:
 *
 * - when: reports of one event come within a day or two, so only reports less
 *   than EVENT_WINDOW_HOURS apart are compared, and the evidence needed grows
 *   with the gap (timeFactor);
 * - who, where, what: the reports share names, numbers and the kind of
 *   happening, weighted by how rare each is among the reports of those days
 *   (a country every report names says little; a port, a figure or a union
 *   named by two reports says much), the headline counting double (what a
 *   report is about, not what it mentions in passing);
 * - the keys are language-free (names, numbers, lexicon concepts): a French and
 *   an English report are compared like two English ones, and wording, which
 *   differs between any two independent reports, does not count.
 *
 * Grouping is agglomerative with average linkage: the two groups whose reports
 * resemble each other best on average are joined first, as long as that average
 * is at least EVENT_THRESHOLD. Average, not best match, so that a report that
 * mentions a neighbouring event (“hours after the missile launch”) is not pulled
 * into it by one shared headline; best pair first, over the whole window, so
 * that the result does not depend on the order the reports arrived in. Pure.
 */

/** Reports further apart than this are never one event. */
export const EVENT_WINDOW_HOURS = 48;
/**
 * Up to this gap, time counts for nothing; beyond it, the score fades to zero at the window's end, slowly at first
 * (a report of the next morning's paper) and fast in the second day (1 − x², x the share of the fading span gone).
 */
export const EVENT_SAME_DAY_HOURS = 6;
/** Average similarity between two groups' reports from which they are one event. */
export const EVENT_THRESHOLD = 0.25;
/** Weight of a key the headline carries, against one only the text carries. */
export const HEADLINE_WEIGHT = 2;
/** The pool size below which keys are weighed as if it had this many reports: two reports alone must not make what they share look common. */
export const MIN_POOL_REPORTS = 10;
/** Facts two reports must share beyond countries (a name, a figure, a kind of happening): one alone is a coincidence of place or topic. */
export const MIN_SHARED_FACTS = 2;
/** Rarest keys of a report whose postings are read for candidates, and reports read per key (the nearest in time). */
const CANDIDATE_KEYS = 24;
const POSTINGS_PER_KEY = 64;
/** Reports compared in full with each report, those sharing the most rare evidence first. */
const CANDIDATE_REPORTS = 24;

const HOUR = 3_600_000;
const WINDOW = EVENT_WINDOW_HOURS * HOUR;

export interface EventReport {
  /** Publication time, ms since the epoch. */
  at: number;
  signature: EventSignature;
}

/** A report already in a story: its story is kept, and two stories are never joined. */
export interface KnownReport<S> extends EventReport {
  story: S;
}

/** Where a new report belongs: an existing story, or a new one headed by the new report at index `head` (itself or another). */
export type EventAssignment<S> = { story: S } | { head: number };

/**
 * Groups reports into events, all of them new: `storyOf[i]` is the index of
 * the report heading i's story (its earliest). Ties in time are broken by input
 * order; otherwise the result does not depend on it.
 */
export function groupEvents(reports: readonly EventReport[]): number[] {
  return assignEvents<never>([], reports).map((a) => ('head' in a ? a.head : -1));
}

/**
 * The stories of `fresh` reports, given the `known` reports of the same days in
 * stories already: a new report joins a known story or forms a new one with
 * other new reports; known stories are never joined or split (a story shown in
 * a digest keeps its identity). The result depends on the two sets, not on
 * their order (ties in time broken by `fresh` order).
 */
export function assignEvents<S>(known: readonly KnownReport<S>[], fresh: readonly EventReport[]): EventAssignment<S>[] {
  const all: EventReport[] = [...known, ...fresh];
  // Canonical order (time, then known before fresh, then input order): indexes, and so every tie, stop depending on how the input was ordered.
  const order = all.map((_, i) => i).sort((a, b) => all[a]!.at - all[b]!.at || a - b);
  const rank = new Int32Array(all.length);
  order.forEach((input, r) => {
    rank[input] = r;
  });
  const reports = order.map((i) => all[i]!);
  const index = new KeyIndex(reports);

  // Clusters: each known story one, each new report one. A cluster's id is its lowest rank.
  const clusterOf = new Int32Array(reports.length);
  const members = new Map<number, number[]>();
  const fixed = new Set<number>();
  const clusterOfStory = new Map<S, number>();
  for (let r = 0; r < reports.length; r++) {
    const input = order[r]!;
    let id = r;
    if (input < known.length) {
      const story = known[input]!.story;
      const existing = clusterOfStory.get(story);
      if (existing === undefined) clusterOfStory.set(story, r);
      else id = existing;
      fixed.add(id);
    }
    clusterOf[r] = id;
    const list = members.get(id);
    if (list) list.push(r);
    else members.set(id, [r]);
  }

  // Neighbours: each new report and the reports sharing the most rare evidence with it (both ways).
  const neighbours = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    const set = neighbours.get(a);
    if (set) set.add(b);
    else neighbours.set(a, new Set([b]));
  };
  for (let r = 0; r < reports.length; r++) {
    if (order[r]! < known.length) continue;
    for (const other of index.candidates(r)) {
      link(r, other);
      link(other, r);
    }
  }

  const similarities = new Map<number, number>();
  const pairSimilarity = (a: number, b: number): number => {
    const key = a < b ? a * reports.length + b : b * reports.length + a;
    let s = similarities.get(key);
    if (s === undefined) {
      s = index.similarity(a, b) * timeFactor(Math.abs(reports[a]!.at - reports[b]!.at));
      similarities.set(key, s);
    }
    return s;
  };
  // Average linkage over the pairs within the window (pairs further apart are no evidence either way).
  const linkage = (a: number, b: number): number => {
    let sum = 0;
    let pairs = 0;
    for (const x of members.get(a)!)
      for (const y of members.get(b)!) {
        if (Math.abs(reports[x]!.at - reports[y]!.at) > WINDOW) continue;
        pairs++;
        sum += pairSimilarity(x, y);
      }
    return pairs === 0 ? 0 : sum / pairs;
  };
  const neighbourClusters = (c: number): number[] => {
    const out = new Set<number>();
    for (const m of members.get(c)!) for (const n of neighbours.get(m) ?? []) if (clusterOf[n] !== c) out.add(clusterOf[n]!);
    return [...out].sort((x, y) => x - y);
  };

  const heap = new MaxHeap();
  const version = new Map<number, number>();
  const push = (a: number, b: number) => {
    if (fixed.has(a) && fixed.has(b)) return;
    const score = linkage(a, b);
    if (score >= EVENT_THRESHOLD) heap.push({ score, a: Math.min(a, b), b: Math.max(a, b), va: version.get(Math.min(a, b)) ?? 0, vb: version.get(Math.max(a, b)) ?? 0 });
  };
  for (const c of [...members.keys()].sort((x, y) => x - y)) for (const n of neighbourClusters(c)) if (c < n) push(c, n);
  for (let pair = heap.pop(); pair; pair = heap.pop()) {
    if (!members.has(pair.a) || !members.has(pair.b)) continue;
    if ((version.get(pair.a) ?? 0) !== pair.va || (version.get(pair.b) ?? 0) !== pair.vb) continue;
    // The lower id survives: the cluster keeps the id of its earliest report.
    const [keep, gone] = [pair.a, pair.b];
    const moved = members.get(gone)!;
    for (const m of moved) clusterOf[m] = keep;
    members.get(keep)!.push(...moved);
    members.delete(gone);
    if (fixed.delete(gone)) fixed.add(keep);
    version.set(keep, (version.get(keep) ?? 0) + 1);
    for (const n of neighbourClusters(keep)) push(keep, n);
  }

  // Back to the input's indexes: a new report joins its cluster's known story, else the cluster's earliest new report heads it.
  const storyOfCluster = new Map<number, S>();
  for (const [story, first] of clusterOfStory) storyOfCluster.set(clusterOf[first]!, story);
  const headOfCluster = new Map<number, number>();
  for (let r = 0; r < reports.length; r++) {
    const input = order[r]!;
    if (input < known.length) continue;
    if (!headOfCluster.has(clusterOf[r]!)) headOfCluster.set(clusterOf[r]!, input - known.length);
  }
  return fresh.map((_, i) => {
    const c = clusterOf[rank[known.length + i]!]!;
    const story = storyOfCluster.get(c);
    return story !== undefined ? { story } : { head: headOfCluster.get(c)! };
  });
}

/**
 * The keys of a set of reports as integers, each report's sorted with its
 * weight (rarity among the set, doubled in the headline), and postings by key in
 * time order: what the similarity and the candidate search read.
 */
class KeyIndex {
  private readonly keys: Int32Array[] = [];
  private readonly weights: Float64Array[] = [];
  private readonly inHeadline: Uint8Array[] = [];
  private readonly norms: Float64Array;
  private readonly idf: Float64Array;
  /** Per key id: 1 a country, 2 a name or figure (particular), 0 a kind of happening or a small count. */
  private readonly kind: Uint8Array;
  private readonly postings: Int32Array[];
  private readonly times: Float64Array;
  private readonly around: Float64Array;

  constructor(reports: readonly EventReport[]) {
    const ids = new Map<string, number>();
    const names: string[] = [];
    const df: number[] = [];
    const keyLists: number[][] = [];
    for (const report of reports) {
      const list: number[] = [];
      for (const key of report.signature.terms) {
        let id = ids.get(key);
        if (id === undefined) {
          id = names.length;
          ids.set(key, id);
          names.push(key);
          df.push(0);
        }
        df[id]!++;
        list.push(id);
      }
      keyLists.push(list);
    }
    const n = Math.max(reports.length, MIN_POOL_REPORTS);
    this.idf = Float64Array.from(df, (d) => Math.log(n / d));
    this.kind = Uint8Array.from(names, (key) => (isCountryKey(key) ? 1 : isParticular(key) ? 2 : 0));
    this.times = Float64Array.from(reports, (r) => r.at);
    this.norms = new Float64Array(reports.length);
    const postings: number[][] = names.map(() => []);
    reports.forEach((report, r) => {
      const headline = new Set(report.signature.headline.map((key) => ids.get(key)));
      const list = [...new Set(keyLists[r])].sort((a, b) => a - b);
      const keys = Int32Array.from(list);
      // A key of the text that no other report carries can meet nothing: it is a detail one outlet alone gives (a
      // quote, a local name, a side figure), which independent reports of one event always differ by, not a sign of
      // another event, so it weighs nothing and does not dilute what the report shares. A headline's keys always
      // count: what a report is about, when no other report names it, is a sign that it is about something else.
      const weights = Float64Array.from(list, (k) => (df[k]! < 2 && !headline.has(k) ? 0 : Math.max(0, this.idf[k]!)) * (headline.has(k) ? HEADLINE_WEIGHT : 1));
      this.keys.push(keys);
      this.weights.push(weights);
      this.inHeadline.push(Uint8Array.from(list, (k) => (headline.has(k) ? 1 : 0)));
      let norm = 0;
      for (const w of weights) norm += w * w;
      this.norms[r] = norm;
      for (const k of list) postings[k]!.push(r);
    });
    // Reports within the window of each (itself included): the pool its keys' rarity is measured on.
    this.around = Float64Array.from(reports, (report) => upperBound(this.times, report.at + WINDOW) - lowerBoundTime(this.times, report.at - WINDOW));
    // Reports come in time order, so each posting list is in time order too.
    this.postings = postings.map((p) => Int32Array.from(p));
  }

  /**
   * Reports near `r` in time that share its rarest keys, those sharing the most
   * weight first: the ones worth comparing in full.
   */
  candidates(r: number): number[] {
    const keys = this.keys[r]!;
    const weights = this.weights[r]!;
    const order = [...keys.keys()].filter((i) => this.postings[keys[i]!]!.length > 1 && weights[i]! > 0).sort((a, b) => weights[b]! - weights[a]! || keys[a]! - keys[b]!);
    const shared = new Map<number, number>();
    const at = this.times[r]!;
    for (const i of order.slice(0, CANDIDATE_KEYS)) {
      const list = this.postings[keys[i]!]!;
      // The reports of this key nearest in time, within the window: walk out from r's place in the list.
      let hi = lowerBound(list, r, this.times, at);
      let lo = hi - 1;
      for (let read = 0; read < POSTINGS_PER_KEY; read++) {
        const before = lo >= 0 && at - this.times[list[lo]!]! <= WINDOW ? at - this.times[list[lo]!]! : Infinity;
        const after = hi < list.length && this.times[list[hi]!]! - at <= WINDOW ? this.times[list[hi]!]! - at : Infinity;
        if (before === Infinity && after === Infinity) break;
        const other = before <= after ? list[lo--]! : list[hi++]!;
        if (other !== r) shared.set(other, (shared.get(other) ?? 0) + weights[i]!);
        else read--;
      }
    }
    return [...shared.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, CANDIDATE_REPORTS)
      .map(([other]) => other);
  }

  /**
   * The cosine of two reports' weighted keys, or 0 unless they share
   * MIN_SHARED_FACTS keys besides countries (the widest "who" there is), and
   * are anchored: one shared key a name or a figure, or a kind of happening both
   * headlines name, or two countries both headlines name (a relation): reports
   * of one week share kinds of happening by the dozen (talks, strikes, budgets),
   * an event is anchored in a particular place, actor or figure, or in what both
   * reports are about. Two events of one day in the same countries (a missile
   * launch during a ministers' meeting) share those and little else.
   */
  similarity(a: number, b: number): number {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    const wa = this.weights[a]!;
    const wb = this.weights[b]!;
    const ha = this.inHeadline[a]!;
    const hb = this.inHeadline[b]!;
    let dot = 0;
    let specific = 0;
    let anchored = false;
    let headlineCountries = 0;
    for (let i = 0, j = 0; i < ka.length && j < kb.length; ) {
      if (ka[i]! < kb[j]!) i++;
      else if (ka[i]! > kb[j]!) j++;
      else {
        const k = ka[i]!;
        if (wa[i]! > 0) {
          dot += wa[i]! * wb[j]!;
          const kind = this.kind[k]!;
          if (kind === 1 && ha[i] && hb[j]) headlineCountries++;
          if (kind !== 1) {
            specific++;
            if (kind === 2 || (ha[i] && hb[j])) anchored = true;
          }
        }
        i++;
        j++;
      }
    }
    // Two countries both headlines name are a relation both reports are about (a visit, a border clash, a trade dispute): as particular as a name.
    // It is also one of the facts they share (a relation is a fact, as a name is): with a kind of happening both name, enough.
    if (headlineCountries >= 2) {
      anchored = true;
      specific++;
    }
    if (!anchored || specific < MIN_SHARED_FACTS) return 0;
    const norm = this.norms[a]! * this.norms[b]!;
    // Rarity measured among few reports is no evidence yet: what two of four reports share may be the topic every report of those days is about.
    const confidence = Math.min(1, Math.min(this.around[a]!, this.around[b]!) / MIN_POOL_REPORTS);
    return norm > 0 ? (confidence * dot) / Math.sqrt(norm) : 0;
  }
}

/** The first position in `list` (report indexes in time order) of a report at or after `at`, `r` itself included. */
function lowerBound(list: Int32Array, r: number, times: Float64Array, at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = list[mid]!;
    if (times[m]! < at || (times[m]! === at && m < r)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of sorted `times` at or after `at`. */
function lowerBoundTime(times: Float64Array, at: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of sorted `times` after `at`. */
function upperBound(times: Float64Array, at: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A name or a figure, not a kind of happening or a count under ten (two missiles, three days: any week has them). */
function isParticular(key: string): boolean {
  return !key.startsWith('c:') && !/^q:\d$/.test(key);
}

/** 1 up to EVENT_SAME_DAY_HOURS apart, then fading to 0 at EVENT_WINDOW_HOURS: 0.82 a day apart, 0.49 at 36 hours. */
export function timeFactor(gapMs: number): number {
  const hours = gapMs / HOUR;
  if (hours <= EVENT_SAME_DAY_HOURS) return 1;
  const x = Math.min(1, (hours - EVENT_SAME_DAY_HOURS) / (EVENT_WINDOW_HOURS - EVENT_SAME_DAY_HOURS));
  return 1 - x * x;
}

interface Merge {
  score: number;
  a: number;
  b: number;
  va: number;
  vb: number;
}

/** Best merge first; ties by the lower cluster ids, so that equal scores are settled the same way whatever the input order. */
class MaxHeap {
  private readonly items: Merge[] = [];

  push(item: Merge): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Merge | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && before(items[l]!, items[best]!)) best = l;
        if (r < items.length && before(items[r]!, items[best]!)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

function before(x: Merge, y: Merge): boolean {
  return x.score > y.score || (x.score === y.score && (x.a < y.a || (x.a === y.a && x.b < y.b)));
}
