import type { Language } from '../text/detect-language.js';
import { MONTH_ABBREVIATIONS, MONTH_NAMES } from '../text/calendar-words.js';

/**
 * The numbers a report gives — counts, amounts, percentages, ranges, magnitudes —
 * as language-free keys, so that "1 200 prisonniers" and "1,200 prisoners", "7
 * milliards d'euros" and "€7 billion", "5,00 %" and "5.00%" agree. What an editor
 * checks first when two reports might tell one event. Dates and clock times are
 * left out: they say when, which the publication time already tells. Pure.
 */

/** Scale words after a number, by language ("billion" is 10^12 in French, 10^9 in English). */
const SCALES: Record<Language | 'any', Record<string, number>> = {
  any: { k: 1e3, m: 1e6, mn: 1e6, bn: 1e9, md: 1e9, mds: 1e9, mrd: 1e9, tn: 1e12, million: 1e6, millions: 1e6 },
  en: { thousand: 1e3, thousands: 1e3, billion: 1e9, billions: 1e9, trillion: 1e12, trillions: 1e12 },
  fr: { mille: 1e3, milliard: 1e9, milliards: 1e9, billion: 1e12, billions: 1e12, millier: 1e3, milliers: 1e3 },
};

/** Month names and abbreviations, folded as `fold` folds a word (no accents, lower case). */
export const MONTHS: ReadonlySet<string> = new Set([...MONTH_NAMES.map(fold), ...MONTH_ABBREVIATIONS]);

// A number with its thousands groups (1,200 / 1 200 / 1.200) and decimals, then what follows it.
const NUMBER = /(?<![\p{L}\p{N}.,])(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?![\p{N}])|\d+)(?:[.,](\d+))?/gu;
const AFTER = /^[\s\u00a0\u202f]*(%|pour ?cent|per ?cent|percent|pc\b|[\p{L}]+)?/u;

function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Quantity keys of a text: `q:<value>` (scale applied: 1.9e9), `q:<value>%`, and
 * ordinals `q:5th`. `language` decides what a comma means (a French decimal, an
 * English thousands separator); unknown languages read "1,5" as a decimal only
 * when it cannot be a thousands group.
 */
export function extractQuantities(text: string, language: Language | null): string[] {
  const keys = new Set<string>();
  for (const match of text.matchAll(NUMBER)) {
    const [whole, integerPart, fraction] = match;
    const start = match.index;
    const end = start + whole.length;
    const before = text.slice(Math.max(0, start - 12), start);
    const after = AFTER.exec(text.slice(end, end + 24));
    const nextWord = after?.[1] ? fold(after[1]) : '';
    // Clock times (05:30, 22h30) and dates (7 December, December 7, 07/12) say when, not what.
    if (/[:/]$/.test(before) || /^[:/h]\d/.test(text.slice(end, end + 2))) continue;
    if (MONTHS.has(nextWord) || MONTHS.has(fold(/([\p{L}]+)[\s\u00a0]*$/u.exec(before)?.[1] ?? ''))) continue;
    const value = parseNumber(integerPart!, fraction, language);
    if (value === null) continue;
    const isPercent = /^(%|pour ?cent|per ?cent|percent|pc)$/.test(nextWord);
    // A bare year ("in 2027", "by 2035") dates things; a year is rarely what two reports share by chance alone.
    if (!isPercent && !fraction && /^(19|20)\d\d$/.test(integerPart!) && !(nextWord in SCALES.any)) continue;
    const ordinal = /^(st|nd|rd|th|e|er|re|eme|ieme)$/.test(nextWord) && !fraction;
    if (ordinal) {
      keys.add(`q:${value}${ordinalSuffix(value)}`);
      continue;
    }
    const scale = SCALES.any[nextWord] ?? (language ? SCALES[language][nextWord] : undefined) ?? 1;
    keys.add(`q:${formatValue(value * scale)}${isPercent ? '%' : ''}`);
  }
  return [...keys];
}

