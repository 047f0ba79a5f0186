import { normalizeTerm } from '../match/normalize.js';
import { isStopWord } from '../text/stop-words.js';
import { canonicalizeUrl } from './canonical-url.js';
import type { EventSignature } from './event-signature.js';
import { bandKeys, estimateJaccard, formatMinHash, hashString, minHashLeadAndBody, tokenizeText, type MinHashHex } from './fingerprint.js';

/**
 * What deduplication keeps of an item: enough to tell, later and without the
 * text, whether another item is the same story. Plain JSON, so the store can
 * persist it as is (bump SIGNATURE_VERSION when the fingerprint changes meaning:
 * signatures of two versions must not be compared).
 */
export interface StorySignature {
  version: typeof SIGNATURE_VERSION;
  /** canonicalizeUrl of the item's link (or its rel=canonical), null when it has none. */
  canonicalUrl: string | null;
  /** titleKey(title, source). */
  titleKey: string;
  /** MinHash (16-bit values, hex) of the shingles of the first BODY_WORDS words; '' when the text is too short to compare. */
  fingerprint: MinHashHex;
  /** The same over the first LEAD_WORDS words: what a feed summary usually repeats. */
  leadFingerprint: MinHashHex;
  /** LSH band keys of both MinHashes (`L…` lead, `B…` body), for candidate lookup. */
  bandKeys: string[];
  /** Words in the compared text. */
  textLength: number;
  /**
   * What the item reports, for the same-event rule (event-signature.ts); set by
   * the pipeline when it assigns a story, absent from signatures stored before it.
   */
  event?: EventSignature;
}

export const SIGNATURE_VERSION = 1;

/** Words of the lead: two or three news sentences, the length of a typical feed summary. */
export const LEAD_WORDS = 60;
/** A text up to this long is a summary, compared on the lead too (contentSimilarity). */
export const SHORT_TEXT_WORDS = LEAD_WORDS * 2;
/** Words of the body fingerprint: wire copy is rarely longer; bounds the cost of huge pages. */
export const BODY_WORDS = 400;
/** Below this many words a text says too little ("Read more…") to be compared by content. */
export const MIN_CONTENT_WORDS = 12;
/**
 * Estimated Jaccard similarity of 3-word shingles (contentSimilarity) from which
 * two items are the same story. Tuned on test/fixtures/dedup (docs/dedupe.md).
 */
export const CONTENT_THRESHOLD = 0.22;
/**
 * LSH bands (2 rows each). Body: candidate odds 0.69 at J = 0.22, 0.90 at 0.3, 0.985 at 0.4.
 * Lead (summary against article, where J is usually above 0.5): 0.87 at 0.4, 0.98 at 0.5.
 */
export const BODY_BANDS = 24;
export const LEAD_BANDS = 12;
/** Same outlet, same title, but texts this different: a recurring title ("Morning briefing"), not the same item. */
export const TITLE_CONTENT_FLOOR = 0.1;

export interface StoryInput {
  title: string;
  text: string;
  url: string | null;
  /** The page's <link rel="canonical">, when it was scraped. */
  canonicalUrl?: string | null;
  /** A stable name of the outlet: the feed URL (or label) the item came from. */
  source: string;
}

/** Title prefixes that mark a re-issue of the same dispatch, not a new one. */
const REISSUE_PREFIX = /^(?:(?:update|updated|corrected|correction|refile|repeat|urgent|breaking|flash|alerte|actualise|mise a jour|video|photos?|direct|en direct|live)(?: \d+)? )+/;

/**
 * Same outlet + same headline, whatever the typography, re-issue markers
 * ("UPDATE 2-", "VIDÉO.") or trailing outlet name (" - Le Monde").
 */
export function titleKey(title: string, source: string): string {
  const sourceWords = words(source);
  let headline = title;
  // " - Le Monde", " | Reuters": cut on the raw title, where the separator is still visible.
  const separator = /\s[-|–—:]\s(?!.*\s[-|–—:]\s)/u.exec(title);
  if (separator && sourceWords && words(title.slice(separator.index + separator[0].length)) === sourceWords) headline = title.slice(0, separator.index);
  let text = words(headline);
  const stripped = text.replace(REISSUE_PREFIX, '');
  if (stripped) text = stripped;
  return `${sourceWords}|${text}`;
}

