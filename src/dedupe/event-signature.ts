import { type EntityMention, findEntities } from '../entities/find-entities.js';
import { ORGANISATIONS } from '../entities/general-data.js';
import { detectLanguage, type Language } from '../text/detect-language.js';
import { isFoldedStopWord } from '../text/stop-words.js';
import { tokenizeText } from './fingerprint.js';
import { newsConcepts } from './news-lexicon.js';
import { extractQuantities, MONTHS, wordOrdinals } from './quantities.js';

/**
 * What an editor reads in a report to tell which event it is about, in a form
 * that does not depend on the wording or the language: who and where (names,
 * written the same in French and English or nearly: Odesa/Odessa, Séoul/Seoul),
 * what (the numbers; the kind of happening and its key nouns and verbs through
 * a bilingual news lexicon), and which of it the headline says (what the report
 * is about, not what it mentions). Not the wording: two independent reports
 * never share much of it. When is the publication time, kept beside it. Pure.
 */
export interface EventSignature {
  version: typeof EVENT_SIGNATURE_VERSION;
  /** 'fr', 'en', or null when the text does not tell (too short, another language). */
  language: Language | null;
  /**
   * Keys of the whole report (headline and text), each once, all free of
   * language: `n:` names, `q:` quantities, `c:` lexicon concepts.
   */
  terms: string[];
  /** The keys that appear in the headline: the subject of the report. */
  headline: string[];
}

/**
 * 2: places by shape read as names, lexicon idioms, common-noun acronyms no organisation (keys differ from version 1).
 * 3: institution seats (Brussels: the EU), country names compared as written, acronyms by their letters, ordinals in words.
 * 4: a headline clause of the same moment ("as", "alors que") among the headline keys; New York, Haut Atlas, El Obeid places, not people;
 *    lexicon senses (premier tour, return to work, banque centrale), vote apart from election, raise a rise, fines a penalty;
 *    a headline's first word a name when the text writes it as one; French institutions in sentence case (Cour suprême) keyed by initials.
 */
export const EVENT_SIGNATURE_VERSION = 4;

/** Words of the text read: a report names its event early; long pages drift to background. */
export const EVENT_WORDS = 250;

export interface EventInput {
  title: string;
  text: string;
}

export function eventSignature(input: EventInput): EventSignature {
  const text = cutAfterWords(input.text, EVENT_WORDS);
  const titleTokens = tokenizeText(input.title);
  const textTokens = tokenizeText(text);
  const language = detectLanguage([...titleTokens, ...textTokens]);
  const subject = headlineSubject(input.title);
  const titleEntities = findEntities(input.title);
  const titleKeys = keysOf(input.title, titleTokens, language, true, titleEntities);
  // The subject is the headline's start: its entities are the headline's that end within it (no second look-up).
  const headline =
    subject === input.title
      ? titleKeys
      : keysOf(
          subject,
          tokenizeText(subject),
          language,
          true,
          titleEntities.filter((e) => e.end <= subject.length),
        );
  const textKeys = keysOf(text, textTokens, language, false, findEntities(text));
  // A headline's first word is capitalised whatever it is; when the text writes it as a name, it is one ("Mercosur: …").
  const opening = openingNameKey(input.title);
  if (opening && textKeys.has(opening)) {
    titleKeys.add(opening);
    headline.add(opening);
  }
  const terms = new Set<string>(titleKeys);
  for (const key of textKeys) terms.add(key);
  return { version: EVENT_SIGNATURE_VERSION, language, terms: [...terms], headline: [...headline] };
}

/**
 * Headline words after these say when or why, not what: "ministers agree to
 * deepen ties amid North Korea launch", "Tokyo proteste après le tir". Headline
 * grammar in both languages, not a list of events. A clause of the same moment
 * ("as", "while", "alors que", "tandis que") is not one: it often carries the
 * event itself ("Aid tops the agenda as talks on Sudan open"), so it stays.
 */
const CONTEXT_CLAUSE = /\s(?:amid|after|following|despite|ahead of|days after|hours after|après|malgré|sur fond de|en marge de|au lendemain de|à la veille de|dans la foulée de)\s/iu;

/** The part of a headline that says what the report is about: before a context clause, when one follows its first words. */
export function headlineSubject(title: string): string {
  const clause = CONTEXT_CLAUSE.exec(title);
  return clause && clause.index > 0 ? title.slice(0, clause.index) : title;
}

/** A country (`e:` and its ISO code): who in the widest sense. */
export function isCountryKey(key: string): boolean {
  return key.length === 4 && key.startsWith('e:') && /^[A-Z]{2}$/.test(key.slice(2));
}

function keysOf(raw: string, tokens: readonly string[], language: Language | null, isHeadline: boolean, mentions: readonly EntityMention[]): Set<string> {
  const keys = new Set<string>();
  // Countries (by name, demonym, capital: Corée du Nord, North Korean, Pyongyang), organisations
  // and people the entity finder knows count as that entity; other capitalised words as names.
  // Places by shape (Tsushima Strait, détroit de Tsushima) meet across languages through their names' skeletons, not as one id.
  const entities = mentions.filter((e) => e.kind !== 'place');
  const known = new Set(entities.flatMap((e) => tokenizeText(raw.slice(e.start, e.end))));
  for (const entity of entities) keys.add(`e:${entityKey(entity, raw)}`);
  for (const name of properNames(raw, isHeadline ? tokens : null)) if (!known.has(name.folded)) keys.add(`n:${name.acronym ? acronymKey(name.folded) : nameKey(name.folded)}`);
  for (const concept of newsConcepts(tokens)) keys.add(concept);
  for (const quantity of extractQuantities(raw, language)) keys.add(quantity);
  for (const ordinal of wordOrdinals(tokens)) keys.add(ordinal);
  return keys;
}

