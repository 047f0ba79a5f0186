import { isCountryKey, type EventSignature } from './event-signature.js';

/**
 * One event, one story: which story, among those reported around the same time,
 * a new report is about. The editor's test, in numbers:
 *
 * - when: reports of one event come within a day or two, so only stories with a
 *   report less than EVENT_WINDOW_HOURS away are candidates, and the evidence
 *   needed grows with the gap (timeFactor);
 * - who, where, what: the reports share names, numbers and the kind of
 *   happening, weighted by how rare each is among the reports of those days
 *   (a country every report names says little; a port, a figure or a union
 *   named by two reports says much), the headline counting double (what a
 *   report is about, not what it mentions in passing);
 * - the keys are language-free (names, numbers, lexicon concepts): a French and
 *   an English report are compared like two English ones, and wording, which
 *   differs between any two independent reports, does not count.
 *
 * A report joins the story whose reports it resembles best on average, when that
 * is at least EVENT_THRESHOLD: average, not best match, so that a report that
 * mentions a neighbouring event (“hours after the missile launch”) is not pulled
 * into it by one shared headline. Pure.
 */

/** Reports further apart than this are never one event. */
export const EVENT_WINDOW_HOURS = 48;
/** Up to this gap, time counts for nothing; beyond it, the score fades linearly to zero at the window's end. */
export const EVENT_SAME_DAY_HOURS = 6;
/** Average similarity to a story's reports from which a report joins it. */
export const EVENT_THRESHOLD = 0.25;
/** Weight of a key the headline carries, against one only the text carries. */
export const HEADLINE_WEIGHT = 2;
/** The pool size below which keys are weighed as if it had this many reports: two reports alone must not make what they share look common. */
export const MIN_POOL_REPORTS = 10;
/** Rarest keys of a report whose postings are read for candidates, and items read per key. */
const CANDIDATE_KEYS = 24;
const POSTINGS_PER_KEY = 64;
/** Facts two reports must share beyond countries (a name, a figure, a kind of happening): one alone is a coincidence of place or topic. */
export const MIN_SHARED_FACTS = 2;
/** Stories compared in full with a new report, those sharing the most rare evidence first. */
const CANDIDATE_STORIES = 8;
/** Members of one candidate story compared with the new report (the latest ones). */
const MEMBERS_COMPARED = 12;

const HOUR = 3_600_000;

export interface EventReport<S> {
  /** The story this report belongs to. */
  story: S;
  /** Publication time, ms since the epoch. */
  at: number;
  signature: EventSignature;
}

/**
 * The reports of a span of days, indexed by key, with each key's document
 * frequency among them: the pool a new report is compared with. Add reports in
 * any order; `evictBefore` drops old ones when a run moves forward in time.
 */
export class EventPool<S> {
  private readonly reports: (EventReport<S> | null)[] = [];
  private readonly headlines: (ReadonlySet<string> | null)[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly frequency = new Map<string, number>();
  private readonly storyMembers = new Map<S, number[]>();
  private alive = 0;
  private currentHeadline: ReadonlySet<string> = new Set();
  /** Indexes of live reports in the order added, for eviction by time. */
  private evictFrom = 0;

  get size(): number {
    return this.alive;
  }

  add(report: EventReport<S>): void {
    const index = this.reports.length;
    this.reports.push(report);
    this.headlines.push(new Set(report.signature.headline));
    this.alive++;
    const members = this.storyMembers.get(report.story);
    if (members) members.push(index);
    else this.storyMembers.set(report.story, [index]);
    for (const key of report.signature.terms) {
      this.frequency.set(key, (this.frequency.get(key) ?? 0) + 1);
      const list = this.postings.get(key);
      if (list) list.push(index);
      else this.postings.set(key, [index]);
    }
  }

  /** Drops reports published before `at`, when reports were added in time order. */
  evictBefore(at: number): void {
    while (this.evictFrom < this.reports.length) {
      const report = this.reports[this.evictFrom];
      if (report && report.at >= at) break;
      if (report) {
        for (const key of report.signature.terms) {
          const n = (this.frequency.get(key) ?? 1) - 1;
          if (n > 0) this.frequency.set(key, n);
          else {
            this.frequency.delete(key);
            this.postings.delete(key);
          }
        }
        this.reports[this.evictFrom] = null;
        this.headlines[this.evictFrom] = null;
        this.alive--;
      }
      this.evictFrom++;
    }
  }

  /**
   * Inverse document frequency of a key among the pool's reports and the one
   * being judged (a first run or a quiet watchlist counts as MIN_POOL_REPORTS).
   */
  private idf(key: string): number {
    const n = Math.max(this.alive + 1, MIN_POOL_REPORTS);
    const df = (this.frequency.get(key) ?? 0) + 1;
    return Math.log(n / df);
  }

  /**
   * The story `report` belongs to among the pool's, with its score, or null
   * when no story is close enough: it is an event of its own.
   */
  findStory(report: { at: number; signature: EventSignature }): { story: S; score: number } | null {
    const weights = this.weigh(report.signature);
    this.currentHeadline = new Set(report.signature.headline);
    let norm = 0;
    for (const weight of weights.values()) norm += weight * weight;
    // Candidates: reports sharing one of the report's rarest keys, near enough in time.
    const rarest = [...weights.entries()]
      .filter(([key]) => this.frequency.has(key))
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATE_KEYS);
    // Evidence per story: the most rare-key weight one of its reports shares with this one
    // (the best report, not the sum, or a story with many reports would always come first).
    const shared = new Map<number, number>();
    for (const [key, weight] of rarest) {
      const list = this.postings.get(key)!;
      for (let p = list.length - 1, read = 0; p >= 0 && read < POSTINGS_PER_KEY; p--) {
        const index = list[p]!;
        const other = this.reports[index];
        if (!other) continue;
        read++;
        if (Math.abs(other.at - report.at) <= EVENT_WINDOW_HOURS * HOUR) shared.set(index, (shared.get(index) ?? 0) + weight);
      }
    }
    const evidence = new Map<S, number>();
    for (const [index, weight] of shared) {
      const story = this.reports[index]!.story;
      evidence.set(story, Math.max(evidence.get(story) ?? 0, weight));
    }
    const stories = [...evidence.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATE_STORIES)
      .map(([story]) => story);
    let best: { story: S; score: number } | null = null;
    for (const story of stories) {
      // Average over the story's reports within the window (the latest when many): a report that
      // matches one of them by a shared mention but not the others is not about that event.
      const compared = (this.storyMembers.get(story) ?? []).filter((i) => this.reports[i] && Math.abs(this.reports[i]!.at - report.at) <= EVENT_WINDOW_HOURS * HOUR).slice(-MEMBERS_COMPARED);
      let sum = 0;
      for (const index of compared) {
        const other = this.reports[index]!;
        sum += this.similarity(weights, norm, index) * timeFactor(Math.abs(other.at - report.at));
      }
      const score = sum / compared.length;
      if (score >= EVENT_THRESHOLD && (!best || score > best.score)) best = { story, score };
    }
    return best;
  }

