import { join } from 'node:path';

/** Saved digests live at digests/<watchlist>/<YYYY-MM-DD>[-N].<ext>; this is the naming rule, pure. */
export function savedDigestName(date: Date, ext: string, taken: ReadonlySet<string>): string {
  const day = date.toISOString().slice(0, 10);
  for (let n = 1; ; n++) {
    const name = `${day}${n === 1 ? '' : `-${n}`}.${ext}`;
    if (!taken.has(name)) return name;
  }
}

export function savedDigestDir(digestsDir: string, watchlist: string): string {
  return join(digestsDir, watchlist);
}

/** Parses a saved digest file name back into its day and sequence number. */
export function parseSavedDigestName(name: string): { day: string; seq: number; ext: string } | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:-(\d+))?\.([a-z]+)$/.exec(name);
  return m ? { day: m[1]!, seq: m[2] ? Number(m[2]) : 1, ext: m[3]! } : null;
}
