/**
 * Light inflection: a word and its plural or feminine forms share one key, so a
 * term matches them all without a dictionary. Text words and term words go
 * through the same function, and a match compares keys of whole words, never
 * parts of words: "désaccord" keeps its own key and never matches "accord".
 *
 * The key is computed on the lower-case word with its accents (so "accordé", a
 * participle, is not "accord" + e), then accent-folded by the caller.
 *
 * French (Latin script), in order, each step leaving at least 3 letters:
 *   plural   -eaux → -eau, -aux → -al, -s → (not after s), -eux/-oux → -eu/-ou
 *   feminine -enne → -en, -onne → -on, -elle → -el, -ette → -et, -ère → -er,
 *            -euse → -eu, -ive → -if, -e → (unaccented e only); and a masculine
 *            ending in -s loses it too (française → français → françai)
 * Words of 3 letters or fewer are left alone ("de" never matches "des").
 *
 * Russian (Cyrillic): one case ending is dropped (Пхеньяне, Пхеньяна → пхеньян).
 * Korean (Hangul): one trailing particle is dropped (평양에서, 평양의 → 평양).
 * Other scripts are compared as they are.
 */
export function inflectionKey(word: string): string {
  const first = word.charCodeAt(0);
  if (first < 0x0250) return frenchKey(word);
  if (first >= 0x0400 && first <= 0x04ff) return stripLongest(word, RUSSIAN_ENDINGS, 3);
  if (first >= 0xac00 && first <= 0xd7a3) return stripLongest(word, KOREAN_PARTICLES, 2);
  return word;
}

const MIN_STEM = 3;

/**
 * What every word with this key starts with, as far as the key's length: the key
 * itself, or, where inflection spelled the end anew (chev-aux → cheval, v-ive →
 * vif), the word's own spelling of it; and what may follow that start in the
 * word, before folding (`endings`, '' among them: aérien-nes, chevau-x). A key
 * shorter than the shortest stem inflection leaves (MIN_STEM letters; 2 in
 * Hangul; other scripts are never inflected) is the whole word.
 */
export function wordStartsOfKey(key: string): { starts: string[]; whole: boolean; endings: readonly string[] } {
  const first = key.charCodeAt(0);
  const latin = first < 0x0250;
  const cyrillic = first >= 0x0400 && first <= 0x04ff;
  const minStem = latin || cyrillic ? MIN_STEM : first >= 0xac00 && first <= 0xd7a3 ? 2 : Number.POSITIVE_INFINITY;
  if (key.length < minStem) return { starts: [key], whole: true, endings: [''] };
  const starts = [key];
  if (latin) {
    for (const [ending, replacement] of RESPELLINGS) {
      if (replacement === '' || !key.endsWith(replacement)) continue;
      const start = (key.slice(0, key.length - replacement.length) + ending).slice(0, key.length);
      if (!starts.includes(start)) starts.push(start);
    }
  }
  return { starts, whole: false, endings: latin ? FRENCH_ENDINGS : cyrillic ? RUSSIAN_WORD_ENDINGS : KOREAN_WORD_ENDINGS };
}

function frenchKey(input: string): string {
  let w = input;
  if (w.length <= MIN_STEM) return w;
  if (w.endsWith('eaux')) w = w.slice(0, -1);
  else if (w.endsWith(AUX[0])) w = w.slice(0, -AUX[0].length) + AUX[1];
  else if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  else if (w.endsWith('eux') || w.endsWith('oux')) w = w.slice(0, -1);
  if (w.length <= MIN_STEM) return w;
  for (const [ending, replacement] of FEMININE) {
    if (w.endsWith(ending) && w.length - ending.length + replacement.length >= MIN_STEM) {
      w = w.slice(0, w.length - ending.length) + replacement;
      if (ending === 'e' && w.endsWith('s') && !w.endsWith('ss') && w.length > MIN_STEM + 1) w = w.slice(0, -1);
      break;
    }
  }
  return w;
}

/** The plural ending spelled anew: chevaux → cheval. */
const AUX: [string, string] = ['aux', 'al'];

const FEMININE: [string, string][] = [
  ['enne', 'en'],
  ['onne', 'on'],
  ['elle', 'el'],
  ['ette', 'et'],
  ['ère', 'er'],
  ['euse', 'eu'],
  ['ive', 'if'],
  ['e', ''],
];

/** Every French ending inflection replaces, with its replacement. */
const RESPELLINGS = [AUX, ...FEMININE];

const RUSSIAN_ENDINGS = [
  'ами',
  'ями',
  'ого',
  'его',
  'ому',
  'ему',
  'ыми',
  'ими',
  'ой',
  'ей',
  'ом',
  'ем',
  'ым',
  'им',
  'ая',
  'яя',
  'ое',
  'ее',
  'ую',
  'юю',
  'ые',
  'ие',
  'ах',
  'ях',
  'ам',
  'ям',
  'а',
  'я',
  'у',
  'ю',
  'е',
  'ы',
  'и',
  'о',
  'й',
  'ь',
];
/**
 * What a French word may hold past its key's start, by frenchKey's steps: a
 * plural -s or -x (chevau-x, beau-x), then a feminine ending less the letters
 * the key keeps (aérien-ne, cruel-le, muet-te, heureu-se, fièr-e, viv-e, -e;
 * françai-se), then both (aérien-nes).
 */
const FRENCH_ENDINGS = ['', 's', 'x', 'e', 'es', 'ne', 'nes', 'le', 'les', 'te', 'tes', 'se', 'ses'];

const KOREAN_PARTICLES = ['에서', '으로', '까지', '부터', '에게', '한테', '께서', '은', '는', '이', '가', '을', '를', '의', '에', '로', '와', '과', '도', '만'];

/** Drops the longest listed ending that leaves at least `minStem` characters. */
function stripLongest(word: string, endings: readonly string[], minStem: number): string {
  for (const ending of endings) {
    if (word.endsWith(ending) && word.length - ending.length >= minStem) return word.slice(0, word.length - ending.length);
  }
  return word;
}

const RUSSIAN_WORD_ENDINGS = ['', ...RUSSIAN_ENDINGS];
const KOREAN_WORD_ENDINGS = ['', ...KOREAN_PARTICLES];