/**
 * Ordinals written in words ("twenty-second", "vingt-deuxième"), read to the
 * key a figure gives ("22nd"): reports count rounds, packages and anniversaries
 * in words as often as in figures. Under the tenth they are left out: "fourth
 * quarter", "third time", "premier ministre", "a second" are the stock of any
 * week, like counts under ten. Read from the text's folded words (accents and
 * case gone, hyphens split), which the signature has already.
 */
const ORDINAL_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    first: 1,
    second: 2,
    third: 3,
    fourth: 4,
    fifth: 5,
    sixth: 6,
    seventh: 7,
    eighth: 8,
    ninth: 9,
    tenth: 10,
    eleventh: 11,
    twelfth: 12,
    thirteenth: 13,
    fourteenth: 14,
    fifteenth: 15,
    sixteenth: 16,
    seventeenth: 17,
    eighteenth: 18,
    nineteenth: 19,
    twentieth: 20,
    thirtieth: 30,
    fortieth: 40,
    fiftieth: 50,
    unieme: 1,
    deuxieme: 2,
    troisieme: 3,
    quatrieme: 4,
    cinquieme: 5,
    sixieme: 6,
    septieme: 7,
    huitieme: 8,
    neuvieme: 9,
    dixieme: 10,
    onzieme: 11,
    douzieme: 12,
    treizieme: 13,
    quatorzieme: 14,
    quinzieme: 15,
    seizieme: 16,
    vingtieme: 20,
    trentieme: 30,
    quarantieme: 40,
    cinquantieme: 50,
  }),
);
/** Tens that start a compound ordinal (twenty-second, vingt-deuxième, vingt et unième, dix-septième). */
const ORDINAL_TENS: ReadonlyMap<string, number> = new Map(Object.entries({ twenty: 20, thirty: 30, forty: 40, fifty: 50, dix: 10, vingt: 20, trente: 30, quarante: 40, cinquante: 50 }));
const SIMPLE_FROM = 10;

/** Ordinal keys (`q:22nd`) of the ordinals written in words among `words` (folded, as fingerprint's tokenizeText gives them). */
export function wordOrdinals(words: readonly string[]): string[] {
  const keys: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const unit = ORDINAL_UNITS.get(words[i]!);
    if (unit === undefined) continue;
    const before = words[i - 1] === 'et' ? i - 2 : i - 1;
    const tens = unit < 10 && before >= 0 ? ORDINAL_TENS.get(words[before]!) : undefined;
    // "unieme" only ends a compound (vingt et unième); alone it is no ordinal.
    const value = tens !== undefined ? tens + unit : words[i] === 'unieme' ? 0 : unit;
    if (value >= SIMPLE_FROM) keys.push(`q:${value}${ordinalSuffix(value)}`);
  }
  return keys;
}

function parseNumber(integerPart: string, fraction: string | undefined, language: Language | null): number | null {
  const groups = integerPart.split(/[ \u00a0\u202f.,]/);
  let digits = groups.join('');
  let decimals = fraction;
  if (groups.length === 2 && !fraction) {
    // "1,200" or "1.200": a thousands group, or a decimal? The language decides; unknown: a group.
    const separator = integerPart.charAt(groups[0]!.length);
    const isDecimal = (language === 'fr' && separator === ',') || (language === 'en' && separator === '.');
    if (isDecimal) {
      digits = groups[0]!;
      decimals = groups[1];
    }
  }
  const value = Number(decimals ? `${digits}.${decimals}` : digits);
  return Number.isFinite(value) ? value : null;
}

function formatValue(value: number): string {
  // 5.00 and 5, 1.90e9 and 1.9e9 are one value; seven significant digits keep 1,234,567 exact.
  return String(Number(value.toPrecision(7)));
}

function ordinalSuffix(value: number): string {
  const last = value % 10;
  if (value % 100 >= 11 && value % 100 <= 13) return 'th';
  return last === 1 ? 'st' : last === 2 ? 'nd' : last === 3 ? 'rd' : 'th';
}
