import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError, UsageError } from '../errors.js';
import { validateWatchlist, type Watchlist } from './watchlist.js';

/** The watchlists that ship with the package, copied to the user's config dir on first use. */
export const SHIPPED_WATCHLISTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'watchlists');

export interface LoadedWatchlist {
  watchlist: Watchlist;
  file: string;
  warnings: string[];
}

const YAML_EXT = new Set(['.yaml', '.yml']);

/**
 * Creates the user's watchlists folder from the shipped one, once. After that the
 * user's files are theirs: an upgrade never overwrites them.
 */
export async function ensureWatchlistsDir(dir: string, shippedDir = SHIPPED_WATCHLISTS_DIR): Promise<void> {
  if (await exists(dir)) return;
  await mkdir(dir, { recursive: true });
  for (const file of await listYamlFiles(shippedDir)) await copyFile(join(shippedDir, file), join(dir, file));
}

export async function listWatchlistFiles(dir: string): Promise<string[]> {
  return (await listYamlFiles(dir)).map((file) => join(dir, file));
}

/** Parses and validates one file; a problem becomes a ConfigError naming the file and the field path. */
export async function loadWatchlistFile(file: string): Promise<LoadedWatchlist> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseWatchlistText(text, file);
}

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

/**
 * Loads the named watchlists (all of them when `names` is empty). Unknown names
 * are a usage error; a broken file is a configuration error.
 */
export async function loadWatchlists(dir: string, names: readonly string[] = []): Promise<LoadedWatchlist[]> {
  const files = await listWatchlistFiles(dir);
  const byName = new Map<string, LoadedWatchlist>();
  const wanted = new Set(names);
  for (const file of files) {
    const stem = basename(file, extname(file));
    if (wanted.size > 0 && !wanted.has(stem)) {
      // A file may set another `name:`; only then is it worth reading to find it.
      const loaded = await loadWatchlistFile(file).catch(() => null);
      if (!loaded || !wanted.has(loaded.watchlist.name)) continue;
      byName.set(loaded.watchlist.name, loaded);
      continue;
    }
    const loaded = await loadWatchlistFile(file);
    if (byName.has(loaded.watchlist.name)) throw new ConfigError(`${file}: name "${loaded.watchlist.name}" is already used by ${byName.get(loaded.watchlist.name)!.file}`);
    byName.set(loaded.watchlist.name, loaded);
  }
  const missing = names.filter((n) => !byName.has(n));
  if (missing.length > 0) {
    const known = [...byName.keys()];
    const all = files.map((f) => basename(f, extname(f)));
    throw new UsageError(`unknown watchlist ${missing.map((m) => `"${m}"`).join(', ')} (known: ${(known.length ? known : all).join(', ') || 'none'}; files in ${dir})`);
  }
  return [...byName.values()];
}

async function listYamlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => YAML_EXT.has(extname(f))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
