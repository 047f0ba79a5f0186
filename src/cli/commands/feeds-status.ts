import { openStore } from '../../store/open-store.js';
import { toTerminalLine } from '../../digest/safe-text.js';
import { createContext, writeStdout, type GlobalOptions } from '../context.js';
import { toJsonText } from '../../digest/render-json.js';

const WINDOW_DAYS = 7;

/** For each stored feed: last fetch, status, error, items, and items per day over the last week. */
export async function feedsStatusCommand(flags: { json?: boolean }, global: GlobalOptions): Promise<void> {
  const ctx = createContext(global);
  const store = await openStore(ctx.locations);
  try {
    const now = new Date();
    const recent = await store.countRecentItems(new Date(now.getTime() - WINDOW_DAYS * 86_400_000).toISOString());
    const feeds = (await store.listFeeds()).map((f) => ({
      url: f.url,
      label: f.label,
      title: f.title,
      status: f.lastStatus,
      httpStatus: f.lastHttpStatus,
      error: f.lastError,
      lastFetchedAt: f.lastFetchedAt,
      lastOkAt: f.lastOkAt,
      nextFetchAt: f.nextFetchAt,
      items: f.itemCount,
      itemsPerDay: Math.round(((recent.get(f.url) ?? 0) / WINDOW_DAYS) * 10) / 10,
    }));
    if (flags.json) return await writeStdout(toJsonText(feeds));
    if (feeds.length === 0) {
      ctx.reporter.info('no feed fetched yet (run: presswatch digest)');
      return;
    }
    const lines = feeds.map((f) => {
      const when = f.lastFetchedAt ? f.lastFetchedAt.slice(0, 16).replace('T', ' ') : 'never';
      const status = (f.status ?? '-').padEnd(12);
      const counts = `${String(f.items).padStart(6)} items ${String(f.itemsPerDay).padStart(6)}/day`;
      const name = toTerminalLine(f.label ?? f.title ?? f.url);
      const error = f.error ? `\n    ${toTerminalLine(f.error)}` : '';
      return `${status} ${when}  ${counts}  ${name}${f.label || f.title ? ` <${toTerminalLine(f.url)}>` : ''}${error}`;
    });
    await writeStdout(`${'status'.padEnd(12)} ${'last fetch'.padEnd(16)}  ${'items'.padStart(12)} ${'per day'.padStart(10)}  feed\n${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
}
