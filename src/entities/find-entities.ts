/**
 * Named entities in French or English text: countries (by name, acronym,
 * demonym, capital, seat of power or combining form, from the gazetteer in
 * countries.ts), international organisations (general-data.ts), and people and
 * other organisations found by the shape of their names. Pure. docs/entities.md
 * describes the method and its limits.
 *
 *   findEntities(text)  → every mention, in text order, with its offsets
 *   countryAliases(code) (countries.ts) → every spelling of one country
 *
 * Ids: a country is its ISO alpha-2 code ("RU"); an international
 * organisation is "org:<id>" ("org:nato"); a person is "person:<folded full
 * name>" ("person:kim jong un"); another organisation "org:<folded name>".
 * A later mention of a person by surname alone ("Lavrov" after "Sergueï
 * Lavrov") gets the full name's id.
 */
import { tokenizeText, type Token } from '../match/normalize.js';
import { isStopWord } from '../text/stop-words.js';
import { countryGazetteer } from './countries.js';
import { COMMON_NOUN_ACRONYMS, ORGANISATIONS, PLACE_NAME_OPENERS, PLACE_WORDS } from './general-data.js';
import { readPrecomputedTable } from './precomputed-tables.js';
import { MONTH_NAMES, WEEKDAY_NAMES } from '../text/calendar-words.js';

/** `place`: a named place that is not a country (Southeast Asia, Tsushima Strait, Naro Space Center). */
export type EntityKind = 'country' | 'person' | 'organisation' | 'place';
/** How a mention names its entity. */
export type MentionVia = 'name' | 'acronym' | 'demonym' | 'capital' | 'seat' | 'combining' | 'shape';

export interface EntityMention {
  kind: EntityKind;
  /** "RU", "org:nato", "person:serguei lavrov", "org:air koryo", "place:southeast asia". */
  id: string;
  /** The mention as written in the text. */
  surface: string;
  /** [start, end) in the text. */
  start: number;
  end: number;
  via: MentionVia;
}

interface GazetteerEntry {
  kind: EntityKind;
  id: string;
  via: MentionVia;
  /** Folded (key) forms of the alias's words; for acronyms, the cased form. */
  words: string[];
  /** Acronyms compare with their case. */
  cased: boolean;
  /** Names of countries and cities are proper nouns: the text must capitalise them (not "turkey", "chad"). */
  capitalised: boolean;
  /** Combining forms count only right before a hyphen (russo-…). */
  beforeHyphen: boolean;
  /**
   * Proper names (of countries, capitals, seats) do not inflect: they compare
   * folded (case and accents), not through the inflection key, which would let
   * a name meet a common word of the other language (Islande and "Miyako Island").
   */
  folded: boolean;
}

interface GazetteerIndex {
  /** First word's form → entries starting with it, longest first. */
  byFirst: ReadonlyMap<string, readonly GazetteerEntry[]>;
}

let index: GazetteerIndex | null = null;

function gazetteerIndex(): GazetteerIndex {
  if (index) return index;
  const precomputed = readPrecomputedTable<IndexRow[]>('gazetteer-index');
  index = { byFirst: precomputed ? gazetteerIndexFromTable(precomputed) : buildGazetteerIndex() };
  return index;
}

/** One entry as the build writes it: id, via, flags (1 cased, 2 capitalised, 4 before a hyphen, 8 folded), then its words. */
type IndexRow = [string, MentionVia, number, ...string[]];

/** The index as rows, in index order, each entry once (names that fold alike give the same entry). */
export function deriveGazetteerIndexTable(): IndexRow[] {
  const rows = new Map<string, IndexRow>();
  for (const list of buildGazetteerIndex().values()) {
    for (const e of list) {
      const row: IndexRow = [e.id, e.via, (e.cased ? 1 : 0) | (e.capitalised ? 2 : 0) | (e.beforeHyphen ? 4 : 0) | (e.folded ? 8 : 0), ...e.words];
      rows.set(JSON.stringify(row), row);
    }
  }
  return [...rows.values()];
}

/** The index back from its rows (the inverse of deriveGazetteerIndexTable, repeats aside). */
export function gazetteerIndexFromTable(rows: readonly IndexRow[]): ReadonlyMap<string, readonly GazetteerEntry[]> {
  const byFirst = new Map<string, GazetteerEntry[]>();
  for (const [id, via, flags, ...words] of rows) {
    const entry: GazetteerEntry = {
      kind: id.startsWith('org:') ? 'organisation' : 'country',
      id,
      via,
      words,
      cased: (flags & 1) !== 0,
      capitalised: (flags & 2) !== 0,
      beforeHyphen: (flags & 4) !== 0,
      folded: (flags & 8) !== 0,
    };
    const list = byFirst.get(words[0]!);
    if (list) list.push(entry);
    else byFirst.set(words[0]!, [entry]);
  }
  return byFirst;
}

