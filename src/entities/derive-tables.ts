/**
 * Derives every precomputed entity table (precomputed-tables.ts) from the
 * packages' data, as the JSON values the build writes beside the bundle.
 */
import { buildCityTable } from './cities.js';
import { buildGazetteer } from './countries.js';
import { deriveGazetteerIndexTable } from './find-entities.js';
import type { PrecomputedTable } from './precomputed-tables.js';

export function deriveEntityTables(): Record<PrecomputedTable, unknown> {
  return {
    'country-gazetteer': [...buildGazetteer().values()],
    'gazetteer-index': deriveGazetteerIndexTable(),
    'country-cities': [...buildCityTable()],
  };
}
