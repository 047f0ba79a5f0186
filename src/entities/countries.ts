/**
 * A gazetteer of countries, built from general-purpose data on first use:
 * names in French and English and in every non-Latin script that
 * i18n-iso-countries carries (Россия, 북한, 朝鲜…), demonyms and adjectives
 * with their French inflections (nord-coréen, nord-coréenne, nord-coréens,
 * North Korean), capitals (English from world-countries, French exonyms from
 * general-data.ts), seats of power (Kremlin, Maison-Blanche) and combining
 * forms (russo-, sino-). Pure apart from reading the packages' data.
 *
 * Latin-script names are taken from French and English only: a German or
 * Dutch country name can be an ordinary English or French word ("Island" is
 * Iceland in German), and presswatch reads French and English news.
 */
import { createRequire } from 'node:module';
import type { Country } from 'world-countries';
import { FRENCH_ACRONYMS, FRENCH_CAPITALS, IRREGULAR_COMBINING_FORMS, ORGANISATIONS, SEATS_OF_POWER } from './general-data.js';
import { readPrecomputedTable } from './precomputed-tables.js';
import { foldAccents } from '../match/normalize.js';

/** Everything a text may call one country by. Spellings are as written (case, accents); matching folds them. */
export interface CountryAliases {
  /** ISO 3166-1 alpha-2 code, upper case ("RU", "KP"). */
  code: string;
  /** Country names: French first, then English, then other scripts and official forms. */
  names: string[];
  /** Acronyms of the country (DPRK, USA, UK), matched with their case. */
  acronyms: string[];
  /** Adjectives and demonyms, inflected: French masculine/feminine, singular/plural, lower case; English as written. */
  demonyms: string[];
  /** Capitals, English and French spellings. */
  capitals: string[];
  /** Seats of power used for the government (Kremlin, Downing Street). */
  seats: string[];
  /** Combining forms, only read before a hyphen ("russo" in russo-nord-coréen). */
  combining: string[];
  /**
   * For a country named by a compass point (Corée du Nord, North Korea, Soudan
   * du Sud): the point alone, capitalised ("le Nord", "the North"), which names
   * the country only in a text that also names what it is the north of
   * (`ellipsisContext`: Corée, Korea, coréen, Korean).
   */
  ellipses: string[];
  ellipsisContext: string[];
}

const require = createRequire(import.meta.url);
let worldCountriesData: Country[] | null = null;

/** world-countries, read on first use: a watchlist without countries never pays for it. */
function worldCountries(): Country[] {
  worldCountriesData ??= require('world-countries') as Country[];
  return worldCountriesData;
}
const LATIN_LANGUAGES = ['fr', 'en'];
/** i18n-iso-countries locales whose names are in a non-Latin script (or mostly so). */
const OTHER_SCRIPT_LANGUAGES = ['ar', 'be', 'bg', 'bn', 'el', 'fa', 'he', 'hi', 'hy', 'ja', 'ka', 'kk', 'ko', 'ky', 'mk', 'mn', 'ru', 'ta', 'th', 'uk', 'ur', 'zh'];
const LATIN = /[A-Za-z\u00c0-\u024f]/;

let gazetteer: Map<string, CountryAliases> | null = null;

/** Every country's aliases, by code; read from the build's table (precomputed-tables.ts) or built, once. */
export function countryGazetteer(): ReadonlyMap<string, CountryAliases> {
  if (gazetteer) return gazetteer;
  const precomputed = readPrecomputedTable<CountryAliases[]>('country-gazetteer');
  gazetteer = precomputed ? new Map(precomputed.map((c) => [c.code, c])) : buildGazetteer();
  return gazetteer;
}

/** The aliases of one country (ISO alpha-2, any case), or null for an unknown code. */
export function countryAliases(code: string): CountryAliases | null {
  return countryGazetteer().get(code.toUpperCase()) ?? null;
}

/** The country's usual name in French or English ("Corée du Nord", "North Korea"). */
export function countryName(code: string, language: 'fr' | 'en' = 'fr'): string | null {
  const country = worldCountries().find((c) => c.cca2 === code.toUpperCase());
  if (!country) return null;
  return language === 'fr' ? (country.translations['fra']?.common ?? country.name.common) : country.name.common;
}

/** Every spelling of a country, one list (names, acronyms, demonyms, capitals, seats), without repeats. */
export function allSpellings(aliases: CountryAliases): string[] {
  return unique([...aliases.names, ...aliases.acronyms, ...aliases.demonyms, ...aliases.capitals, ...aliases.seats]);
}

/**
 * French demonyms come as masculine and feminine singular ("Nord-coréen",
 * "Nord-coréenne"); the adjective is written in lower case, and takes -s in
 * the plural unless it ends in -s or -x (français, française, françaises).
 */
export function inflectFrenchDemonym(masculine: string, feminine: string): string[] {
  const forms: string[] = [];
  for (const singular of unique([masculine, feminine].map((f) => f.toLocaleLowerCase('fr')))) {
    forms.push(singular);
    if (!/[sx]$/.test(singular)) forms.push(`${singular}s`);
  }
  return unique(forms);
}

