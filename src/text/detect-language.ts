import { ENGLISH_STOP_WORDS, FRENCH_STOP_WORDS } from './stop-words.js';
import { normalizeTerm } from '../match/normalize.js';
import { tokenizeText } from '../dedupe/fingerprint.js';

/** The languages presswatch can tell apart (by their function words). */
export type Language = 'fr' | 'en';

/** Each language's words of one list only ("a", "on", "or", "as" are function words of both); built on first use. */
let languageWords: { french: ReadonlySet<string>; english: ReadonlySet<string> } | undefined;
function wordsOfOneLanguage(): { french: ReadonlySet<string>; english: ReadonlySet<string> } {
  if (languageWords) return languageWords;
  const french = new Set(FRENCH_STOP_WORDS.map(normalizeTerm));
  const english = new Set(ENGLISH_STOP_WORDS.map(normalizeTerm));
  for (const word of [...french]) {
    if (english.has(word)) {
      french.delete(word);
      english.delete(word);
    }
  }
  languageWords = { french, english };
  return languageWords;
}

/** Function words needed before a language is named: a headline alone can be too short to tell. */
const MIN_EVIDENCE = 3;

/**
 * French or English, by counting each language's function words among the
 * folded `words`; null when neither leads clearly (too short, another language).
 */
export function detectLanguage(words: readonly string[]): Language | null {
  const { french, english } = wordsOfOneLanguage();
  let fr = 0;
  let en = 0;
  for (const word of words) {
    if (french.has(word)) fr++;
    else if (english.has(word)) en++;
  }
  if (Math.max(fr, en) < MIN_EVIDENCE) return null;
  if (fr >= 2 * en) return 'fr';
  if (en >= 2 * fr) return 'en';
  return null;
}

/** detectLanguage over a title and text as written. */
export function detectTextLanguage(...texts: string[]): Language | null {
  return detectLanguage(texts.flatMap((text) => tokenizeText(text)));
}
