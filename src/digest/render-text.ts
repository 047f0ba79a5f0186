import { Chalk, type ChalkInstance } from 'chalk';
import { describeMatches, describeScope, describeSearchCounts, type Digest, type Story } from './digest.js';
import { toTerminalLine } from './safe-text.js';

export interface TextOptions {
  color: boolean;
}

/** The terminal digest: grouped by watchlist, newest first, keywords highlighted. */
export function renderText(digest: Digest, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const { counts } = digest;
  const when = digest.generatedAt.slice(0, 16).replace('T', ' ');
  const scope = describeScope(digest);
  if (digest.search) {
    // A search fetched nothing and has no watchlist: its own header, then its stories.
    lines.push(c.bold(`presswatch search · ${toTerminalLine(digest.search.query)} · ${scope}`));
    lines.push(c.dim(describeSearchCounts(digest.search, counts.stories)));
    if (digest.stories.length === 0) lines.push('', c.dim('  nothing stored matches'));
    for (const story of digest.stories) lines.push('', ...renderStory(story, c));
    return `${lines.join('\n')}\n`;
  }
  lines.push(c.bold(`presswatch digest · ${when} UTC · ${scope}`));
  lines.push(c.dim(`${plural(counts.feedsChecked, 'feed')} checked, ${counts.feedsFailed} failed, ${plural(counts.newItems, 'new item')}, ${plural(counts.stories, 'matching story', 'matching stories')}`));

  for (const watchlist of digest.watchlists) {
    const stories = digest.stories.filter((s) => s.watchlist === watchlist);
    lines.push('', c.bold.underline(`${toTerminalLine(watchlist)} (${stories.length})`));
    if (stories.length === 0) lines.push(c.dim('  nothing new matched'));
    for (const story of stories) lines.push('', ...renderStory(story, c));
  }

  const failed = digest.feeds.filter((f) => f.status === 'error');
  if (failed.length > 0) {
    lines.push('', c.yellow(`Feeds that failed (${failed.length}):`));
    for (const feed of failed) lines.push(c.yellow(`  ${toTerminalLine(feed.label ?? feed.url)}: ${toTerminalLine(feed.error ?? 'unknown error')}`));
  }
  return `${lines.join('\n')}\n`;
}

function renderStory(story: Story, c: ChalkInstance): string[] {
  const date = story.publishedAt ? story.publishedAt.slice(0, 16).replace('T', ' ') : 'undated';
  const terms = describeMatches(story);
  const out = [
    `  ${c.bold(toTerminalLine(story.title))}`,
    `  ${c.cyan(toTerminalLine(story.source))} · ${date}${story.score !== undefined ? ` · score ${story.score.toFixed(2)}` : ''} · ${c.magenta(toTerminalLine(terms))}`,
  ];
  if (story.url) out.push(`  ${c.blue(toTerminalLine(story.url))}`);
  if (story.snippet) out.push(`  ${highlight(story.snippet, story.highlights, c)}`);
  if (story.alsoReportedBy?.length) out.push(`  ${c.dim(`also in: ${story.alsoReportedBy.map((o) => toTerminalLine(o.source)).join(', ')}`)}`);
  return out;
}

function highlight(snippet: string, spans: [number, number][], c: ChalkInstance): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += toTerminalLine(snippet.slice(at, start)) + c.bold.yellow(toTerminalLine(snippet.slice(start, end)));
    at = end;
  }
  return out + toTerminalLine(snippet.slice(at));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
