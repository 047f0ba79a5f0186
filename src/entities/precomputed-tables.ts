/**
 * The entity tables (country gazetteer, its word index, cities by country) are
 * derived from package data that takes 0.5–1 s of CPU to read and digest, which
 * every digest with matched items paid (story identity reads entities). The
 * build (scripts/bundle-cli.mjs) derives them once, with the same code, and
 * writes them as JSON beside the bundle; the bundle reads them from there. Run
 * from anywhere else (tsx, dist/ without the bundle), no file is found and the
 * tables are derived on first use as before, so the two can never disagree for
 * long: the bundle and its tables are written in the same step.
 */
import { readFileSync } from 'node:fs';

/** The file names the build writes, one per table. */
export type PrecomputedTable = 'country-gazetteer' | 'gazetteer-index' | 'country-cities';

/** The table the build wrote beside this module, or null when there is none (not bundled, or not built yet). */
export function readPrecomputedTable<T>(name: PrecomputedTable): T | null {
  let text: string;
  try {
    text = readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8');
  } catch {
    return null;
  }
  return JSON.parse(text) as T;
}
