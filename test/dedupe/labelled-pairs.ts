/**
 * The labelled "same story?" set: hand-written stories (test/fixtures/dedup/stories-*.json,
 * two per subject and language, each told by a wire agency and rewritten by an outlet)
 * expanded with the edits feeds really make, then paired:
 * - positives: every pair of versions of one story;
 * - hard negatives: every pair across the two stories of one subject (same day, same
 *   actors, shared vocabulary);
 * - easy negatives: the wire versions of stories of different subjects, same language.
 * Shared by test/dedupe and bench/dedupe.ts.
 */
import { readFileSync } from 'node:fs';

export interface StoryVersion {
  source: string;
  title: string;
  url: string | null;
  publishedAt: string | null;
  text: string;
  /** How this version was made: wire, rewrite, summary, republished, reissue, rewrite-summary. */
  variant: string;
}

export interface FixtureStory {
  id: string;
  lang: 'en' | 'fr';
  subject: string;
  versions: StoryVersion[];
}

export interface LabelledPair {
  a: StoryVersion;
  b: StoryVersion;
  same: boolean;
  /** positive:<variant>-<variant>, hard-negative, easy-negative */
  kind: string;
  lang: 'en' | 'fr';
}

const FIXTURES = new URL('../fixtures/dedup/', import.meta.url);

export function loadStories(): FixtureStory[] {
  return ['stories-en.json', 'stories-fr.json'].flatMap((name) => {
    const raw = JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as {
      id: string;
      lang: 'en' | 'fr';
      subject: string;
      versions: Omit<StoryVersion, 'variant'>[];
    }[];
    return raw.map((story) => ({ ...story, versions: expandVersions(story.lang, story.versions) }));
  });
}

export function buildLabelledPairs(stories: readonly FixtureStory[] = loadStories()): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  for (const story of stories) {
    const v = story.versions;
    for (let i = 0; i < v.length; i++) for (let j = i + 1; j < v.length; j++) pairs.push({ a: v[i]!, b: v[j]!, same: true, kind: `positive:${v[i]!.variant}-${v[j]!.variant}`, lang: story.lang });
  }
  for (let s = 0; s < stories.length; s++) {
    for (let t = s + 1; t < stories.length; t++) {
      const [x, y] = [stories[s]!, stories[t]!];
      if (x.lang !== y.lang) continue;
      if (x.subject === y.subject) {
        for (const a of x.versions) for (const b of y.versions) pairs.push({ a, b, same: false, kind: 'hard-negative', lang: x.lang });
      } else {
        pairs.push({ a: x.versions[0]!, b: y.versions[0]!, same: false, kind: 'easy-negative', lang: x.lang });
      }
    }
  }
  return pairs;
}

const EDITS = {
  en: {
    via: 'With reporting by Wire Agency.',
    added: 'Officials were expected to give more details later in the day, and this article will be updated.',
    reissueLead: 'Adds comment from officials, details in later paragraphs.',
    swaps: [
      [' said ', ' told reporters '],
      [' on Thursday', ' Thursday'],
      [' about ', ' around '],
    ],
  },
  fr: {
    via: '(Avec Agence Filaire)',
    added: 'Les autorités devaient donner davantage de précisions dans la journée ; cet article sera mis à jour.',
    reissueLead: 'Ajoute des réactions et des précisions.',
    swaps: [
      [' a indiqué ', ' a déclaré '],
      [' environ ', ' près de '],
      [' jeudi ', ' ce jeudi '],
    ],
  },
} as const;

/**
 * From the wire version and the outlet's rewrite, the copies that reach a feed reader:
 * - summary: the first two sentences, as a feed's <description> gives them;
 * - republished: another outlet runs the wire copy, dateline cut, a sentence dropped,
 *   a few words changed, a paragraph and a credit line added, the headline kept;
 * - reissue: the agency re-issues the item with a new GUID, "UPDATE 1-" in the title,
 *   tracking parameters in the link and an editor's note on top;
 * - rewrite-summary: the first two sentences of the outlet's rewrite.
 */
function expandVersions(lang: 'en' | 'fr', raw: Omit<StoryVersion, 'variant'>[]): StoryVersion[] {
  const [wire, rewrite] = raw as [Omit<StoryVersion, 'variant'>, Omit<StoryVersion, 'variant'>];
  const edits = EDITS[lang];
  const sentences = splitSentences(wire.text);
  const body = sentences.map((s, i) => (i === 0 ? s.replace(/^[A-ZÉ ,]+,? [A-Z][a-zé]+\.? \d+ - /, '') : s));
  const dropped = body.filter((_, i) => i !== Math.floor(body.length / 2));
  let republishedText = [...dropped.slice(0, 3), edits.added, ...dropped.slice(3)].join(' ');
  for (const [from, to] of edits.swaps) republishedText = republishedText.replace(from, to);
  return [
    { ...wire, variant: 'wire' },
    { ...rewrite, variant: 'rewrite' },
    {
      source: 'Aggregator',
      title: wire.title,
      url: `https://aggregator.example.com/r/${hashTitle(wire.title)}`,
      publishedAt: shiftDate(wire.publishedAt, 30),
      text: sentences.slice(0, 2).join(' '),
      variant: 'summary',
    },
    {
      source: lang === 'en' ? 'Regional Gazette' : 'La Gazette régionale',
      title: wire.title,
      url: `https://www.gazette.example.org/news/${hashTitle(wire.title)}.html`,
      publishedAt: shiftDate(wire.publishedAt, 90),
      text: `${republishedText} ${edits.via}`,
      variant: 'republished',
    },
    {
      source: wire.source,
      title: `UPDATE 1-${wire.title}`,
      url: `${wire.url}?utm_source=rss&utm_medium=feed&utm_campaign=world`,
      publishedAt: shiftDate(wire.publishedAt, 120),
      text: `${edits.reissueLead} ${wire.text} ${edits.added}`,
      variant: 'reissue',
    },
    {
      source: 'Aggregator',
      title: rewrite.title,
      url: `https://aggregator.example.com/r/${hashTitle(rewrite.title)}`,
      publishedAt: shiftDate(rewrite.publishedAt, 30),
      text: splitSentences(rewrite.text).slice(0, 2).join(' '),
      variant: 'rewrite-summary',
    },
  ];
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?»"])\s+(?=[A-ZÉÀÇ«"])/u);
}

function shiftDate(iso: string | null, minutes: number): string | null {
  return iso ? new Date(Date.parse(iso) + minutes * 60_000).toISOString() : null;
}

function hashTitle(title: string): string {
  let h = 0;
  for (const ch of title) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h.toString(36);
}
