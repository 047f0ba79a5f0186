import type { FieldName } from '../match/match-item.js';
import type { FeedStatus, MatchedItem } from '../store/store.js';
import { detectTextLanguage, type Language } from '../text/detect-language.js';

/** The JSON schema identifier; bump the number on any incompatible change (docs/json.md). */
export const DIGEST_SCHEMA = 'presswatch.digest/1';

export interface DigestMatch {
  term: string;
  count: number;
  variant: string;
  field: FieldName;
}

/** A facet of the watchlist that the story holds, and the words that satisfied it (docs/watchlists.md, "Facets"). */
export interface StoryFacet {
  name: string;
  kind: 'actor' | 'theme';
  words: string[];
}

/** Another outlet's report of the same story (see docs/dedupe.md). */
export interface OtherReport {
  title: string;
  url: string | null;
  source: string;
  publishedAt: string | null;
  /** `copy`: the shown report's text, reprinted or edited; `report`: the outlet's own report of the same event. */
  kind: ReportKind;
  /** Language of its title and text, when it can be told (`fr`, `en`). */
  language: Language | null;
}

export type ReportKind = 'copy' | 'report';

export interface Story {
  id: string;
  watchlist: string;
  title: string;
  url: string | null;
  source: string;
  publishedAt: string | null;
  matches: DigestMatch[];
  snippet: string;
  /** [start, end) spans of `snippet` to highlight. */
  highlights: [number, number][];
  /** Relevance against the watchlist's reference profile, when it has one (0..1). */
  score?: number;
  /** Why it is relevant: the watchlist's facets the story holds, with their words (watchlists with facets). */
  facets?: StoryFacet[];
  /** Language of the shown report's title and text, when it can be told (`fr`, `en`). */
  language: Language | null;
  alsoReportedBy?: OtherReport[];
}

export interface FeedReport {
  url: string;
  label: string | null;
  status: FeedStatus;
  error: string | null;
  httpStatus: number | null;
  newItems: number;
}

/** What a `presswatch search` asked and found; present only in a search's digest. */
export interface SearchSummary {
  query: string;
  /** How many matching stored items the stories shown stand for (each story's copies that the search read). */
  hits: number;
  /** Whether copies of one story were folded into one (false with --no-fold). */
  folded: boolean;
}

export interface Digest {
  schema: typeof DIGEST_SCHEMA;
  generatedAt: string;
  /** `new`: what no earlier digest showed; `since`: everything dated after `since`. */
  mode: 'new' | 'since';
  since: string | null;
  watchlists: string[];
  search?: SearchSummary;
  counts: { feedsChecked: number; feedsFailed: number; newItems: number; stories: number };
  stories: Story[];
  feeds: FeedReport[];
  /** With `--deliver`: what each destination of each watchlist got (docs/delivery.md). */
  deliveries?: DeliveryReport[];
}

/** One destination's delivery in one run. */
export interface DeliveryReport {
  watchlist: string;
  /** The destination's URI, a webhook's shortened so that its secret part stays out of logs. */
  destination: string;
  kind: 'mail' | 'webhook' | 'feed';
  /** `delivered`: accepted; `nothing-new`: nothing was owed, so nothing was sent; `failed`: see `error`. */
  status: 'delivered' | 'nothing-new' | 'failed';
  /** Stories owed to the destination in this run (new ones and any it missed before). */
  stories: number;
  /** Of those, the stories it accepted. */
  delivered: number;
  error: string | null;
}

/** A matched item as the digest sees it: relevance and other outlets are optional extras. */
export type DigestEntry = MatchedItem & { score?: number; facets?: StoryFacet[]; alsoReportedBy?: OtherReport[] };

export type DigestSort = 'date' | 'score';

export interface DigestInput {
  now: Date;
  mode: 'new' | 'since';
  since: string | null;
  /** Each watchlist may carry its own defaults: `score` order and a cut-off for one with a reference. */
  watchlists: { name: string; matched: DigestEntry[]; sort?: DigestSort; minScore?: number }[];
  feeds: FeedReport[];
  /** For every watchlist: `date` (newest first) or `score` (most relevant first, then newest). Default: the watchlist's, else date. */
  sort?: DigestSort;
  /** For every watchlist: stories scoring below this are left out (only stories that have a score). Default: the watchlist's. */
  minScore?: number;
  /** For a search: its query and hit count, which the renderers show instead of feed counts. */
  search?: SearchSummary;
}

const SNIPPET_CHARS = 240;

/** Pure: the digest a run produced, ordered by watchlist then newest first. */
export function buildDigest(input: DigestInput): Digest {
  const stories: Story[] = [];
  const byDate = compareNewestFirst;
  const byScore = (a: DigestEntry, b: DigestEntry) => (b.score ?? -1) - (a.score ?? -1) || byDate(a, b);
  for (const list of input.watchlists) {
    const minScore = input.minScore ?? list.minScore;
    const sort = input.sort ?? list.sort ?? 'date';
    const kept = list.matched.filter((e) => minScore === undefined || e.score === undefined || e.score >= minScore);
    const sorted = kept.sort(sort === 'score' ? byScore : byDate);
    for (const entry of sorted) stories.push(toStory(list.name, entry));
  }
  return {
    schema: DIGEST_SCHEMA,
    generatedAt: input.now.toISOString(),
    mode: input.mode,
    since: input.since,
    watchlists: input.watchlists.map((w) => w.name),
    ...(input.search ? { search: input.search } : {}),
    counts: {
      feedsChecked: input.feeds.length,
      feedsFailed: input.feeds.filter((f) => f.status === 'error').length,
      newItems: input.feeds.reduce((sum, f) => sum + f.newItems, 0),
      stories: stories.length,
    },
    stories,
    feeds: input.feeds,
  };
}

