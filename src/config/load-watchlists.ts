import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, UsageError } from '../errors.js';
import type { LoadedWatchlist } from './watchlist.js';
import { readWatchlistCache, type WatchlistCache } from './watchlist-cache.js';

/** The watchlists that ship with the package, copied to the user's config dir on first use. */
export const SHIPPED_WATCHLISTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'watchlists');

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

/**
 * Parses and validates one file; a problem becomes a ConfigError naming the file and the field path.
 * With a cache, a file whose text is in it is neither parsed nor validated again.
 */
export async function loadWatchlistFile(file: string, cache?: WatchlistCache): Promise<LoadedWatchlist> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const cached = cache?.get(file, text);
  if (cached) return cached;
  const { parseWatchlistText } = await import('./parse-watchlist.js');
  const loaded = parseWatchlistText(text, file);
  cache?.set(file, text, loaded);
  return loaded;
}

/**
 * Loads the named watchlists (all of them when `names` is empty). Unknown names
 * are a usage error; a broken file is a configuration error. `cacheFile`: where
 * the watchlists validated by earlier runs are kept (src/config/watchlist-cache.ts).
 */
export async function loadWatchlists(dir: string, names: readonly string[] = [], options: { cacheFile?: string } = {}): Promise<LoadedWatchlist[]> {
  const cache = options.cacheFile ? await readWatchlistCache(options.cacheFile) : undefined;
  const loaded = await loadWatchlistsWith(dir, names, cache);
  await cache?.save();
  return loaded;
}

async function loadWatchlistsWith(dir: string, names: readonly string[], cache: WatchlistCache | undefined): Promise<LoadedWatchlist[]> {
  const files = await listWatchlistFiles(dir);
  const byName = new Map<string, LoadedWatchlist>();
  const wanted = new Set(names);
  for (const file of files) {
    const stem = basename(file, extname(file));
    if (wanted.size > 0 && !wanted.has(stem)) {
      // A file may set another `name:`; only then is it worth reading to find it.
      const loaded = await loadWatchlistFile(file, cache).catch(() => null);
      if (!loaded || !wanted.has(loaded.watchlist.name)) continue;
      byName.set(loaded.watchlist.name, loaded);
      continue;
    }
    const loaded = await loadWatchlistFile(file, cache);
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
