/**
 * Parsed and validated watchlists, kept in the data dir between runs so that a
 * run whose watchlists have not changed loads neither the YAML parser nor the
 * validation (together about a tenth of a second at every start).
 *
 * An entry is used only for the same file path with the same content (its size
 * and SHA-256), read anew on every run: an edit is seen at once, whatever the
 * clock or the file system's mtime granularity says. The whole cache belongs to
 * one build of the validation code (the modules' files, their size and mtime):
 * another build starts an empty one. Only valid watchlists are kept, so a
 * malformed file is parsed again and gives its error every time. A cache that
 * cannot be read or does not have the expected shape is ignored and rewritten;
 * one that cannot be written costs the next run a parse, nothing else.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { type LoadedWatchlist, VALIDATOR_MODULE_URL } from './watchlist.js';

/** Bumped when an entry's shape changes. */
const CACHE_FORMAT = 1;

interface CacheEntry {
  /** The file's text: its length and SHA-256. */
  size: number;
  sha256: string;
  loaded: LoadedWatchlist;
  /** SHA-256 of `loaded` as JSON: an entry damaged on disk is noticed, not used. */
  check: string;
}

interface CacheFile {
  format: number;
  code: string;
  entries: Record<string, CacheEntry>;
}

export interface WatchlistCache {
  /** The watchlist validated from exactly this text of this file, or null. */
  get(file: string, text: string): LoadedWatchlist | null;
  set(file: string, text: string, loaded: LoadedWatchlist): void;
  /** Writes the cache back when something changed; never throws. */
  save(): Promise<void>;
}

export async function readWatchlistCache(cacheFile: string): Promise<WatchlistCache> {
  const code = await codeIdentity();
  const stored = await readFile(cacheFile, 'utf8').then(
    (text) => parseCacheFile(text, code),
    () => null,
  );
  const entries = stored?.entries ?? {};
  let changed = stored === null;
  return {
    get(file, text) {
      const entry = entries[file];
      return entry && entry.size === text.length && entry.sha256 === sha256(text) ? entry.loaded : null;
    },
    set(file, text, loaded) {
      entries[file] = { size: text.length, sha256: sha256(text), loaded, check: sha256(JSON.stringify(loaded)) };
      changed = true;
    },
    async save() {
      if (!changed) return;
      const content: CacheFile = { format: CACHE_FORMAT, code, entries };
      await writeFileAtomic(cacheFile, JSON.stringify(content)).catch(() => undefined);
      changed = false;
    },
  };
}

function parseCacheFile(text: string, code: string): CacheFile | null {
  try {
    const value = JSON.parse(text) as Partial<CacheFile> | null;
    if (value?.format !== CACHE_FORMAT || value.code !== code || typeof value.entries !== 'object' || value.entries === null) return null;
    for (const entry of Object.values(value.entries)) if (!isEntry(entry)) return null;
    return value as CacheFile;
  } catch {
    return null;
  }
}

function isEntry(entry: unknown): entry is CacheEntry {
  const e = entry as Partial<CacheEntry> | null;
  return typeof e?.size === 'number' && typeof e.sha256 === 'string' && typeof e.loaded === 'object' && e.check === sha256(JSON.stringify(e.loaded));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** The validation code's files as built: their size and mtime. */
async function codeIdentity(): Promise<string> {
  const parts = await Promise.all(
    [import.meta.url, VALIDATOR_MODULE_URL].map((url) =>
      stat(fileURLToPath(url)).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => 'unknown',
      ),
    ),
  );
  return parts.join(',');
}