/** The index derived from the gazetteer and the matcher's word forms. */
export function buildGazetteerIndex(): Map<string, GazetteerEntry[]> {
  const byFirst = new Map<string, GazetteerEntry[]>();
  const add = (text: string, entry: Omit<GazetteerEntry, 'words'>) => {
    const tokens = tokenizeText(text);
    if (tokens.length === 0) return;
    const words = tokens.map((t) => (entry.cased ? t.forms.cased : entry.folded ? t.forms.fold : t.forms.key));
    const first = words[0]!;
    const list = byFirst.get(first) ?? [];
    list.push({ ...entry, words });
    byFirst.set(first, list);
  };
  for (const c of countryGazetteer().values()) {
    const base = { kind: 'country' as const, id: c.code, cased: false, beforeHyphen: false, folded: false };
    for (const name of c.names) add(name, { ...base, via: 'name', capitalised: true, folded: true });
    for (const acronym of c.acronyms) add(acronym, { ...base, via: 'acronym', cased: true, capitalised: false });
    // French adjectives are lower case ("russe"); English ones are capitalised like names.
    for (const demonym of c.demonyms) add(demonym, { ...base, via: 'demonym', capitalised: /^\p{Lu}/u.test(demonym) });
    for (const capital of c.capitals) add(capital, { ...base, via: 'capital', capitalised: true, folded: true });
    for (const seat of c.seats) add(seat, { ...base, via: 'seat', capitalised: true, folded: true });
    for (const form of c.combining) add(form, { ...base, via: 'combining', capitalised: false, beforeHyphen: true });
  }
  for (const org of ORGANISATIONS) {
    const base = { kind: 'organisation' as const, id: `org:${org.id}`, beforeHyphen: false, folded: false };
    for (const name of org.names) add(name, { ...base, via: 'name', cased: false, capitalised: true });
    for (const acronym of org.acronyms) add(acronym, { ...base, via: 'acronym', cased: true, capitalised: false });
    // The seat of an institution named for it ("Brussels adopts…": the EU), a proper name like a capital.
    for (const seat of org.seats ?? []) add(seat, { ...base, via: 'seat', cased: false, capitalised: true, folded: true });
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirst;
}

/** Every entity mention in the text, in order; overlapping candidates resolve to the longest, gazetteer first, except a country named inside an organisation's name (Air France: both). */
export function findEntities(text: string): EntityMention[] {
  const tokens = tokenizeText(text);
  const gazetteer = findGazetteerMentions(text, tokens);
  const covered = (start: number, end: number) => gazetteer.some((m) => m.start < end && start < m.end);
  // A capitalised word the text also writes in lower case is a common word ("Accord Stratégique" heading a table row).
  // Each word is looked for; the text's lower-case words are collected only when that cannot tell.
  let lowerWords: Set<string> | null = null;
  const writesInLowerCase = (word: string) => {
    const found = findLowerCaseWord(text, word);
    if (found !== null) return found;
    lowerWords ??= new Set([...text.matchAll(LOWER_CASE_WORD)].map((w) => w[0]));
    return lowerWords.has(word);
  };
  const isCommon = (m: EntityMention) => m.kind === 'person' && m.surface.split(/[\s\u00a0]+/).some((w) => writesInLowerCase(w.toLocaleLowerCase('fr')));
  // "Air France" names an airline and also says whose it is, the East China Sea whose waters: both mentions.
  const naming = new Set<EntityMention>();
  const shaped = findNamesByShape(text, gazetteer, naming).filter((m) => (naming.has(m) || !covered(m.start, m.end)) && !isCommon(m));
  return resolveSurnames(
    text,
    tokens,
    [...gazetteer, ...shaped].sort((a, b) => a.start - b.start),
  );
}

const LOWER_CASE_WORD = /(?<![\p{L}\p{N}])\p{Ll}[\p{L}\p{M}]*/gu;

/**
 * Whether `word` is one of the text's LOWER_CASE_WORD matches, found with indexOf: an
 * occurrence is one when no letter, digit or mark comes before it and no letter or mark after.
 * Null when a mark before an occurrence or a surrogate pair leaves it unsure (a match may then
 * start after a mark, or a letter be two units): the caller collects the matches then.
 */
function findLowerCaseWord(text: string, word: string): boolean | null {
  if (!/^\p{Ll}[\p{L}\p{M}]*$/u.test(word)) return false;
  if (SURROGATE.test(text)) return null;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const end = at + word.length;
    if (end < text.length && LETTER_OR_MARK.test(text.charAt(end))) continue;
    if (at === 0) return true;
    const before = text.charAt(at - 1);
    if (MARK.test(before)) return null;
    if (!LETTER_OR_DIGIT.test(before)) return true;
  }
  return false;
}
const SURROGATE = /[\ud800-\udfff]/;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;

