/**
 * A watchlist file's text → the validated watchlist. The only module of the
 * loader that needs the YAML parser: src/config/load-watchlists.ts imports it
 * when a file is not in the watchlist cache (src/config/watchlist-cache.ts).
 */
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { type LoadedWatchlist, validateWatchlist } from './watchlist.js';

/** Parses and validates one file's text; a problem becomes a ConfigError naming the file and the field path. */
export function parseWatchlistText(text: string, file: string): LoadedWatchlist {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
    // The yaml library repeats the position at the end of its first line ("... at line 2, column 1:").
    const reason = first.message
      .split('\n')[0]!
      .replace(/ at line \d+, column \d+:?$/, '')
      .replace(/:$/, '');
    throw new ConfigError(`${file}${where}: malformed YAML: ${reason}`);
  }
  const result = validateWatchlist(doc.toJS(), basename(file, extname(file)));
  if (!result.value) throw new ConfigError(`${file}: ${result.errors.length === 1 ? '' : `${result.errors.length} problems:\n  `}${result.errors.join('\n  ')}`);
  return { watchlist: result.value, file, warnings: result.warnings.map((w) => `${file}: ${w}`) };
}