/** What the digest covers, in words: shared by the renderers' headers. */
export function describeScope(digest: Digest): string {
  if (digest.mode === 'new') return 'new since the last digest';
  return digest.since ? `since ${digest.since}` : 'everything stored';
}

/** A digest's order within a watchlist: newest first (by publication, else by when it was first seen). */
export function compareNewestFirst(a: DigestEntry, b: DigestEntry): number {
  return dateOf(b).localeCompare(dateOf(a));
}

/**
 * What made a story match, in words, for the renderers: each facet it holds
 * with its words ("Russie: Kremlin · Corée du Nord: régime de Kim"), then the
 * keywords and rules that matched ("Pyongyang ×2, Wonsan").
 */
export function describeMatches(story: Story): string {
  const facetNames = new Set((story.facets ?? []).map((f) => f.name));
  const facets = (story.facets ?? []).map((f) => `${f.name}: ${f.words.join(', ')}`);
  const terms = story.matches.filter((m) => !facetNames.has(m.term)).map((m) => (m.count > 1 ? `${m.term} ×${m.count}` : m.term));
  return [...facets, ...(terms.length > 0 ? [terms.join(', ')] : [])].join(' · ');
}

function dateOf(entry: DigestEntry): string {
  return entry.item.publishedAt ?? entry.item.firstSeenAt;
}

/** A search's counts in words: "5 hits in 3 stories", or "5 hits, every copy shown" unfolded. */
export function describeSearchCounts(search: SearchSummary, stories: number): string {
  const hits = `${search.hits} ${search.hits === 1 ? 'hit' : 'hits'}`;
  return search.folded ? `${hits} in ${stories} ${stories === 1 ? 'story' : 'stories'}` : `${hits}, every copy shown`;
}

function toStory(watchlist: string, entry: DigestEntry): Story {
  const { item } = entry;
  const { snippet, highlights } = makeSnippet(entry);
  return {
    ...(entry.score !== undefined ? { score: Math.round(entry.score * 1000) / 1000 } : {}),
    ...(entry.facets ? { facets: entry.facets } : {}),
    ...(entry.alsoReportedBy ? { alsoReportedBy: entry.alsoReportedBy } : {}),
    id: item.id,
    watchlist,
    title: item.title || '(untitled)',
    url: item.link,
    source: entry.feedLabel || entry.feedTitle || hostOf(item.feedUrl),
    publishedAt: item.publishedAt,
    language: detectTextLanguage(item.title, item.body || item.content || item.summary),
    matches: entry.matches.map((m) => ({ term: m.term, count: m.count, variant: m.variant, field: m.field })),
    snippet,
    highlights,
  };
}

const TEXT_FIELDS: FieldName[] = ['body', 'content', 'summary'];

/**
 * A window of the item's text around its first keyword occurrence outside the
 * title, cut on word boundaries, with every occurrence inside it highlighted.
 */
export function makeSnippet(entry: MatchedItem): { snippet: string; highlights: [number, number][] } {
  const { item } = entry;
  const texts: Partial<Record<FieldName, string>> = { summary: item.summary, content: item.content, body: item.body };
  const spansOf = (field: FieldName) => entry.matches.flatMap((m) => m.offsets[field] ?? []).sort((a, b) => a[0] - b[0]);
  const field = TEXT_FIELDS.find((f) => texts[f] && spansOf(f).length > 0) ?? (item.summary ? 'summary' : 'content');
  const text = texts[field] ?? '';
  if (!text) return { snippet: '', highlights: [] };
  const spans = spansOf(field);
  const first = spans[0]?.[0] ?? 0;
  let start = Math.max(0, first - SNIPPET_CHARS / 3);
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  start = Math.max(0, Math.min(start, end - SNIPPET_CHARS));
  if (start > 0) start = wordStart(text, start);
  if (end < text.length) end = wordEnd(text, end);
  const prefix = start > 0 ? '…' : '';
  // One space per whitespace character, so offsets still line up.
  const body = text.slice(start, end).replace(/\s/g, ' ');
  const highlights = spans.filter(([s, e]) => s >= start && e <= end).map(([s, e]): [number, number] => [s - start + prefix.length, e - start + prefix.length]);
  return { snippet: `${prefix}${body}${end < text.length ? '…' : ''}`, highlights };
}

function wordStart(text: string, at: number): number {
  const space = text.indexOf(' ', at);
  return space === -1 || space - at > 20 ? at : space + 1;
}

function wordEnd(text: string, at: number): number {
  const space = text.lastIndexOf(' ', at);
  return space === -1 || at - space > 20 ? at : space;
}

/** The outlet a feed stands for when it has no label or title: its host, without "www.". */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? parsed.pathname.split('/').pop() || url : parsed.hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}
