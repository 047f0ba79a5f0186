import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSavedDigestName } from '../../digest/saved-digests.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { UsageError } from '../../errors.js';
import { toJsonText } from '../../digest/render-json.js';

interface SavedDigest {
  watchlist: string;
  date: string;
  seq: number;
  format: string;
  path: string;
  bytes: number;
}

async function listSaved(digestsDir: string, watchlists: readonly string[]): Promise<SavedDigest[]> {
  const dirs = watchlists.length ? watchlists : await readdir(digestsDir).catch(() => [] as string[]);
  const out: SavedDigest[] = [];
  for (const watchlist of dirs) {
    for (const name of await readdir(join(digestsDir, watchlist)).catch(() => [] as string[])) {
      const parsed = parseSavedDigestName(name);
      if (!parsed) continue;
      const path = join(digestsDir, watchlist, name);
      out.push({ watchlist, date: parsed.day, seq: parsed.seq, format: parsed.ext, path, bytes: (await stat(path)).size });
    }
  }
  return out.sort((a, b) => b.date.localeCompare(a.date) || b.seq - a.seq || a.watchlist.localeCompare(b.watchlist));
}

export async function digestsListCommand(flags: { watchlist: string[]; json?: boolean }, global: GlobalOptions): Promise<void> {
  const { locations, reporter } = createContext(global);
  const saved = await listSaved(locations.digestsDir, flags.watchlist);
  if (flags.json) return writeStdout(toJsonText(saved));
  if (saved.length === 0) {
    reporter.info(`no saved digests in ${locations.digestsDir} (save one with: presswatch digest --save)`);
    return;
  }
  await writeStdout(`${saved.map((s) => `${s.date}${s.seq > 1 ? `-${s.seq}` : ''}  ${s.watchlist.padEnd(20)} ${s.format.padEnd(6)} ${s.path}`).join('\n')}\n`);
}

export async function digestsShowCommand(date: string, flags: { watchlist?: string; format?: string }, global: GlobalOptions): Promise<void> {
  const { locations } = createContext(global);
  const m = /^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$/.exec(date);
  if (!m && date !== 'latest') throw new UsageError(`digests show: "${date}" is not a date (YYYY-MM-DD, YYYY-MM-DD-N or latest)`);
  let saved = await listSaved(locations.digestsDir, flags.watchlist ? [flags.watchlist] : []);
  if (m) saved = saved.filter((s) => s.date === m[1] && (m[2] === undefined || s.seq === Number(m[2])));
  if (flags.format) saved = saved.filter((s) => s.format === flags.format);
  if (saved.length === 0) throw new UsageError(`digests show: no saved digest for ${date}${flags.watchlist ? ` of ${flags.watchlist}` : ''} (see: presswatch digests list)`);
  const watchlists = new Set(saved.map((s) => s.watchlist));
  if (watchlists.size > 1) throw new UsageError(`digests show: several watchlists saved digests for ${date} (${[...watchlists].join(', ')}); choose one with -w`);
  // Newest first: the last digest of the day unless a sequence number was given.
  await writeStdout(await readFile(saved[0]!.path, 'utf8'));
}