/** Mentions of countries and international organisations only (the gazetteer), in order. */
export function findCountryMentions(text: string): EntityMention[] {
  return findGazetteerMentions(text, tokenizeText(text)).filter((m) => m.kind === 'country');
}

function findGazetteerMentions(text: string, tokens: readonly Token[]): EntityMention[] {
  const { byFirst } = gazetteerIndex();
  const mentions: EntityMention[] = [];
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    const byKey = byFirst.get(token.forms.key);
    const byCase = token.forms.cased === token.forms.key ? undefined : byFirst.get(token.forms.cased);
    const byFold = token.forms.fold === token.forms.key ? undefined : byFirst.get(token.forms.fold);
    // Most words start no entry: no list is built for them. Each list is sorted longest first already.
    const found = (byKey ? 1 : 0) + (byCase ? 1 : 0) + (byFold ? 1 : 0);
    const candidates = found > 1 ? [...(byKey ?? []), ...(byCase ?? []), ...(byFold ?? [])].sort((a, b) => b.words.length - a.words.length) : (byKey ?? byCase ?? byFold);
    const entry = candidates?.find((e) => entryMatches(e, text, tokens, i));
    if (!entry) {
      i++;
      continue;
    }
    const last = tokens[i + entry.words.length - 1]!;
    mentions.push({ kind: entry.kind, id: entry.id, surface: text.slice(token.start, last.end), start: token.start, end: last.end, via: entry.via });
    i += entry.words.length;
  }
  return mentions;
}

function entryMatches(entry: GazetteerEntry, text: string, tokens: readonly Token[], at: number): boolean {
  if (at + entry.words.length > tokens.length) return false;
  for (let j = 0; j < entry.words.length; j++) {
    const token = tokens[at + j]!;
    if (j > 0 && token.breakBefore) return false;
    const form = entry.cased ? token.forms.cased : entry.folded ? token.forms.fold : token.forms.key;
    if (form !== entry.words[j]) return false;
  }
  const first = tokens[at]!;
  if (entry.capitalised && !/^[\p{Lu}\p{Lo}]/u.test(text.slice(first.start, first.start + 1))) return false;
  if (entry.beforeHyphen && !/^[-‐‑]/.test(text.slice(tokens[at + entry.words.length - 1]!.end))) return false;
  return true;
}

// ---------------------------------------------------------------- names by their shape