/** The name key the headline's first word would have as a name (null for a function word, a month or an acronym: acronyms count wherever they stand). */
function openingNameKey(title: string): string | null {
  const word = /^[\s«"“‘'(]*(\p{Lu}[\p{L}\p{M}]*)/u.exec(title)?.[1];
  if (!word || /^\p{Lu}{2,}$/u.test(word)) return null;
  const folded = tokenizeText(word)[0];
  if (!folded || folded.length < 2 || isFoldedStopWord(folded) || MONTHS.has(folded)) return null;
  return `n:${nameKey(folded)}`;
}

const CAPITALISED = /(?<![\p{L}\p{M}\p{N}])(\p{Lu}[\p{L}\p{M}]*)/gu;
const SENTENCE_START = /(?:^|[.!?:;«»"“”‘’([—–-]\s*|\n\s*)$/u;

/**
 * Folded words written with a capital where a sentence does not start: names
 * of people, places, organisations, and acronyms (KCNA, DRDO). In a headline
 * written in Title Case, capitals tell nothing and no word counts as a name.
 */
function properNames(raw: string, headlineWords: readonly string[] | null): { folded: string; acronym: boolean }[] {
  const names = new Map<string, { folded: string; acronym: boolean }>();
  const found: { word: string; initial: boolean }[] = [];
  for (const match of raw.matchAll(CAPITALISED)) {
    const word = match[1]!;
    const initial = SENTENCE_START.test(raw.slice(Math.max(0, match.index - 3), match.index));
    found.push({ word, initial });
  }
  if (headlineWords) {
    const words = headlineWords.filter((w) => w.length >= 3 && !isFoldedStopWord(w));
    if (words.length >= 3 && found.length >= words.length * 0.7) return [];
  }
  for (const { word, initial } of found) {
    const acronym = /^\p{Lu}{2,}$/u.test(word);
    if (initial && !acronym) continue;
    const folded = tokenizeText(word)[0];
    if (!folded || folded.length < 2 || isFoldedStopWord(folded) || MONTHS.has(folded)) continue;
    names.set(folded, { folded, acronym });
  }
  return [...names.values()];
}

/**
 * An organisation that general data does not know is keyed by its acronym's
 * letters: the acronym as written (RBI, SCAF), or the initials of the name
 * written in full (Reserve Bank of India), so that the two meet, and the French
 * and English acronyms of one name meet too. Known organisations keep their id.
 */
function entityKey(entity: EntityMention, raw: string): string {
  if (entity.kind !== 'organisation' || KNOWN_ORGANISATIONS.has(entity.id)) return entity.id;
  if (/^\p{Lu}{2,6}$/u.test(entity.surface)) return `org:${acronymKey(entity.id.slice(4))}`;
  const initials = nameInitials(raw, entity.start, entity.end);
  return initials ? `org:${acronymKey(initials)}` : entity.id;
}
const KNOWN_ORGANISATIONS = new Set(ORGANISATIONS.map((o) => `org:${o.id}`));

/** A name's complement ("of India", "de l'Inde"): part of the name its acronym abbreviates. */
const NAME_COMPLEMENT = /^\s+(?:of(?:\s+the)?|de(?:\s+la)?|de\s+l['’]|du|des|d['’])\s*(\p{Lu})\p{L}+/u;

/**
 * The initials of a multi-word organisation name, with the complement that
 * follows it (Reserve Bank of India → rbi, Banque centrale du Chili → bcc), function words left out: what its
 * acronym is made of, so that a report writing "RBI" meets one writing the
 * name in full. Null for a one-word name.
 */
function nameInitials(raw: string, start: number, end: number): string | null {
  // French writes a name's adjectives in lower case (Cour suprême): they are in its acronym as in the English one's.
  const words = raw
    .slice(start, end)
    .split(/[\s\u00a0-]+/u)
    .filter((w) => /^\p{Lu}/u.test(w) || (/^\p{Ll}/u.test(w) && !isFoldedStopWord(tokenizeText(w)[0] ?? w)));
  if (words.length < 2) return null;
  const complement = NAME_COMPLEMENT.exec(raw.slice(end, end + 40));
  return (words.map((w) => w.charAt(0)).join('') + (complement?.[1] ?? '')).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * An acronym's letters in order: French puts the noun before its adjectives,
 * so its acronym of a name is the English one's letters in another order
 * (SCAF and FCAS, OTAN and NATO, BCE and ECB, FMI and IMF).
 */
export function acronymKey(folded: string): string {
  return `${[...folded].sort().join('')}`;
}

/**
 * A name's spelling skeleton, so that the French and English spellings of one
 * name meet: spelling folded the way the two languages write the same sounds
 * (ph/f, qu/k, c/k, soft c/s, x/ks), then the first letter and the consonants,
 * doubles collapsed. Odessa and Odesa → ods, Kiev and Kyiv → kv, Séoul and
 * Seoul → sl. Names in other scripts stay whole.
 */
export function nameKey(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  const w = word
    .replace(/ph/g, 'f')
    .replace(/qu/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/[cq]/g, 'k')
    .replace(/x/g, 'ks');
  const rest = w.slice(1).replace(/[aeiouyhw]/g, '');
  let key = w.charAt(0);
  for (const ch of rest) if (ch !== key.charAt(key.length - 1)) key += ch;
  return key;
}

/** The text up to about `words` words (a cheap cut: the signature needs words, not exact ends). */
function cutAfterWords(text: string, words: number): string {
  let count = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) if (++count >= words) return text.slice(0, match.index + match[0].length);
  return text;
}