/** English demonyms: as written, plus the plural noun (North Koreans) when it takes one. */
export function inflectEnglishDemonym(demonym: string): string[] {
  if (/(ese|ish|ch|ss|s|i)$/.test(demonym)) return [demonym];
  return [demonym, `${demonym}s`];
}

/**
 * Regular French combining forms from the masculine adjective: russe → russo,
 * iranien → irano, américain → américano, argentin → argentino,
 * polonais → polono; the last part of
 * a compound adjective carries it (nord-coréen gives none: "coréano" is not used).
 */
export function combiningForms(masculine: string): string[] {
  const word = masculine.toLocaleLowerCase('fr');
  if (word.includes('-')) return [];
  let stem: string | null = null;
  if (word.endsWith('ien')) stem = word.slice(0, -3);
  else if (word.endsWith('ain')) stem = `${word.slice(0, -3)}an`;
  else if (word.endsWith('in')) stem = word;
  else if (word.endsWith('ais') || word.endsWith('ois')) stem = word.slice(0, -3);
  else if (word.endsWith('e')) stem = word.slice(0, -1);
  return stem && stem.length >= 3 ? [`${stem}o`] : [];
}

/** The gazetteer derived from the packages' data (what the build precomputes). */
export function buildGazetteer(): Map<string, CountryAliases> {
  const locales = new Map<string, Record<string, string | string[]>>();
  for (const language of [...LATIN_LANGUAGES, ...OTHER_SCRIPT_LANGUAGES]) {
    const data = require(`i18n-iso-countries/langs/${language}.json`) as { countries: Record<string, string | string[]> };
    locales.set(language, data.countries);
  }
  const result = new Map<string, CountryAliases>();
  const commonWords = englishFrenchNameWords(locales);
  const institutionSeats = new Set(ORGANISATIONS.flatMap((o) => o.seats ?? []));
  for (const country of worldCountries()) {
    const code = country.cca2;
    const names: string[] = [];
    const acronyms: string[] = [];
    const addName = (name: string | undefined) => {
      if (!name || name.includes(',') || name.includes('(')) return;
      if (isAcronym(name)) acronyms.push(name.replace(/\./g, ''));
      else names.push(name);
    };
    addName(country.translations['fra']?.common);
    addName(country.translations['fra']?.official);
    for (const language of LATIN_LANGUAGES) for (const name of asList(locales.get(language)?.[code])) addName(name);
    addName(country.name.common);
    addName(country.name.official);
    for (const acronym of FRENCH_ACRONYMS[code] ?? []) acronyms.push(acronym.replace(/[.-]/g, ''));
    for (const language of OTHER_SCRIPT_LANGUAGES) for (const name of asList(locales.get(language)?.[code])) if (!LATIN.test(name)) addName(name);
    for (const native of Object.values(country.name.native ?? {}) as { common: string; official: string }[]) for (const name of [native.common, native.official]) if (!LATIN.test(name)) addName(name);
    for (const alt of country.altSpellings) {
      // Two-letter codes (IT, IN, US…) are ordinary words in capitals; longer acronyms (DPRK, USA) are names.
      if (/^[A-Z]{2}$/.test(alt)) continue;
      if (!LATIN.test(alt) || isAcronym(alt)) addName(alt);
      else if (/^[A-Z][a-z]/.test(alt) && !isCommonWordElsewhere(alt, code, commonWords)) addName(alt);
    }
    const demonyms: string[] = [];
    const fra = country.demonyms?.['fra'];
    const eng = country.demonyms?.['eng'];
    if (fra?.m) demonyms.push(...inflectFrenchDemonym(fra.m, fra.f || fra.m));
    if (eng?.m) for (const form of unique([eng.m, eng.f].filter(Boolean))) demonyms.push(...inflectEnglishDemonym(form));
    const capitals = unique([...country.capital.map((c) => c.replace(/ D\.C\.$/, '')), ...(FRENCH_CAPITALS[code] ?? [])]).filter((c) => !institutionSeats.has(c));
    const combining = IRREGULAR_COMBINING_FORMS[code] ? [...IRREGULAR_COMBINING_FORMS[code]] : fra?.m ? combiningForms(fra.m) : [];
    result.set(code, {
      code,
      names: unique(names),
      acronyms: unique(acronyms),
      demonyms: unique(demonyms),
      capitals,
      seats: [...(SEATS_OF_POWER[code] ?? [])],
      combining,
      ...compassEllipsis(country.translations['fra']?.common ?? '', country.name.common, demonyms),
    });
  }
  return addSiblingContext(dropSharedSpellings(result));
}

/**
 * Each word of the French and English names of every country, with the
 * countries whose names have it: "Island" is in Christmas Island and Norfolk
 * Island, "Saint" in half a dozen.
 */