/** A capitalised word, with hyphenated parts (Jong-un, Son-hui, Saint-Pétersbourg) and an apostrophe inside (O'Brien). */
const NAME_WORD = String.raw`\p{Lu}[\p{Ll}\p{M}]*(?:['’]\p{Lu}[\p{Ll}\p{M}]+)?(?:-\p{L}[\p{Ll}\p{M}]+)*`;
const NAME_RUN = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${NAME_WORD})(?:[ \u00a0](?:${NAME_WORD}))*(?![\p{L}\p{N}])`, 'gu');
const ACRONYM = /(?<![\p{L}\p{N}])\p{Lu}{2,6}(?![\p{L}\p{N}])/gu;

/** Titles and roles that come before a name and are not part of it. */
const TITLES = new Set(
  [
    'm',
    'mme',
    'mlle',
    'dr',
    'pr',
    'me',
    'mr',
    'mrs',
    'ms',
    'sir',
    'dame',
    'lord',
    'président',
    'présidente',
    'president',
    'premier',
    'première',
    'prime',
    'ministre',
    'minister',
    'secrétaire',
    'secretary',
    'général',
    'générale',
    'general',
    'gen',
    'colonel',
    'maréchal',
    'marshal',
    'amiral',
    'admiral',
    'chancelier',
    'chancelière',
    'chancellor',
    'roi',
    'reine',
    'king',
    'queen',
    'prince',
    'princesse',
    'princess',
    'pape',
    'pope',
    'sénateur',
    'senator',
    'député',
    'députée',
    'gouverneur',
    'governor',
    'maire',
    'mayor',
    'ambassadeur',
    'ambassadrice',
    'ambassador',
    'envoyé',
    'envoy',
    'porte-parole',
    'spokesman',
    'spokeswoman',
    'chief',
    'chef',
    'leader',
    'dirigeant',
    'foreign',
    'defence',
    'defense',
    'vice',
    'deputy',
    'saint',
    'sainte',
  ].map((w) => w.normalize('NFC')),
);

/** Words that make a capitalised run an organisation (ministère, agency, parti, bank…). */
const ORGANISATION_WORDS = new Set(
  [
    'agence',
    'agency',
    'ministère',
    'ministry',
    'department',
    'département',
    'parti',
    'party',
    'banque',
    'bank',
    'université',
    'university',
    'conseil',
    'council',
    'commission',
    'comité',
    'committee',
    'assemblée',
    'assembly',
    'parlement',
    'parliament',
    'congrès',
    'congress',
    'cour',
    'court',
    'tribunal',
    'armée',
    'army',
    'navy',
    'marine',
    'forces',
    'compagnie',
    'company',
    'groupe',
    'group',
    'corporation',
    'corp',
    'inc',
    'ltd',
    'sa',
    'institut',
    'institute',
    'fonds',
    'fund',
    'fondation',
    'foundation',
    'office',
    'bureau',
    'airlines',
    'airways',
    'air',
    'railways',
    'news',
    'times',
    'post',
    'journal',
    'télévision',
    'television',
    'radio',
    'press',
    'presse',
    'association',
    'union',
    'fédération',
    'federation',
    'organisation',
    'organization',
    'alliance',
    'front',
    'mouvement',
    'movement',
    'church',
    'église',
    'club',
    'holding',
    'motors',
    'energy',
    'oil',
    'gas',
    'telecom',
    'force',
    'staff',
    'chiefs',
    'command',
    'commandement',
    'aviation',
    'aerospace',
    'research',
    'securities',
    'capital',
    'partners',
    'systems',
    'technologies',
    'industries',
    'holdings',
    'insurance',
    'assurances',
    'airline',
    'laboratories',
    'laboratoires',
    'pharmaceuticals',
    'electric',
    'electronics',
    'shipping',
    'steel',
  ].map((w) => w.normalize('NFC')),
);

/** Words that name an event, a period or a document, never a person: World War, Cold War, Climate Summit. */
const NOT_A_PERSON_WORDS = new Set(
  [
    'war',
    'wars',
    'guerre',
    'guerres',
    'crisis',
    'crise',
    'revolution',
    'révolution',
    'olympics',
    'olympiques',
    'games',
    'jeux',
    'cup',
    'coupe',
    'summit',
    'sommet',
    'conference',
    'conférence',
    'treaty',
    'traité',
    'agreement',
    'accord',
    'act',
    'law',
    'loi',
    'plan',
    'programme',
    'program',
    'operation',
    'opération',
    'festival',
    'forum',
    'day',
    'week',
    'semaine',
    'year',
    'année',
    'century',
    'siècle',
    'age',
    'era',
    'ère',
    'exercise',
    'exercice',
    'doctrine',
    'pact',
    'pacte',
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'twenty',
    'thirty',
    'forty',
    'fifty',
    'hundred',
    'thousand',
    'million',
    'deux',
    'trois',
    'quatre',
    'cinq',
    'dix',
    'vingt',
    'cent',
    'mille',
  ].map((w) => w.normalize('NFC')),
);

/** Month and weekday names are capitalised in English and start sentences in French: never a name on their own. */
const CALENDAR_WORDS: ReadonlySet<string> = new Set([...MONTH_NAMES, ...WEEKDAY_NAMES]);

/** A line in title case ("Une Rencontre Diplomatique à Hauts Enjeux"): its capitals say nothing about names. */
function isTitleCaseLine(line: string): boolean {
  // A line that ends a sentence is prose: most lines, answered before their words are looked at.
  if (/\.\s*$/.test(line)) return false;
  const words = line.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
  const content = words.filter((w) => !isStopWord(w) && w.length > 2);
  if (content.length < 3) return false;
  const capitalised = content.filter((w) => /^\p{Lu}/u.test(w)).length;
  return capitalised / content.length >= 0.7;
}

/** Names by shape; words the gazetteer already read ("Russian" in "Russian Foreign Minister Sergei Lavrov") split a run. */
function findNamesByShape(text: string, gazetteer: readonly EntityMention[], naming: Set<EntityMention>): EntityMention[] {
  const coveredBy = (start: number, end: number) => gazetteer.find((m) => m.start < end && start < m.end);
  const isOrganisationWord = (w: NameWord) => ORGANISATION_WORDS.has(lowerWord(w.word));
  const mentions: EntityMention[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    if (!isTitleCaseLine(line)) {
      for (const m of line.matchAll(NAME_RUN)) {
        const words = [...m[0].matchAll(/\S+/gu)].map((w) => ({ word: w[0], start: lineStart + m.index + w.index, end: lineStart + m.index + w.index + w[0].length }));
        let segment: NameWord[] = [];
        let absorbedCountry = false;
        for (const w of [...words, null]) {
          const cover = w ? coveredBy(w.start, w.end) : undefined;
          // A country's name after an organisation word names the organisation: Air France, Radio France, Agence France-Presse.
          // So does one between a compass word and a place word: the East China Sea is a sea.
          const absorbed =
            w &&
            cover?.kind === 'country' &&
            cover.via === 'name' &&
            (segment.some(isOrganisationWord) || (segment.length > 0 && words.slice(words.indexOf(w) + 1).some((next) => !coveredBy(next.start, next.end) && PLACE_WORDS.has(lowerWord(next.word)))));
          if (w && (!cover || absorbed)) {
            segment.push(w);
            if (absorbed) absorbedCountry = true;
            continue;
          }
          const mention = segment.length > 0 ? nameRunMention(text, segment) : null;
          if (mention) mentions.push(mention);
          if (mention && absorbedCountry) naming.add(mention);
          segment = [];
          absorbedCountry = false;
        }
      }
      for (const m of line.matchAll(ACRONYM)) {
        const surface = m[0];
        if (/^[IVXLCDM]+$/.test(surface) || COMMON_NOUN_ACRONYMS.has(surface)) continue; // roman numerals; GDP, ICBM name things
        mentions.push({ kind: 'organisation', id: `org:${surface.toLowerCase()}`, surface, start: lineStart + m.index, end: lineStart + m.index + surface.length, via: 'shape' });
      }
    }
    lineStart += line.length + 1;
  }
  return mentions;
}

/**
 * A word of a name in lower case (French rules) and NFC, as the word lists are written.
 * Kept by word: a run's words are looked up in several lists, and again for each segment of
 * the run, and ICU's lower case costs a microsecond a word.
 */
function lowerWord(word: string): string {
  let lower = lowerCaseByWord.get(word);
  if (lower === undefined) {
    if (lowerCaseByWord.size >= LOWER_WORDS_LIMIT) lowerCaseByWord.clear();
    lower = word.toLocaleLowerCase('fr').normalize('NFC');
    lowerCaseByWord.set(word, lower);
  }
  return lower;
}
const lowerCaseByWord = new Map<string, string>();
const LOWER_WORDS_LIMIT = 50_000;

interface NameWord {
  word: string;
  start: number;
  end: number;
}

/** A run of capitalised words, trimmed of function words and titles: a person, an organisation, or nothing. */
function nameRunMention(text: string, run: readonly NameWord[]): EntityMention | null {
  const words = [...run];
  const lower = lowerWord;
  const isOrganisation = words.some((w) => ORGANISATION_WORDS.has(lower(w.word)));
  // Leading function words and titles ("Le", "The", "Ministre") are not part of a name.
  while (words.length > 0 && (isStopWord(words[0]!.word) || TITLES.has(lower(words[0]!.word)) || (!isOrganisation && CALENDAR_WORDS.has(lower(words[0]!.word))))) words.shift();
  while (words.length > 0 && (isStopWord(words[words.length - 1]!.word) || CALENDAR_WORDS.has(lower(words[words.length - 1]!.word)))) words.pop();
  if (words.length === 0) return null;
  const first = words[0]!;
  const last = words[words.length - 1]!;
  const surface = text.slice(first.start, last.end);
  const key = foldName(surface);
  if (isOrganisation) {
    // One institution word alone ("Air" of Korean Air, "Commission" opening a sentence) names no organisation,
    // unless French adjectives follow it in lower case, as French writes a name (Cour suprême, Banque centrale).
    if (words.length === 1 && ORGANISATION_WORDS.has(lower(first.word))) {
      const adjectives = FRENCH_ADJECTIVES_AFTER.exec(text.slice(last.end, last.end + 60))?.[0];
      if (!adjectives) return null;
      const end = last.end + adjectives.length;
      const name = text.slice(first.start, end);
      return { kind: 'organisation', id: `org:${foldName(name)}`, surface: name, start: first.start, end, via: 'shape' };
    }
    return { kind: 'organisation', id: `org:${key}`, surface, start: first.start, end: last.end, via: 'shape' };
  }
  // Regions, seas, straits, palaces (Southeast Asia, Tsushima Strait, Mer Noire) are places; wars and summits are no one.
  // So is a name opened by a word that opens places' names only (New York, Haut Atlas, El Obeid).
  if (words.length >= 2 && (PLACE_NAME_OPENERS.has(lower(first.word)) || words.some((w) => PLACE_WORDS.has(lower(w.word)) || /^(?:north|south)(?:east|west)$/u.test(lower(w.word))))) {
    return { kind: 'place', id: `place:${key}`, surface, start: first.start, end: last.end, via: 'shape' };
  }
  if (words.some((w) => NOT_A_PERSON_WORDS.has(lower(w.word)) || NOT_A_PERSON_WORDS.has(lower(w.word).split('-')[0]!))) return null;
  // A person has a given name and a surname: two to four words, none of them a function word.
  if (words.length < 2 || words.length > 4 || words.some((w) => isStopWord(w.word))) return null;
  if (isSentenceStart(text, first.start) && words.length === 2 && isCommonWordShape(first.word)) return null;
  return { kind: 'person', id: `person:${key}`, surface, start: first.start, end: last.end, via: 'shape' };
}

/**
 * One or two lower-case words of a French adjective's shape right after a word
 * (suprême, centrale, électorale indépendante, constitutionnel, pénale,
 * européenne, militaire, publique): endings of French adjectives, not a list of
 * names; a verb or a noun that follows ("Cour rejette", "Banque fermée"?) ends
 * differently in most cases.
 */
const FRENCH_ADJECTIVES_AFTER =
  /^(?:[ \u00a0]+\p{Ll}[\p{Ll}\p{M}]*(?:ale|ales|aux|el|elle|els|elles|ien|ienne|iens|iennes|éen|éenne|éens|éennes|aire|aires|ique|iques|ive|ives|ante|antes|ieur|ieure|ieurs|ieures|ême|oise|aise|al)(?![\p{L}\p{M}])){1,2}/u;

/** Lower case, accents folded, hyphens and apostrophes as spaces: "Kim Jong-un" → "kim jong un". */
export function foldName(name: string): string {
  return tokenizeText(name)
    .map((t) => t.forms.fold)
    .join(' ');
}

function isSentenceStart(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 3), at);
  return at === 0 || /(?:^|[.!?:»"]\s*|\n\s*)$/u.test(before);
}

/** A sentence-initial word that reads like a common word (long, lower case after its capital, ending like French or English prose). */
function isCommonWordShape(word: string): boolean {
  return /(?:tion|ment|ement|ing|ed|ly|ité|ique|eur|aire)$/u.test(word);
}

/** "Lavrov" after (or before) "Sergueï Lavrov": the surname alone gets the full name's id. */
function resolveSurnames(text: string, tokens: readonly Token[], mentions: EntityMention[]): EntityMention[] {
  const surnames = new Map<string, string>();
  for (const m of mentions) {
    if (m.kind !== 'person') continue;
    const parts = m.id.slice('person:'.length).split(' ');
    const surname = parts[parts.length - 1]!;
    // "Kim Jong-un" gives no surname: a hyphenated given name ends it, and "un" is no name.
    if (surname.length >= 4 && !/-/.test(m.surface.split(/\s+/).pop() ?? '') && !surnames.has(surname)) surnames.set(surname, m.id);
  }
  if (surnames.size === 0) return mentions;
  const added: EntityMention[] = [];
  for (const token of tokens) {
    const id = surnames.get(token.forms.fold);
    if (!id || !/^\p{Lu}/u.test(text.slice(token.start, token.start + 1))) continue;
    if (mentions.some((m) => m.start < token.end && token.start < m.end)) continue;
    added.push({ kind: 'person', id, surface: text.slice(token.start, token.end), start: token.start, end: token.end, via: 'shape' });
  }
  return [...mentions, ...added].sort((a, b) => a.start - b.start);
}