/** Folded words joined by one space: typography and punctuation do not count. */
function words(text: string): string {
  return normalizeTerm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

export function storySignature(input: StoryInput): StorySignature {
  let words = tokenizeText(input.text);
  const textLength = words.length;
  // A feed that gives little more than a title: compare on title and text together.
  if (words.length < MIN_CONTENT_WORDS) words = [...tokenizeText(input.title), ...words];
  const minhashes = words.length >= MIN_CONTENT_WORDS ? minHashLeadAndBody(words, LEAD_WORDS, BODY_WORDS) : null;
  const body = minhashes ? formatMinHash(minhashes.body) : '';
  const lead = !minhashes ? '' : minhashes.lead === minhashes.body ? body : formatMinHash(minhashes.lead);
  // A text no longer than a lead has one MinHash: its body keys would only repeat its lead keys.
  const keys = !minhashes ? [] : words.length <= LEAD_WORDS ? bandKeys(minhashes.lead, 'L', LEAD_BANDS) : [...bandKeys(minhashes.lead, 'L', LEAD_BANDS), ...bandKeys(minhashes.body, 'B', BODY_BANDS)];
  return {
    version: SIGNATURE_VERSION,
    canonicalUrl: input.url ? canonicalizeUrl(input.url, input.canonicalUrl) : input.canonicalUrl ? canonicalizeUrl(input.canonicalUrl) : null,
    titleKey: titleKey(input.title, input.source),
    fingerprint: body,
    leadFingerprint: lead,
    bandKeys: keys,
    textLength,
  };
}

/**
 * Every key under which the store should index a signature, and look up
 * candidates for one: `u:` canonical URL, `t:` title key (hashed, to bound its
 * length), and the LSH band keys. Two signatures that isSameStory could call the
 * same share at least one key, except for the few content matches that LSH misses
 * (docs/dedupe.md gives the odds).
 */
export function signatureKeys(signature: StorySignature): string[] {
  const keys: string[] = [];
  if (signature.canonicalUrl) keys.push(`u:${signature.canonicalUrl}`);
  if (!signature.titleKey.endsWith('|')) keys.push(`t:${hashString(signature.titleKey).toString(36)}:${signature.titleKey.length}`);
  keys.push(...signature.bandKeys);
  return keys;
}

export type SameStoryReason = 'url' | 'title' | 'content' | 'none';

export interface SameStoryVerdict {
  same: boolean;
  /** Estimated Jaccard similarity of the texts (0 when either is too short to compare; 1 for a URL match). */
  similarity: number;
  reason: SameStoryReason;
}

/**
 * The identity rules, strongest first: the same canonical URL; the same outlet
 * and headline (unless both texts are there and plainly differ); texts whose
 * shingles overlap past CONTENT_THRESHOLD, on the lead or on the body.
 */
export function isSameStory(a: StorySignature, b: StorySignature): SameStoryVerdict {
  if (a.canonicalUrl && a.canonicalUrl === b.canonicalUrl) return { same: true, similarity: 1, reason: 'url' };
  const similarity = contentSimilarity(a, b);
  if (a.titleKey === b.titleKey && !a.titleKey.endsWith('|')) {
    const comparable = a.fingerprint.length > 0 && b.fingerprint.length > 0;
    if (!comparable || similarity >= TITLE_CONTENT_FLOOR) return { same: true, similarity, reason: 'title' };
  }
  // Between the threshold and STRONG_CONTENT, texts can share an outlet's or a genre's stock
  // phrases without telling one story: ask the headlines to share a content word too.
  if (similarity >= STRONG_CONTENT || (similarity >= CONTENT_THRESHOLD && sharesTitleWord(a.titleKey, b.titleKey))) {
    return { same: true, similarity, reason: 'content' };
  }
  return { same: false, similarity, reason: 'none' };
}

/** Text overlap from which two items are the same story whatever their headlines (copies, light edits). */
export const STRONG_CONTENT = 0.45;

/** Whether two title keys share a word that is not a stop word (names, nouns: "pyongyang", "protocole"). */
export function sharesTitleWord(a: string, b: string): boolean {
  const words = (key: string) =>
    key
      .slice(key.indexOf('|') + 1)
      .split(' ')
      .filter((w) => w.length >= 3 && !/^\d+$/.test(w) && !isStopWord(w));
  const left = new Set(words(a));
  return words(b).some((w) => left.has(w));
}

/**
 * The body similarity, or the lead similarity when one text is no longer than a
 * lead (a feed summary against the full article). Two full texts are never judged
 * on their leads alone: scraped pages of one site can open with the same
 * boilerplate (newsletter boxes, cookie notices).
 */
export function contentSimilarity(a: StorySignature, b: StorySignature): number {
  if (a.version !== b.version) return 0;
  const body = estimateJaccard(a.fingerprint, b.fingerprint);
  const isShort = (s: StorySignature) => s.textLength <= SHORT_TEXT_WORDS;
  return isShort(a) || isShort(b) ? Math.max(body, estimateJaccard(a.leadFingerprint, b.leadFingerprint)) : body;
}

/**
 * The first of `candidates` that is the same story as `signature`, with the
 * verdict, or null. For "never report it again", `candidates` are what the store
 * found under signatureKeys(signature) among items already shown in a digest.
 */
export function findSameStory(signature: StorySignature, candidates: readonly StorySignature[]): { index: number; verdict: SameStoryVerdict } | null {
  for (let index = 0; index < candidates.length; index++) {
    const verdict = isSameStory(signature, candidates[index]!);
    if (verdict.same) return { index, verdict };
  }
  return null;
}

/** True when an item already reported (one of `reported`) told this story. */
export function isSeenBefore(signature: StorySignature, reported: readonly StorySignature[]): boolean {
  return findSameStory(signature, reported) !== null;
}