function englishFrenchNameWords(locales: ReadonlyMap<string, Record<string, string | string[]>>): Map<string, Set<string>> {
  const words = new Map<string, Set<string>>();
  for (const country of worldCountries()) {
    const names = [country.name.common, country.name.official, country.translations['fra']?.common, country.translations['fra']?.official];
    for (const language of LATIN_LANGUAGES) names.push(...asList(locales.get(language)?.[country.cca2]));
    for (const name of names)
      for (const word of (name ?? '').toLocaleLowerCase('en').split(/[^\p{L}]+/u)) {
        if (!word) continue;
        const owners = words.get(word) ?? new Set<string>();
        owners.add(country.cca2);
        words.set(word, owners);
      }
  }
  return words;
}

/**
 * A one-word spelling from another language ("Island", Iceland in German and
 * Icelandic) that is a word of another country's French or English name is a
 * common word of the languages presswatch reads ("Miyako Island"), not a
 * name of this country.
 */
function isCommonWordElsewhere(alias: string, code: string, words: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  if (/\s/.test(alias)) return false;
  const owners = words.get(alias.toLocaleLowerCase('en'));
  return owners !== undefined && [...owners].some((owner) => owner !== code);
}

/**
 * The compass ellipsis also reads next to the capitals of the countries that
 * share the base name: "le Nord" names North Korea next to Séoul, the south's
 * capital, as well as next to "Corée".
 */
function addSiblingContext(countries: Map<string, CountryAliases>): Map<string, CountryAliases> {
  for (const c of countries.values()) {
    if (c.ellipses.length === 0) continue;
    const bases = c.ellipsisContext.filter((w) => /^\p{Lu}/u.test(w));
    for (const other of countries.values()) {
      if (other.code === c.code) continue;
      const named = [countryName(other.code, 'fr'), countryName(other.code, 'en')];
      if (named.some((n) => n && bases.some((b) => n.split(/[\s-]+/).includes(b)))) c.ellipsisContext = unique([...c.ellipsisContext, ...other.capitals]);
    }
  }
  return countries;
}

/**
 * A spelling two countries share ("Congo" for both Congos) names neither for
 * sure: it is removed from both, and the longer names remain. When one of the
 * owners is a sovereign state and the others are territories ("français" for
 * France and French Guiana), the state keeps it.
 */
function dropSharedSpellings(countries: Map<string, CountryAliases>): Map<string, CountryAliases> {
  const sovereign = new Set(
    worldCountries()
      .filter((c) => c.unMember)
      .map((c) => c.cca2),
  );
  const owners = new Map<string, Set<string>>();
  // Compared as the matcher compares them, accents folded: "franço" (Terres australes françaises) and "franco" are one spelling.
  const keyOf = (s: string) => foldAccents(s.normalize('NFKC').toLocaleLowerCase('fr'));
  for (const c of countries.values()) {
    for (const s of [...c.names, ...c.demonyms, ...c.capitals, ...c.acronyms, ...c.combining]) {
      const set = owners.get(keyOf(s)) ?? new Set<string>();
      set.add(c.code);
      owners.set(keyOf(s), set);
    }
  }
  const ownerOf = new Map<string, string | null>();
  for (const [spelling, codes] of owners) {
    const states = [...codes].filter((code) => sovereign.has(code));
    ownerOf.set(spelling, codes.size === 1 ? [...codes][0]! : states.length === 1 ? states[0]! : null);
  }
  for (const c of countries.values()) {
    const own = (s: string) => ownerOf.get(keyOf(s)) === c.code;
    c.names = c.names.filter(own);
    c.demonyms = c.demonyms.filter(own);
    c.capitals = c.capitals.filter(own);
    c.acronyms = c.acronyms.filter(own);
    c.combining = c.combining.filter(own);
  }
  return countries;
}

const FRENCH_POINT = /^(.+) du (Nord|Sud|Nord-Est|Sud-Est)$/;
const ENGLISH_POINT = /^(North|South) (.+)$/;
const DEMONYM_POINT = /^(?:nord|sud|north|south)[- ]/i;

/** "Corée du Nord" / "North Korea" → ellipses Nord, North; context Corée, Korea and the demonyms without the point (coréen, Korean). */
export function compassEllipsis(french: string, english: string, demonyms: readonly string[]): { ellipses: string[]; ellipsisContext: string[] } {
  const fr = FRENCH_POINT.exec(french);
  const en = ENGLISH_POINT.exec(english);
  if (!fr && !en) return { ellipses: [], ellipsisContext: [] };
  const ellipses = [fr?.[2], en?.[1]].filter((s): s is string => Boolean(s));
  const context = [fr?.[1], en?.[2]].filter((s): s is string => Boolean(s));
  for (const d of demonyms) if (DEMONYM_POINT.test(d)) context.push(d.replace(DEMONYM_POINT, ''));
  return { ellipses: unique(ellipses), ellipsisContext: unique(context) };
}

function isAcronym(name: string): boolean {
  return /^(?:[A-Z]\.?){2,6}$/.test(name);
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