  /**
   * The cosine of a report's weighted keys (`weights`, squared norm `norm`) and
   * those of the pool's report `index`, or 0 unless they share MIN_SHARED_FACTS
   * keys besides countries (the widest "who" there is), one of them a name or a
   * figure, or a kind of happening both headlines name: reports of one week share
   * kinds of happening by the dozen (talks, strikes, budgets), an event is
   * anchored in a particular place, actor or figure, or in what both reports are
   * about. Two events of one day in the same countries (a
   * missile launch during a ministers' meeting) share those and little else; one
   * event's reports share a place, a figure, a kind of happening.
   */
  private similarity(weights: ReadonlyMap<string, number>, norm: number, index: number): number {
    const other = this.reports[index]!;
    const headline = this.headlines[index]!;
    let dot = 0;
    let otherNorm = 0;
    let specific = 0;
    let anchored = false;
    for (const key of other.signature.terms) {
      const idf = this.idf(key);
      if (idf <= 0) continue;
      const weight = headline.has(key) ? idf * HEADLINE_WEIGHT : idf;
      otherNorm += weight * weight;
      const mine = weights.get(key);
      if (mine === undefined) continue;
      dot += mine * weight;
      if (!isCountryKey(key)) {
        specific++;
        // Anchored: a name or figure in common, or a headline fact in common (what each report is about).
        if (isParticular(key) || (headline.has(key) && this.currentHeadline.has(key))) anchored = true;
      }
    }
    if (!anchored) return 0;
    return specific >= MIN_SHARED_FACTS && norm > 0 && otherNorm > 0 ? dot / Math.sqrt(norm * otherNorm) : 0;
  }

  /** A report's keys weighted by rarity (idf), the headline's double. */
  private weigh(signature: EventSignature): Map<string, number> {
    const headline = new Set(signature.headline);
    const weights = new Map<string, number>();
    for (const key of signature.terms) {
      const idf = this.idf(key);
      if (idf > 0) weights.set(key, idf * (headline.has(key) ? HEADLINE_WEIGHT : 1));
    }
    return weights;
  }
}

/** A name or a figure, not a kind of happening or a count under ten (two missiles, three days: any week has them). */
function isParticular(key: string): boolean {
  return !key.startsWith('c:') && !/^q:\d$/.test(key);
}

/** 1 up to EVENT_SAME_DAY_HOURS apart, then fading linearly to 0 at EVENT_WINDOW_HOURS. */
export function timeFactor(gapMs: number): number {
  const hours = gapMs / HOUR;
  if (hours <= EVENT_SAME_DAY_HOURS) return 1;
  return Math.max(0, 1 - (hours - EVENT_SAME_DAY_HOURS) / (EVENT_WINDOW_HOURS - EVENT_SAME_DAY_HOURS));
}

/**
 * Groups reports into events, oldest first, each compared with the stories of
 * the EVENT_WINDOW_HOURS before it: what the pipeline does item by item, in one
 * pass. `storyOf[i]` is the index of the first report of i's story.
 */
export function groupEvents(reports: readonly { at: number; signature: EventSignature }[]): number[] {
  const order = reports.map((_, i) => i).sort((a, b) => reports[a]!.at - reports[b]!.at || a - b);
  const pool = new EventPool<number>();
  const storyOf = new Array<number>(reports.length);
  for (const i of order) {
    const report = reports[i]!;
    pool.evictBefore(report.at - EVENT_WINDOW_HOURS * HOUR);
    const found = pool.findStory(report);
    storyOf[i] = found ? found.story : i;
    pool.add({ story: storyOf[i]!, at: report.at, signature: report.signature });
  }
  return storyOf;
}
